"""Full-text search over published publications: indexing, searching, rebuilding.

**What matches.** A query is normalised like the documents (`gongkai.lib.text.normalize_text`: traditional
to simplified, full-width to half-width, ASCII lower case), cut to 100 characters and split at spaces into
terms; a publication matches when every term occurs, as a substring, in its title, its text (summary,
body, attachments' extracted text) or its metadata (文号, 索引号, keywords). Terms of any length work,
one and two characters included, and results are exact: the same as a substring scan of the normalised
text. A query whose normalised form equals a publication's 索引号 or 文号 (brackets of any kind, no
spaces) finds it even where the substring test would not.

**Ranking.** Exact 索引号 / 文号 matches first (score 2), then publications whose title contains every
term (score 1), then the other matches (score 0); within each group newest first (发布日期 to the
second, then the larger id).

**Counts and pages.** Counts stop at 10,000 (``count_capped``, shown as "10000+"); pages reach the first
10,000 results. Withdrawn or unpublished publications are not in the index: the catalogue's services
call `index_publication` / `remove_publication` inside their own transactions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Prefetch

from gongkai import audit
from gongkai.catalog.filters import CatalogFilters
from gongkai.catalog.models import Attachment, Publication
from gongkai.search.backends import filter_sql, get_backend, in_list
from gongkai.search.documents import build_row
from gongkai.search.highlight import snippet_html, title_html
from gongkai.search.models import SearchDocument
from gongkai.search.publications import load as load_publications
from gongkai.search.query import ParsedQuery, parse_query

COUNT_CAP = 10_000
MAX_RESULTS = 10_000
MAX_PER_PAGE = 100
EXACT_TIER = 2
REBUILD_CHUNK = 500
_EXACT_LIMIT = 100  # 索引号 are unique; the same 文号 on more than this many publications is not a look-up

_INDEXED_FIELDS = (
    "id",
    "status",
    "title",
    "summary",
    "body",
    "keywords",
    "doc_no",
    "index_no",
    "published_at",
    "publisher_id",
    "column_id",
    "topic_id",
    "genre_id",
)


@dataclass(frozen=True)
class Hit:
    """One result. ``publication`` has its publisher, column, topic and genre loaded and its body
    deferred; ``title_html`` and ``snippet_html`` are escaped text with ``<mark>`` around the matches."""

    publication_id: int
    publication: Publication
    score: float  # 2 exact 索引号/文号, 1 every term in the title, 0 otherwise
    title_html: str
    snippet_html: str


@dataclass(frozen=True)
class SearchPage:
    """One page of results. ``count`` stops at 10,000; ``count_capped`` says there are more."""

    hits: list[Hit]
    count: int
    count_capped: bool
    page: int
    per_page: int
    has_next: bool
    query: str  # normalised, as searched


# --- indexing -----------------------------------------------------------------------------------------


def _attachment_texts(publication: Publication) -> list[str]:
    return [attachment.text for attachment in publication.attachments.all()]


def index_publication(publication: Publication) -> None:
    """Put ``publication``'s current text in the index if it is published; otherwise take it out."""
    backend = get_backend()
    with transaction.atomic():
        backend.delete([publication.pk])
        if publication.status == Publication.Status.PUBLISHED and publication.published_at is not None:
            backend.write([build_row(publication, _attachment_texts(publication))])


def remove_publication(publication_id: int) -> None:
    """Take a publication out of the index (withdrawn, or no longer public). Safe if it is not there."""
    with transaction.atomic():
        get_backend().delete([publication_id])


def rebuild_index(*, chunk_size: int = REBUILD_CHUNK) -> int:
    """Index every published publication again, ``chunk_size`` to a transaction; returns how many.

    Searches keep working meanwhile (each chunk replaces its own documents). Documents of publications
    that are no longer published are removed at the end.
    """
    backend = get_backend()
    ids = list(Publication.objects.published().order_by("pk").values_list("pk", flat=True))
    attachments = Prefetch("attachments", queryset=Attachment.objects.only("id", "publication_id", "text"))
    indexed = 0
    with backend.bulk_load():
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start : start + chunk_size]
            with transaction.atomic():
                publications = (
                    Publication.objects.published()
                    .filter(pk__in=chunk)
                    .only(*_INDEXED_FIELDS)
                    .prefetch_related(attachments)
                )
                rows = [
                    build_row(p, _attachment_texts(p)) for p in publications if p.published_at is not None
                ]
                backend.delete(chunk)
                backend.write(rows)
                indexed += len(rows)
    with transaction.atomic():
        stale = SearchDocument.objects.exclude(publication__status=Publication.Status.PUBLISHED)
        backend.delete(list(stale.values_list("publication_id", flat=True)))
        audit.record(None, "search.index_rebuilt", summary=f"全文检索索引已重建：{indexed} 条", count=indexed)
    backend.optimize()
    return indexed


# --- searching ----------------------------------------------------------------------------------------


def _exact_ranks(query: ParsedQuery, filters: CatalogFilters | None) -> list[int]:
    """Rank keys of the publications whose 索引号 or 文号 is the query, newest first.

    The keys are looked up first and the filters applied to the few rows found: in one statement SQLite's planner
    walks a filtered organisation's documents along the publisher's index instead (15 ms at 10,000 documents).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rank FROM search_document WHERE index_no_key = %s OR doc_no_key = %s ORDER BY rank DESC LIMIT %s",
            [query.index_no_key, query.doc_no_key, _EXACT_LIMIT],
        )
        ranks = [row[0] for row in cursor.fetchall()]
        clauses, params = filter_sql(filters)
        if not ranks or not clauses:
            return ranks
        keyed, values = in_list("d.rank", ranks)
        where = " AND ".join([keyed, *clauses])
        cursor.execute(f"SELECT d.rank FROM search_document d WHERE {where} ORDER BY d.rank DESC", [*values, *params])
        return [row[0] for row in cursor.fetchall()]


def _whole_number(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return default


def _hits(ranked: list[tuple[int, int]], query: ParsedQuery) -> list[Hit]:
    if not ranked:
        return []
    clause, params = in_list("rank", [rank for rank, _tier in ranked])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rank, publication_id, body, body_norm FROM search_document WHERE {clause}", params
        )
        documents = {
            rank: (publication_id, body, body_norm) for rank, publication_id, body, body_norm in cursor
        }
    # With publisher, column, topic and genre; the body (HTML) deferred, as in the catalogue's lists.
    publications = load_publications([publication_id for publication_id, _body, _norm in documents.values()])
    hits = []
    for rank, tier in ranked:
        publication_id, body, body_norm = documents.get(rank, (None, "", ""))
        publication = publications.get(publication_id)
        if publication is None:  # removed between the two queries
            continue
        hits.append(
            Hit(
                publication_id=publication.pk,
                publication=publication,
                score=float(tier),
                title_html=title_html(publication.title, query.terms),
                snippet_html=snippet_html(body, body_norm, query.terms),
            )
        )
    return hits


def search_publications(
    query: str, filters: CatalogFilters | None = None, *, page: int = 1, per_page: int = 20
) -> SearchPage:
    """One page of the published publications matching ``query`` (see the module's docstring).

    Never raises for any query text: an empty or unmatched query gives an empty page.
    """
    parsed = parse_query(query)
    page = max(1, _whole_number(page, 1))
    per_page = min(max(1, _whole_number(per_page, 20)), MAX_PER_PAGE)
    offset = (page - 1) * per_page
    if not parsed.terms:
        return SearchPage([], 0, False, page, per_page, False, parsed.text)
    backend = get_backend()
    with backend.reading():
        exact = _exact_ranks(parsed, filters)
        matches = backend.count(parsed, filters, COUNT_CAP + 1)
        total = matches
        if exact and total <= COUNT_CAP:
            total += len(set(exact) - backend.matching(parsed, exact))
        ranked: list[tuple[int, int]] = []
        if offset < min(total, MAX_RESULTS):
            need = min(offset + per_page + 1, MAX_RESULTS)
            ranked = [(rank, EXACT_TIER) for rank in exact[:need]]
            ranked.extend(backend.ranked(parsed, filters, exact, need - len(ranked), count=matches))
        hits = _hits(ranked[offset : offset + per_page], parsed)
    return SearchPage(
        hits=hits,
        count=min(total, COUNT_CAP),
        count_capped=total > COUNT_CAP,
        page=page,
        per_page=per_page,
        has_next=len(ranked) > offset + per_page,
        query=parsed.text,
    )


def matching_publication_ids(query: str, filters: CatalogFilters | None = None) -> list[int]:
    """Every matching publication id in ranking order, uncapped: for tests and tools, not for pages."""
    parsed = parse_query(query)
    if not parsed.terms:
        return []
    backend = get_backend()
    with backend.reading():
        exact = _exact_ranks(parsed, filters)
        seen = set(exact)
        ranked = exact + [rank for rank, _tier in backend.all_ranked(parsed, filters) if rank not in seen]
        ids: dict[int, int] = {}
        for start in range(0, len(ranked), 500):
            chunk = ranked[start : start + 500]
            ids.update(SearchDocument.objects.filter(rank__in=chunk).values_list("rank", "publication_id"))
    return [ids[rank] for rank in ranked if rank in ids]
