"""From a publication to its search document: the text in search form, the display text, the keys."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.utils import timezone

from gongkai.lib.html import to_text
from gongkai.lib.text import normalize_text, visible_text
from gongkai.search.query import doc_no_key, index_no_key

# A publication's text beyond this many characters (summary, body and attachments together) is not
# searchable: it bounds the cost of one document (a scanned budget report can run to millions).
MAX_INDEXED_CHARS = 500_000
# The rank key keeps the publication id in its low 31 bits (see rank_key).
MAX_PUBLICATION_ID = 2**31 - 1


@dataclass(frozen=True)
class DocumentRow:
    """One row of ``search_document``; the field order is the column order the backends write."""

    rank: int
    publication_id: int
    publisher_id: int
    column_id: int
    topic_id: int | None
    genre_id: int | None
    year: int
    published_at: datetime.datetime
    title_norm: str
    body_norm: str
    meta_norm: str
    body: str
    index_no_key: str
    doc_no_key: str

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in COLUMNS)


COLUMNS = tuple(field.name for field in fields(DocumentRow))


def rank_key(published_at: datetime.datetime | None, publication_id: int) -> int:
    """``seconds since 1970 << 31 | id``: larger is newer (to the second; then the larger id).

    It fits a signed 64-bit integer until the year 2106 and for ids below 2**31.
    """
    if not 0 < publication_id <= MAX_PUBLICATION_ID:
        raise ValueError(f"publication id {publication_id} is outside 1..{MAX_PUBLICATION_ID}")
    seconds = max(0, int(published_at.timestamp())) if published_at else 0
    return (seconds << 31) | publication_id


def build_row(publication, attachment_texts: Iterable[str]) -> DocumentRow:
    """The search document of a published ``publication`` (its attachments' extracted text given)."""
    parts = [publication.summary or "", to_text(publication.body or "")]
    parts.extend(text for text in attachment_texts if text)
    text = "\n".join(parts)[:MAX_INDEXED_CHARS]
    published_at = publication.published_at
    doc_no = publication.doc_no or ""
    index_no = publication.index_no or ""
    return DocumentRow(
        rank=rank_key(published_at, publication.pk),
        publication_id=publication.pk,
        publisher_id=publication.publisher_id,
        column_id=publication.column_id,
        topic_id=publication.topic_id,
        genre_id=publication.genre_id,
        year=timezone.localtime(published_at).year,
        published_at=published_at,
        title_norm=normalize_text(publication.title),
        body_norm=normalize_text(text),
        meta_norm=normalize_text(f"{doc_no}\n{index_no}\n{publication.keywords or ''}"),
        body=visible_text(text),
        index_no_key=index_no_key(normalize_text(index_no))[:100],
        doc_no_key=doc_no_key(normalize_text(doc_no))[:200],
    )
