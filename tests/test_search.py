"""Full-text search: normalised matching, short terms, filters, ranking, highlighting and hostile queries.

Runs on SQLite (FTS5) and on PostgreSQL (n-gram GIN indexes); the behaviour is the same on both.
"""

import datetime
import importlib
import itertools
import sqlite3

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.catalog.filters import CatalogFilters
from gongkai.catalog.models import Attachment, Column, Genre, Publication, Topic
from gongkai.lib.identifiers import uscc_check_char
from gongkai.orgs.models import Organization, User
from gongkai.search import services
from gongkai.search.backends.sqlite import publisher_token
from gongkai.search.models import SearchDocument
from gongkai.search.services import (
    index_publication,
    matching_publication_ids,
    rebuild_index,
    remove_publication,
    search_publications,
)

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def make_organization(name: str, serial: int) -> Organization:
    first17 = f"11370303004217{serial:03d}"
    return Organization.objects.create(
        name=name, slug=f"org{serial}", uscc=first17 + uscc_check_char(first17)
    )


@pytest.fixture
def bureau():
    return make_organization("张店区发展和改革局", 1)


@pytest.fixture
def publish(bureau):
    """Create a published publication and index it, as the catalogue's publish service does."""
    author = User.objects.create(username="zhangsan", organization=bureau, display_name="张三")
    minutes = itertools.count()

    def publish(
        title: str, body: str = "", *, status: str = Publication.Status.PUBLISHED, **values
    ) -> Publication:
        values.setdefault("publisher", bureau)
        values.setdefault("column", Column.objects.get(code="regulations"))
        values.setdefault("published_at", T0 + datetime.timedelta(minutes=next(minutes)))
        publication = Publication.objects.create(
            title=title,
            body=body,
            issued_on=datetime.date(2026, 3, 1),
            author=author,
            status=status,
            **values,
        )
        if status == Publication.Status.PUBLISHED and not publication.index_no:
            publication.index_no = f"{publication.publisher.uscc}/2026-{publication.pk:05d}"
            publication.save(update_fields=["index_no"])
        index_publication(publication)
        return publication

    return publish


def found(query: str, filters: CatalogFilters | None = None) -> list[int]:
    page = search_publications(query, filters, per_page=100)
    assert page.count == len(page.hits) and not page.has_next  # these tests stay on one page
    return [hit.publication_id for hit in page.hits]


# --- normalisation ---------------------------------------------------------------------------------


def test_a_traditional_query_finds_simplified_text(publish):
    item = publish("张店区2026年政府预算公开")
    page = search_publications("張店區")
    assert [hit.publication_id for hit in page.hits] == [item.pk]
    assert page.query == "张店区"


def test_traditional_text_is_found_by_a_simplified_query(publish):
    item = publish("關於張店區發展規劃的通知")
    assert found("张店区发展规划") == [item.pk]


def test_a_full_width_query_finds_half_width_text_and_the_reverse(publish):
    half = publish("设备编号", "<p>型号 abc123 已登记</p>")
    full = publish("Ｘ射线设备", "<p>型号ＸＹＺ７８９</p>")
    assert found("ＡＢＣ１２３") == [half.pk]
    assert found("xyz789") == [full.pk]
    assert found("XYZ") == [full.pk]


# --- short terms ---------------------------------------------------------------------------------


def test_one_and_two_character_queries_find_exactly_the_publications_containing_them(publish):
    zhang_wei = publish("张伟同志来信的答复")
    zhang_san = publish("张三的申请")
    li_si = publish("李四的申请", "<p>伟大的工程</p>")
    assert found("张") == [zhang_san.pk, zhang_wei.pk]
    assert found("伟") == [zhang_wei.pk, li_si.pk]  # title matches first
    assert found("张伟") == [zhang_wei.pk]
    assert found("伟张") == []  # the characters must be adjacent, in order
    assert found("申请") == [li_si.pk, zhang_san.pk]


def test_a_short_term_does_not_match_across_a_space_or_punctuation(publish):
    item = publish("标题", "<p>张 伟，王五</p>")
    assert found("张伟") == []
    assert found("伟王") == []
    assert found("伟,") == [item.pk]  # the full-width comma is a half-width one after NFKC


def test_every_term_of_a_query_must_occur(publish):
    both = publish("张店区 预算公开", "<p>2026年</p>")
    one = publish("张店区 决算公开")
    assert found("张店区 预算") == [both.pk]
    assert found("张店区 2026年") == [both.pk]
    assert set(found("张店区")) == {both.pk, one.pk}
    assert found("预算 决算") == []


def test_the_text_of_attachments_and_the_metadata_are_searched(publish, bureau):
    item = publish("关于公布收费目录的通知", doc_no="张发改字〔2026〕3号", keywords="收费 目录")
    Attachment.objects.create(
        publication=item,
        file="attachments/x.pdf",
        original_name="目录.pdf",
        kind="pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=10,
        sha256="0" * 64,
        text="行政事业性收费项目：不动产登记费",
    )
    index_publication(item)
    assert found("不动产登记") == [item.pk]
    assert found("2026〕3") == [item.pk]
    assert found(item.index_no[-5:]) == [item.pk]


def test_html_tags_are_not_text_and_inline_tags_do_not_split_words(publish):
    item = publish("标题", '<p>中<strong>文</strong>件</p><p><a href="http://x.cn/zz">链接</a></p>')
    assert found("中文件") == [item.pk]
    assert found("strong") == []
    assert found("x.cn") == []


# --- what is in the index ------------------------------------------------------------------------


def test_withdrawn_and_unpublished_publications_are_not_found(publish):
    kept = publish("张店区营商环境报告")
    withdrawn = publish("张店区营商环境通报")
    draft = publish("张店区营商环境草稿", status=Publication.Status.DRAFT)
    assert set(found("营商环境")) == {kept.pk, withdrawn.pk}

    Publication.objects.filter(pk=withdrawn.pk).update(status=Publication.Status.WITHDRAWN)
    remove_publication(withdrawn.pk)
    assert found("营商环境") == [kept.pk]

    kept.status = Publication.Status.WITHDRAWN
    index_publication(kept)  # re-indexing a publication that is not published takes it out
    assert found("营商环境") == []
    assert not SearchDocument.objects.filter(publication_id__in=[kept.pk, withdrawn.pk, draft.pk]).exists()


def test_re_indexing_replaces_the_old_text(publish):
    item = publish("旧标题")
    item.title = "新标题"
    item.save(update_fields=["title"])
    index_publication(item)
    assert found("旧标题") == []
    assert found("新标题") == [item.pk]
    assert SearchDocument.objects.filter(publication=item).count() == 1


def test_deleting_a_search_document_row_by_any_means_takes_it_out_of_the_full_text_index(publish):
    item = publish("张店区统计公报")
    SearchDocument.objects.filter(publication=item).delete()  # as a cascade or a flush would
    assert found("统计公报") == []
    assert found("公") == []
    assert search_publications("统计").count == 0


def test_rebuild_index_indexes_every_published_publication_and_drops_the_rest(publish):
    first = publish("张店区第一号公告")
    second = publish("张店区第二号公告")
    Publication.objects.filter(pk=second.pk).update(status=Publication.Status.WITHDRAWN)  # index not told
    SearchDocument.objects.filter(publication=first).delete()  # index lost a document
    assert rebuild_index(chunk_size=1) == 1
    assert found("公告") == [first.pk]


def test_the_search_rebuild_command_rebuilds_and_says_how_many(publish, capsys):
    publish("张店区公告")
    call_command("search", "rebuild")
    out = capsys.readouterr().out
    assert "1 条政府信息" in out and "1 publications" in out
    assert len(found("公告")) == 1


# --- filters -------------------------------------------------------------------------------------


def test_filters_narrow_the_results_like_the_catalogue(publish, bureau):
    other = make_organization("张店区财政局", 2)
    statutory = Column.objects.get(code="statutory")
    topic = Topic.objects.order_by("pk").first()
    genre = Genre.objects.order_by("pk").first()
    a = publish("预算公开甲", column=Column.objects.get(code="regulations"), topic=topic)
    b = publish("预算公开乙", publisher=other, column=Column.objects.get(code="annual-reports"), genre=genre)
    c = publish("预算公开丙", column=Column.objects.get(code="plans"), published_at=T0.replace(year=2025))

    assert set(found("预算")) == {a.pk, b.pk, c.pk}
    assert set(found("预算", CatalogFilters(publisher_ids=(bureau.pk,)))) == {a.pk, c.pk}
    assert found("预算", CatalogFilters(publisher_ids=(other.pk,))) == [b.pk]
    assert set(found("预算", CatalogFilters(column_ids=tuple(statutory.descendant_ids())))) == {a.pk, c.pk}
    assert found("预算", CatalogFilters(topic_id=topic.pk)) == [a.pk]
    assert found("预算", CatalogFilters(genre_id=genre.pk)) == [b.pk]
    assert found("预算", CatalogFilters(year=2025)) == [c.pk]
    assert found("预算公开", CatalogFilters(year=2026, publisher_ids=(bureau.pk,))) == [a.pk]
    assert found("公", CatalogFilters(year=2024)) == []


def test_a_search_within_several_organisations_finds_each_of_theirs(publish, bureau):
    other = make_organization("张店区财政局", 2)
    third = make_organization("车站街道办事处", 3)
    ours = publish("预算公开甲")
    theirs = publish("预算公开乙", publisher=other)
    publish("预算公开丙", publisher=third)
    assert set(found("预算", CatalogFilters(publisher_ids=(bureau.pk, other.pk)))) == {ours.pk, theirs.pk}
    assert found("预", CatalogFilters(publisher_ids=(other.pk,))) == [theirs.pk]  # the one-character index too


def test_text_holding_an_organisations_token_is_not_that_organisations(publish):
    """On SQLite the full-text tables name the publisher with a control character and two private-use characters
    (`publisher_token`); old documents carry private-use characters for rare glyphs, and must match as text, never
    as a publisher."""
    other = make_organization("张店区财政局", 2)
    theirs = publish("预算公开", publisher=other)
    odd = publish("预算说明", "<p>字形" + publisher_token(other.pk) + "缺失</p>")
    assert found("预算", CatalogFilters(publisher_ids=(other.pk,))) == [theirs.pk]
    assert found(publisher_token(other.pk)) == [odd.pk]


@pytest.mark.parametrize("publisher_id", [1, 2, 6399, 6400, 6401, 123456, 6400**2 - 1])
def test_the_delete_trigger_computes_the_same_publisher_token_as_the_writer(publisher_id):
    """The trigger that removes a document's full-text rows must name exactly the token that was written."""
    migration = importlib.import_module("gongkai.search.migrations.0002_publisher_column")
    sql = f"SELECT {migration._TOKEN.format(row='d')} FROM (SELECT ? AS publisher_id) d"
    assert sqlite3.connect(":memory:").execute(sql, [publisher_id]).fetchone()[0] == publisher_token(publisher_id)


@pytest.mark.django_db(transaction=True)
def test_the_migration_adding_the_publisher_column_rebuilds_the_index_from_the_documents(publish, bureau):
    other = make_organization("张店区财政局", 2)
    ours = publish("张店区统计公报")
    theirs = publish("财政统计公报", publisher=other)
    call_command("migrate", "search", "0001", verbosity=0)
    assert set(found("统计公报")) == {ours.pk, theirs.pk}
    call_command("migrate", "search", verbosity=0)
    assert found("统计公报", CatalogFilters(publisher_ids=(other.pk,))) == [theirs.pk]
    assert found("公", CatalogFilters(publisher_ids=(bureau.pk,))) == [ours.pk]


def test_the_year_filter_is_the_year_in_shanghai(publish):
    # 2025-12-31 17:00 UTC is already 2026-01-01 in Shanghai.
    item = publish("跨年发布", published_at=datetime.datetime(2025, 12, 31, 17, 0, tzinfo=datetime.UTC))
    assert found("跨年", CatalogFilters(year=2026)) == [item.pk]
    assert found("跨年", CatalogFilters(year=2025)) == []


def test_an_exact_index_number_or_doc_number_is_also_found_with_filters_applied(publish, bureau):
    item = publish("某通知", doc_no="张发改字〔2018〕12号")
    other = make_organization("张店区财政局", 2)
    assert found("张发改字[2018]12号", CatalogFilters(publisher_ids=(bureau.pk,))) == [item.pk]
    assert found("张发改字[2018]12号", CatalogFilters(publisher_ids=(other.pk,))) == []


# --- ranking -------------------------------------------------------------------------------------


def test_title_matches_come_before_body_matches_each_newest_first(publish):
    old_body = publish("通知一", "<p>关于营商环境</p>")
    old_title = publish("营商环境通知")
    new_body = publish("通知二", "<p>优化营商环境</p>")
    new_title = publish("优化营商环境的意见")
    page = search_publications("营商环境")
    assert [hit.publication_id for hit in page.hits] == [new_title.pk, old_title.pk, new_body.pk, old_body.pk]
    assert [hit.score for hit in page.hits] == [1.0, 1.0, 0.0, 0.0]


def test_an_exact_index_number_or_doc_number_match_comes_first(publish):
    mentions = publish("关于落实张发改字〔2018〕12号文件的通知", "<p>根据张发改字〔2018〕12号</p>")
    target = publish(
        "张店区价格调整办法", doc_no="张发改字〔2018〕12号", published_at=T0 - datetime.timedelta(days=9)
    )
    page = search_publications("张发改字〔2018〕12号")
    assert [hit.publication_id for hit in page.hits] == [target.pk, mentions.pk]
    assert page.hits[0].score == 2.0 and page.count == 2
    # Typed with other brackets and spaces the 文号 is still looked up; no substring matches then.
    assert found("张发改字 （2018） 12号") == [target.pk]
    assert found("張發改字[2018]12號") == [target.pk]
    by_index = search_publications(target.index_no.lower())
    assert [hit.publication_id for hit in by_index.hits] == [target.pk]
    assert by_index.hits[0].score == 2.0


# --- highlighting --------------------------------------------------------------------------------


def test_the_title_is_escaped_and_the_match_is_marked(publish):
    publish('<script>alert("x")</script>关于张店区的通知 & 附件')
    hit = search_publications("张店区").hits[0]
    assert hit.title_html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;关于<mark>张店区</mark>的通知 &amp; 附件"
    )
    assert search_publications("script").hits[0].title_html.startswith("&lt;<mark>script</mark>&gt;")


def test_the_mark_goes_around_the_characters_as_published(publish):
    publish("關於張店區ＡＢＣ計劃的通知")
    hit = search_publications("张店区abc").hits[0]
    assert hit.title_html == "關於<mark>張店區ＡＢＣ</mark>計劃的通知"


def test_the_snippet_is_about_120_characters_around_the_first_match(publish):
    before = "前" * 200
    after = "后" * 200
    publish("标题", f"<p>{before}张店区&lt;b&gt;营商环境{after}</p>")
    hit = search_publications("营商环境").hits[0]
    assert hit.snippet_html.startswith("…前") and hit.snippet_html.endswith("后…")
    assert "张店区&lt;b&gt;<mark>营商环境</mark>后" in hit.snippet_html
    visible = (
        hit.snippet_html.replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )
    assert len(visible.strip("…")) == 120


def test_the_snippet_marks_every_term_and_keeps_the_published_characters(publish):
    publish("标题", "<p>關於張店區，預算公開（２０２６）</p>")
    hit = search_publications("张店区 预算 2026").hits[0]
    assert hit.snippet_html == "關於<mark>張店區</mark>，<mark>預算</mark>公開（<mark>２０２６</mark>）"


def test_a_title_only_match_shows_the_beginning_of_the_text(publish):
    publish("营商环境", "<p>第一段。</p>")
    assert search_publications("营商环境").hits[0].snippet_html == "第一段。"


# --- hostile and odd queries ---------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "'",
    "''; DROP TABLE search_document; --",
    "NEAR(",
    "NEAR(a b, 3)",
    "a AND b",
    "OR",
    "NOT",
    "AND NOT OR",
    "*",
    "a*",
    "^a",
    "^",
    "(",
    ")",
    "()",
    "{title}: x",
    "title:张",
    "-",
    "+a -b",
    "\\",
    "\\\\'",
    "%",
    "_",
    "%_%",
    "\x00",
    "a\x00b",
    "\ud800",
    "😀",
    "👨\u200d👩\u200d👧",
    " ",
    "     ",
    "\u3000\u3000",
    "\t\n",
    "\u200b",
    "x" * 10_000,
    "张" * 10_000,
    "张店 " * 3000,
    ",",
    "。",
    "…",
    "&lt;",
    "<mark>",
    "1" * 30,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_returns_a_page(publish, query):
    publish('He said "NEAR(x*y)" \\ 100% _done_ ^start 😀 <b> (a AND b) title:张 -x')
    page = search_publications(query)
    assert page.page == 1 and page.per_page == 20
    assert len(page.query) <= 100
    assert page.count == len(page.hits) <= 1


@pytest.mark.parametrize(
    "query",
    ['"NEAR(', "*", "x*y", "\\", "100%", "_done_", "^start", "😀", "(a and b)", "title:张", "-x", '"', "<b>"],
)
def test_query_syntax_characters_are_searched_as_plain_text(publish, query):
    item = publish('He said "NEAR(x*y)" \\ 100% _done_ ^start 😀 <b> (a AND b) title:张 -x')
    assert found(query) == [item.pk]


def test_queries_that_only_look_like_syntax_find_nothing_else(publish):
    publish('He said "NEAR(x*y)"')
    assert found("NEAR(z") == []
    assert found("x AND y") == []
    assert found("x OR said") == []


def test_an_empty_query_gives_an_empty_page(publish):
    publish("张店区")
    for query in ["", "   ", "\u3000", "\x00\u200b"]:
        page = search_publications(query)
        assert (page.hits, page.count, page.count_capped, page.has_next, page.query) == (
            [],
            0,
            False,
            False,
            "",
        )


def test_a_long_query_is_cut_to_100_characters_after_normalising(publish):
    item = publish("张店区营商环境")
    page = search_publications("ＺＺ" + "　" * 50 + "张店区" + "x" * 500)
    assert len(page.query) == 100 and page.query.startswith("zz 张店区xxx")
    page = search_publications("　" * 500 + "張店區")  # whitespace goes before the cut
    assert page.query == "张店区" and [hit.publication_id for hit in page.hits] == [item.pk]


def test_page_and_per_page_of_any_value_give_a_page(publish):
    publish("公告")
    for page, per_page in [(0, 0), (-5, -1), ("x", None), (10**30, 10**30), (None, "20")]:
        result = search_publications("公告", page=page, per_page=per_page)
        assert 1 <= result.per_page <= 100 and result.page >= 1


# --- paging and counts ---------------------------------------------------------------------------


def test_pages_follow_one_another_without_gaps_or_repeats(publish):
    items = [publish(f"第{n}号公告") for n in range(7)]
    seen = []
    for number in range(1, 5):
        page = search_publications("公告", page=number, per_page=3)
        assert page.count == 7 and not page.count_capped
        assert page.has_next == (number < 3)
        seen += [hit.publication_id for hit in page.hits]
    assert seen == [item.pk for item in reversed(items)]


def test_counts_stop_at_the_cap_and_say_so(publish, monkeypatch):
    for n in range(7):
        publish(f"第{n}号公告")
    monkeypatch.setattr(services, "COUNT_CAP", 5)
    page = search_publications("公告", per_page=2)
    assert (page.count, page.count_capped, page.has_next) == (5, True, True)
    page = search_publications("第6号", per_page=2)
    assert (page.count, page.count_capped) == (1, False)


def test_pages_stop_after_the_first_max_results(publish, monkeypatch):
    for n in range(7):
        publish(f"第{n}号公告")
    monkeypatch.setattr(services, "MAX_RESULTS", 4)
    assert len(search_publications("公告", page=2, per_page=2).hits) == 2
    last = search_publications("公告", page=2, per_page=2)
    assert not last.has_next
    assert search_publications("公告", page=3, per_page=2).hits == []


def test_every_match_is_listed_by_the_uncapped_helper_in_page_order(publish):
    items = [publish(f"第{n}号公告") for n in range(5)]
    assert matching_publication_ids("公告") == [item.pk for item in reversed(items)]
    assert matching_publication_ids("") == []


def test_a_hit_carries_its_publication_with_relations_loaded(publish, django_assert_max_num_queries):
    publish("张店区公告")
    hit = search_publications("公告").hits[0]
    with django_assert_max_num_queries(0):
        assert hit.publication.publisher.name == "张店区发展和改革局"
        assert hit.publication.column.code == "regulations"


def test_a_search_page_takes_a_handful_of_queries_whatever_the_number_of_hits(
    publish, django_assert_max_num_queries
):
    for n in range(25):
        publish(f"第{n}号公告")
    with django_assert_max_num_queries(12):
        page = search_publications("公告")
    assert len(page.hits) == 20 and page.count == 25


def test_published_at_is_required_for_a_rank(publish):
    item = publish("公告")
    assert SearchDocument.objects.get(publication=item).rank >> 31 == int(
        timezone.localtime(item.published_at).timestamp()
    )


# --- how hits are loaded, and the index on each database --------------------------------------------


def test_a_page_loads_its_publications_exactly_as_the_orm_would(publish, django_assert_num_queries):
    from gongkai.search import publications

    topic = Topic.objects.order_by("pk").first()
    genre = Genre.objects.order_by("pk").first()
    first = publish(
        "甲", "<p>正文甲</p>", topic=topic, genre=genre, summary="概述", doc_no="张发改字〔2026〕1号"
    )
    second = publish("乙", validity=Publication.Validity.VALID, effective_on=datetime.date(2026, 4, 1))
    with django_assert_num_queries(1):
        loaded = publications.load([first.pk, second.pk, 10**9])
    orm = Publication.objects.select_related(*publications.RELATED).in_bulk([first.pk, second.pk])
    assert loaded.keys() == orm.keys()
    for pk, expected in orm.items():
        for field in Publication._meta.concrete_fields:
            if field.name != "body":
                assert getattr(loaded[pk], field.attname) == getattr(expected, field.attname), field.name
        for name in publications.RELATED:
            want, got = getattr(expected, name), getattr(loaded[pk], name)
            assert (got is None) == (want is None)
            if want is not None:
                for field in want._meta.concrete_fields:
                    assert getattr(got, field.attname) == getattr(want, field.attname), (name, field.name)
    with django_assert_num_queries(1):  # the body is deferred
        assert loaded[first.pk].body == "<p>正文甲</p>"


def test_a_first_build_of_the_index_gives_the_same_results(publish):
    items = [publish(f"第{n}号公告", f"<p>张店区{n}</p>") for n in range(5)]
    SearchDocument.objects.all().delete()
    assert rebuild_index(chunk_size=2) == 5
    assert found("公告") == [item.pk for item in reversed(items)]
    assert found("张店区3") == [items[3].pk]


@pytest.mark.postgresql
def test_a_first_build_recreates_the_gin_indexes(publish):
    from django.db import connection

    publish("公告")
    SearchDocument.objects.all().delete()
    rebuild_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_document'")
        indexes = dict(cursor.fetchall())
    assert "USING gin (grams)" in indexes["search_document_grams"]
    assert "USING gin (title_grams)" in indexes["search_document_title_grams"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW maintenance_work_mem")
        assert cursor.fetchone()[0] != "512MB"  # put back after the build


def _has_publisher_code(publication_id: int, publisher_id: int) -> tuple[bool, bool]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT grams @> ARRAY[%s]::bigint[], title_grams @> ARRAY[%s]::bigint[] FROM search_document "
            "WHERE publication_id = %s",
            [-publisher_id, -publisher_id, publication_id],
        )
        return cursor.fetchone()


@pytest.mark.postgresql
def test_on_postgresql_a_search_within_one_organisation_asks_the_gin_index_for_its_code(publish, bureau):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = make_organization("张店区财政局", 2)
    ours = publish("预算公开甲")
    publish("预算公开乙", publisher=other)

    with CaptureQueriesContext(connection) as queries:
        assert found("预算", CatalogFilters(publisher_ids=(bureau.pk,))) == [ours.pk]

    assert _has_publisher_code(ours.pk, bureau.pk) == (True, True)
    assert _has_publisher_code(ours.pk, other.pk) == (False, False)
    asked = [q["sql"] for q in queries.captured_queries if "grams @>" in q["sql"]]
    assert asked and all(f"-{bureau.pk}" in sql for sql in asked)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_migration_gives_indexed_documents_their_publishers_code(publish, bureau):
    from django.db import connection

    item = publish("张店区统计公报")
    call_command("migrate", "search", "0002", verbosity=0)
    assert _has_publisher_code(item.pk, bureau.pk) == (False, False)

    call_command("migrate", "search", verbosity=0)

    assert _has_publisher_code(item.pk, bureau.pk) == (True, True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_publisher_rank'")
        assert "(publisher_id, rank DESC)" in cursor.fetchone()[0]


@pytest.mark.postgresql
def test_planner_settings_are_put_back_after_a_search(publish):
    from django.db import connection

    publish("公告")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_bitmapscan')")
        before = cursor.fetchone()
    search_publications("公告")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_bitmapscan')")
        assert cursor.fetchone() == before


# --- the SQLite in use ---------------------------------------------------------------------------------


def test_an_sqlite_older_than_the_one_measured_right_is_warned_about():
    from gongkai.search.checks import sqlite_warnings

    assert [warning.id for warning in sqlite_warnings((3, 40, 1))] == ["gongkai.search.W001"]
    assert sqlite_warnings((3, 51, 1)) == []


def test_on_linux_x86_64_gongkai_uses_the_newer_sqlite():
    import platform
    import sqlite3
    import sys

    wheel_exists = sys.platform == "linux" and platform.machine() == "x86_64"
    assert (sqlite3.sqlite_version_info >= (3, 51, 1)) or not wheel_exists
    assert sqlite3.__name__ == ("pysqlite3" if wheel_exists else "sqlite3")
