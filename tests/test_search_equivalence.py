"""The equivalence test: search finds exactly what a plain substring scan finds, for 1,000 random queries.

300 publications of random Chinese and ASCII text (traditional and full-width characters included), and
1,000 random substrings of 1–6 characters of their normalised text. For each, the search's full result
list and its first page must equal a Python scan of independently normalised text, in ranking order
(title matches first, then newest first) — 0 mismatches, district-wide and within each of the three
publishing organisations. The same is checked against an SQL scan of the stored text. On PostgreSQL the
threshold between the bitmap and the walk plans is lowered, so that both plans answer many of the queries.
"""

import datetime
import itertools
import random

import pytest
from django.db import connection

from gongkai.catalog.filters import CatalogFilters
from gongkai.catalog.models import Column, Publication
from gongkai.lib.identifiers import uscc_check_char
from gongkai.lib.text import normalize_text
from gongkai.orgs.models import Organization, User
from gongkai.search.backends import postgresql
from gongkai.search.models import SearchDocument
from gongkai.search.query import parse_query
from gongkai.search.services import index_publication, matching_publication_ids, search_publications

pytestmark = pytest.mark.django_db

SEED = 20261125
DOCUMENTS = 300
QUERIES = 1000
# Common characters, some traditional ones (which normalise onto the simplified ones here), ASCII in
# both cases, full-width letters and digits, punctuation and two kinds of space.
SIMPLIFIED = "张店区发展和改革局关于印发通知的工作方案政府信息公开年度报告预算资金项目管理"
TRADITIONAL = "張區發展關於資項"
ASCII = "abcABC0123"
FULL_WIDTH = "ＡＢｃ０１２"
PUNCTUATION = '，。、（）()-/:"'
SPACES = " \u3000"


def random_text(rng: random.Random, length: int) -> str:
    pools = [SIMPLIFIED, TRADITIONAL, ASCII, FULL_WIDTH, PUNCTUATION, SPACES]
    weights = [70, 8, 10, 4, 5, 3]
    return "".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(length))


@pytest.fixture
def corpus(monkeypatch):
    """The 300 publications, indexed, and for each its three normalised fields (computed here)."""
    monkeypatch.setattr(postgresql, "BITMAP_MAX", 10)
    monkeypatch.setattr(postgresql, "TITLE_BITMAP_MAX", 3)
    rng = random.Random(SEED)
    publishers = []
    for number, name in enumerate(["张店区发展和改革局", "张店区财政局", "车站街道办事处"]):
        first17 = f"1137030300421700{number + 1}"
        publishers.append(
            Organization.objects.create(name=name, slug=f"org{number}", uscc=first17 + uscc_check_char(first17))
        )
    author = User.objects.create(username="zhangsan", organization=publishers[0])
    column = Column.objects.get(code="regulations")
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    fields = {}
    for n in range(DOCUMENTS):
        bureau = publishers[n % len(publishers)]
        title = random_text(rng, rng.randint(4, 24))
        summary = random_text(rng, rng.randint(0, 40))
        body = random_text(rng, rng.randint(20, 300))
        keywords = random_text(rng, rng.randint(0, 6))
        # Several publications share a second, so that ties fall back to the id.
        published_at = start + datetime.timedelta(seconds=rng.randint(0, 2 * DOCUMENTS))
        publication = Publication.objects.create(
            publisher=bureau,
            title=title,
            summary=summary,
            body=f"<p>{body}</p>",
            keywords=keywords,
            issued_on=datetime.date(2026, 1, 1),
            column=column,
            author=author,
            status=Publication.Status.PUBLISHED,
            published_at=published_at,
            index_no=f"{bureau.uscc}/2026-{n:05d}",
        )
        index_publication(publication)
        fields[publication.pk] = (
            normalize_text(title),
            normalize_text(f"{summary}\n{body}"),
            normalize_text(f"\n{publication.index_no}\n{keywords}"),
            published_at,
            bureau.pk,
        )
    return fields


def expected(fields: dict, query: str) -> list[int]:
    """The reference: publications whose normalised fields contain every term, in ranking order."""
    terms = parse_query(query).terms
    hits = [
        pk
        for pk, (title, body, meta, *_) in fields.items()
        if all(t in title or t in body or t in meta for t in terms)
    ]
    return sorted(
        hits, key=lambda pk: (not all(t in fields[pk][0] for t in terms), -fields[pk][3].timestamp(), -pk)
    )


def draw_queries(fields: dict) -> list[str]:
    rng = random.Random(SEED + 1)
    texts = [text for title, body, meta, *_ in fields.values() for text in (title, body, body, meta) if text]
    queries = []
    while len(queries) < QUERIES:
        text = rng.choice(texts)
        length = rng.randint(1, 6)
        if len(text) < length:
            continue
        start = rng.randrange(len(text) - length + 1)
        query = text[start : start + length]
        if parse_query(query).terms:  # a substring of spaces alone is no query
            queries.append(query)
    return queries


def test_the_stored_text_is_the_independently_normalised_text(corpus):
    stored = {
        row[0]: row[1:]
        for row in SearchDocument.objects.values_list(
            "publication_id", "title_norm", "body_norm", "meta_norm"
        )
    }
    assert stored == {pk: (title, body, meta.strip()) for pk, (title, body, meta, *_) in corpus.items()}


def test_search_finds_exactly_what_a_substring_scan_finds_for_1000_random_queries(corpus):
    queries = draw_queries(corpus)
    assert (
        sum(1 for q in queries if len(parse_query(q).text) <= 2) > 300
    )  # many one- and two-character queries
    mismatches = []
    sizes = []
    for query in queries:
        want = expected(corpus, query)
        sizes.append(len(want))
        got = matching_publication_ids(query)
        page = search_publications(query, per_page=50)
        got_page = [hit.publication_id for hit in page.hits]
        if (
            got != want
            or got_page != want[:50]
            or page.count != len(want)
            or page.has_next != (len(want) > 50)
        ):
            mismatches.append((query, len(want), len(got), page.count))
    assert mismatches == []
    # The queries are not all trivial: some find nothing, many find dozens, some find most documents.
    assert min(sizes) >= 1 and max(sizes) > DOCUMENTS // 2 and sum(1 for s in sizes if s > 50) > 50


def test_search_within_organisations_finds_exactly_their_share_of_the_scan(corpus):
    publishers = sorted({publisher for *_, publisher in corpus.values()})
    scopes = [(publisher,) for publisher in publishers] + [tuple(publishers[:2])]
    mismatches = []
    for query, scope in zip(draw_queries(corpus)[:400], itertools.cycle(scopes)):
        want = [pk for pk in expected(corpus, query) if corpus[pk][4] in scope]
        filters = CatalogFilters(publisher_ids=scope)
        page = search_publications(query, filters, per_page=20)
        got_page = [hit.publication_id for hit in page.hits]
        if matching_publication_ids(query, filters) != want or got_page != want[:20] or page.count != len(want):
            mismatches.append((query, scope, len(want)))
    assert mismatches == []


def test_search_agrees_with_an_sql_scan_of_the_stored_text(corpus):
    function = "instr" if connection.vendor == "sqlite" else "strpos"
    mismatches = []
    for query in draw_queries(corpus)[:200]:
        terms = parse_query(query).terms
        anywhere = " OR ".join(
            f"{function}({column}, %s) > 0" for column in ("title_norm", "body_norm", "meta_norm")
        )
        where = " AND ".join(f"({anywhere})" for _ in terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT publication_id FROM search_document WHERE {where}",
                [t for t in terms for _ in range(3)],
            )
            scanned = {row[0] for row in cursor.fetchall()}
        if set(matching_publication_ids(query)) != scanned:
            mismatches.append(query)
    assert mismatches == []
