"""The search index: one `SearchDocument` per published publication, written only by the search services.

The row holds the publication's text in search form (`gongkai.lib.text.normalize_text`), the plain text
shown in snippets, the keys of the exact look-ups, and copies of the catalogue's filter columns so that a
search filters without joining the catalogue tables. Its primary key is the **rank key**
``(published_at in whole seconds since 1970) << 31 | publication id``: ordering by it is "newest first"
(see `documents.rank_key`), and SQLite's full-text tables use it as their rowid, so the newest matches
come straight out of the index.

Each database adds its own index structures in migrations (`0001_initial`), outside the ORM:

* SQLite: two contentless FTS5 tables, ``search_trigram`` (trigram tokenizer, for terms of three or more
  characters) and ``search_unigram`` (one token per character, for terms of one or two), whose rowid is
  the rank key, and two more over the titles alone; the service writes their rows, and a trigger removes
  them whenever a `SearchDocument` row is deleted, whoever deletes it (a cascade, ``flush``). The trigger
  calls ``gongkai_unigrams()``, which Django connections have (`gongkai.search.apps`) and the ``sqlite3``
  shell has not: delete publications through Gongkai. A later migration that makes Django rebuild this
  table on SQLite must recreate those triggers.
* PostgreSQL: ``grams`` and ``title_grams`` columns (``bigint[]``: the distinct 1-, 2- and 3-character
  substrings, each encoded exactly as one integer) with GIN indexes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    rank = models.BigIntegerField(_("排序键"), primary_key=True)
    publication = models.OneToOneField(
        "catalog.Publication", verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="+"
    )
    # Copies of the catalogue's filter columns (CatalogFilters), so that searches filter without joins.
    publisher_id = models.BigIntegerField(_("发布机构"), db_index=True)
    column_id = models.BigIntegerField(_("栏目"), db_index=True)
    topic_id = models.BigIntegerField(_("主题分类"), null=True)
    genre_id = models.BigIntegerField(_("体裁分类"), null=True)
    year = models.PositiveSmallIntegerField(_("发布年份"))
    published_at = models.DateTimeField(_("发布日期"))
    # Text in search form (normalize_text): the title; summary, body and attachments' text; 文号, 索引号 and
    # keywords.
    title_norm = models.TextField(_("标题（检索形式）"))
    body_norm = models.TextField(_("正文（检索形式）"))
    meta_norm = models.TextField(_("文号、索引号、关键词（检索形式）"))
    # The same body text as published (whitespace collapsed), for snippets.
    body = models.TextField(_("正文（纯文本）"))
    index_no_key = models.CharField(_("索引号（查找键）"), max_length=100)
    doc_no_key = models.CharField(_("文号（查找键）"), max_length=200)

    class Meta:
        db_table = "search_document"
        # Plain indexes (no LIKE-pattern twins on PostgreSQL): the look-ups are equality tests.
        indexes = [
            models.Index(fields=["index_no_key"], name="search_document_index_no"),
            models.Index(fields=["doc_no_key"], name="search_document_doc_no"),
        ]
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")

    def __str__(self) -> str:
        return f"{self.publication_id}: {self.title_norm}"
