"""The public catalogue page over 100,000 publications: p50 server time of any page must be ≤ 50 ms.

A temporary database is made on the configured backend (SQLite by default; run with
``DATABASE_URL=postgres://…`` for PostgreSQL, where it is ``gongkai_bench_catalog``), migrated, given the
demo district and then 100,000 published publications (and 1,000 withdrawn ones, which must not show)
by raw ``executemany`` through Django's connection, from a fixed seed.

Each case requests ``/gongkai/catalog/?…`` through Django's test client — the whole server side:
middleware, the view's queries, the template — and takes the median of `runs` requests. Cases: the
first, a middle and the last page of the unfiltered catalogue, of a broad filter (法定主动公开内容, all
sixteen sub-columns) and of a narrow one (one topic in one year). A middle or last page is measured twice:
asked for by its number alone (``?page=N``: OFFSET walks past every earlier row; a number alone reaches the
first 501 pages of a list longer than the count's cap, so deeper pages of such a list are not asked for that
way and its page 501 is added), and reached as a reader reaches it, through the "下一页" link of the page before
(which carries that page's last row, so the page is sought from there).

Baseline, in the same run: rendering the same template with the same context processors and a constant
list of 20 publications already in memory (no catalogue query at all). The difference is what the
catalogue's queries cost. Every measured page is checked against a plain ORDER BY … OFFSET query.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import Result

SEED = 20261126
ROWS = 100_000
WITHDRAWN = 1_000
RUNS = 20
BUDGET_SECONDS = 0.050
BENCH_DATABASE = "gongkai_bench_catalog"
FIRST = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
SPAN_SECONDS = int((datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC) - FIRST).total_seconds())
# The index the catalogue needs (asked of catalog/models.py as Index(fields=["status", "-published_at",
# "-id", "column", "publisher", "topic", "genre"], name="publication_catalog")): it answers every filter
# and the order from the index alone. With BENCH_CATALOG_ADD_INDEX=1 the benchmark adds it when the schema
# lacks it, to measure the schema as proposed.
CATALOG_INDEX = "publication_catalog"
CATALOG_INDEX_SQL = (
    f"CREATE INDEX {CATALOG_INDEX} ON catalog_publication "
    "(status, published_at DESC, id DESC, column_id, publisher_id, topic_id, genre_id)"
)
PARAGRAPH = "为规范政府信息公开工作，依据《中华人民共和国政府信息公开条例》，结合本区实际，制定本办法。"


@dataclass(frozen=True)
class Case:
    name: str
    params: dict
    page: int
    count_exact: bool = True


def _note(line: str) -> None:
    """Progress and per-case lines go to stderr; bench.run prints the results on stdout."""
    print(line, file=sys.stderr, flush=True)


def _temporary_database():
    """Point the default connection at a fresh, migrated database; returns a function that drops it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="gongkai-bench-catalog-")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(folder) / "catalog.sqlite3")
    else:
        connection.settings_dict.setdefault("TEST", {})["NAME"] = BENCH_DATABASE
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    def drop() -> None:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    return drop


def _more_organizations(total: int) -> None:
    """Add organisations until the district has ``total`` (issue 10: a district of 50 on one installation)."""
    from gongkai.lib.identifiers import uscc_check_char
    from gongkai.orgs.models import Organization

    for number in range(Organization.objects.count(), total):
        first17 = f"113703030043{number:05d}"
        Organization.objects.create(
            name=f"张店区第{number}机关", slug=f"bench{number}", uscc=first17 + uscc_check_char(first17)
        )


def load(rows: int = ROWS, withdrawn: int = WITHDRAWN, seed: int = SEED, organizations: int = 0) -> float:
    """Insert the publications, spread at random over the demo district's organisations (or ``organizations`` of
    them, when more); returns the seconds it took."""
    from django.db import connection, transaction

    from gongkai import demo
    from gongkai.catalog.models import Column, Genre, Section, Topic
    from gongkai.orgs.models import Organization, User

    demo.load_district()
    _more_organizations(organizations)
    rng = random.Random(seed)
    organizations = list(Organization.objects.values_list("pk", "uscc"))
    disclosure = list(
        Column.objects.filter(section=Section.DISCLOSURE, children__isnull=True).values_list("pk", flat=True)
    )
    credit = list(Column.objects.filter(section=Section.CREDIT).values_list("pk", flat=True))
    topics = list(Topic.objects.values_list("pk", flat=True))
    genres = list(Genre.objects.values_list("pk", flat=True))
    author = User.objects.get(username="publisher").pk
    now = datetime.datetime.now(datetime.UTC)
    columns = (
        "publisher_id, title, doc_no, issued_on, summary, body, keywords, column_id, topic_id, genre_id, validity, "
        "status, index_no, published_at, author_id, created_at, updated_at, return_reason, withdrawal_reason, "
        "withdrawn_at"
    )
    sql = f"INSERT INTO catalog_publication ({columns}) VALUES ({', '.join(['%s'] * 20)})"
    batch = []
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for number in range(rows + withdrawn):
            publisher, uscc = rng.choice(organizations)
            published_at = FIRST + datetime.timedelta(seconds=rng.randrange(SPAN_SECONDS))
            gone = number >= rows
            column = rng.choice(credit) if rng.random() < 0.03 else rng.choice(disclosure)
            batch.append(
                (
                    publisher,
                    f"关于张店区第{number}号事项的通知",
                    f"张发改字〔{published_at.year}〕{number}号" if rng.random() < 0.5 else "",
                    published_at.date(),
                    PARAGRAPH,
                    f"<p>{PARAGRAPH * 12}</p>",
                    "",
                    column,
                    rng.choice(topics),
                    rng.choice(genres),
                    "",
                    "withdrawn" if gone else "published",
                    f"{uscc}/{published_at.year}-{number:07d}",
                    published_at,
                    author,
                    now,
                    now,
                    "",
                    "重复发布" if gone else "",
                    now if gone else None,
                )
            )
            if len(batch) == 5_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "catalog_publication")
        if CATALOG_INDEX not in indexes:
            if os.environ.get("BENCH_CATALOG_ADD_INDEX"):
                _note(f"catalog: adding the proposed index {CATALOG_INDEX} (BENCH_CATALOG_ADD_INDEX)")
                cursor.execute(CATALOG_INDEX_SQL)
            else:
                _note(f"catalog: the schema has no index {CATALOG_INDEX}; deep pages will read rows, not index entries")
        # Fresh statistics, and on PostgreSQL the visibility map that index-only scans need (autovacuum
        # would do both a little later on a live site).
        cursor.execute("VACUUM ANALYZE catalog_publication" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


def _cases() -> list[Case]:
    from gongkai.catalog import query
    from gongkai.catalog.models import Topic
    from gongkai.orgs.models import Organization

    topic = Topic.objects.get(name="综合政务")
    filters = [
        ("no filter", {}),
        ("column=statutory", {"column": "statutory"}),
        ("topic+year", {"topic": str(topic.pk), "year": "2020"}),
        # One organisation's publications in the district catalogue (what its own catalogue shows).
        ("one organisation", {"publisher": Organization.objects.get(uscc="1137030300421716XM").slug}),
    ]
    cases = []
    for label, params in filters:
        count = query.catalog_publications(query.parse_filters(params, section="disclosure")).count()
        last = max(1, -(-count // query.PER_PAGE))
        pages = [("page 1", 1), ("middle page", (last + 1) // 2), ("last page", last)]
        deepest = query.deepest_numbered_page(query.PER_PAGE)
        if count > query.COUNT_CAP:  # also the deepest page a page number alone reaches (OFFSET 10,000)
            pages.insert(1, ("deepest numbered page", deepest))
        for where, page in pages:
            name = f"{label}, {where} ({page} of {last}; {count:,} rows)"
            cases.append(Case(name, params, page, count_exact=count <= query.COUNT_CAP))
    return cases


def _by_number(case: Case) -> bool:
    """Whether a page number alone reaches ``case``'s page (see gongkai.catalog.query.deepest_numbered_page)."""
    from gongkai.catalog import query

    return case.page <= query.deepest_numbered_page(query.PER_PAGE) or case.count_exact





def _expected_index_numbers(case: Case) -> list[str]:
    """The page by the plainest possible query, to check the measured page against."""
    from gongkai.catalog import query

    publications = query.catalog_publications(query.parse_filters(case.params, section="disclosure"))
    offset = (case.page - 1) * query.PER_PAGE
    return list(
        publications.order_by("-published_at", "-id").values_list("index_no", flat=True)[
            offset : offset + query.PER_PAGE
        ]
    )


def _url(params: dict, page: int) -> str:
    from urllib.parse import urlencode

    params = {**params, "page": str(page)} if page > 1 else params
    return "/gongkai/catalog/" + (f"?{urlencode(params)}" if params else "")


def _next_link(client, case: Case) -> str:
    """The "下一页" link of the page before ``case``'s: page N with ``after=<N-1>-<last id of page N-1>`` (the
    ids from the plain OFFSET query, not timed). Where a page number alone reaches the page before, its rendered
    link is checked to be exactly this one."""
    import html
    import re
    from urllib.parse import urlencode

    from gongkai.catalog import query

    publications = query.catalog_publications(query.parse_filters(case.params, section="disclosure"))
    offset = (case.page - 2) * query.PER_PAGE
    ids = publications.order_by(*query.CATALOG_ORDER).values_list("id", flat=True)
    last = list(ids[offset : offset + query.PER_PAGE])[-1]
    url = "/gongkai/catalog/?" + urlencode({**case.params, "page": case.page, "after": f"{case.page - 1}-{last}"})
    if case.page - 1 <= query.deepest_numbered_page(query.PER_PAGE):
        before = client.get(_url(case.params, case.page - 1)).content.decode()
        link = re.search(r'<a href="([^"]+)" rel="next">', before)
        if link is None or html.unescape(link.group(1)) != url:
            raise AssertionError(f"{case.name}: the page before links to {link and link.group(1)}, not {url}")
    return url


def _time(work, runs: int) -> float:
    work()  # warm caches and connections; not counted
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _baseline(runs: int) -> float:
    """Render catalog.html with a constant 20-row page: the template's cost without the catalogue's queries."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from gongkai.catalog import query
    from gongkai.catalog.views.public import _filter_options

    request = RequestFactory().get("/gongkai/catalog/", HTTP_HOST="127.0.0.1")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    page = query.catalog_page(query.catalog_publications(query.parse_filters({})), 1)
    constant = query.CatalogPage(rows=list(page.rows), pager=page.pager)
    context = {
        "page": constant,
        "filters": query.parse_filters({}),
        "filter_errors": {},
        "organization": None,
        **_filter_options(organization=None),
    }
    return _time(lambda: render_to_string("catalog/public/catalog.html", context, request=request), runs)


def run(rows: int = ROWS, runs: int = RUNS, organizations: int = 0) -> list[Result]:
    from django.test.utils import override_settings

    # Static files are not collected for a benchmark: the plain storage names them without a manifest.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The page cache (gongkai.portal.pagecache) would answer every repeated request from memory: measured here is
    # what rendering a page costs, so nothing is kept.
    caches = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(STORAGES=storages, CACHES=caches):
        return _run(rows, runs, organizations)


def _run(rows: int, runs: int, organizations: int = 0) -> list[Result]:
    from django.db import connection
    from django.test import Client

    drop = _temporary_database()
    try:
        seconds = load(rows, organizations=organizations)
        vendor = connection.vendor
        from gongkai.orgs.models import Organization

        _note(
            f"catalog: {rows:,} published and {WITHDRAWN:,} withdrawn publications of "
            f"{Organization.objects.count()} organisations on {vendor}, {seconds:.1f} s"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        baseline = _baseline(runs)
        _note(f"  baseline (catalog.html with a constant 20-row page): p50 {baseline * 1000:.1f} ms")
        results = []
        for case in _cases():
            ways = [("by its number", _url(case.params, case.page))] if _by_number(case) else []
            if case.page > 2:
                ways.append(("through the link of the page before", _next_link(client, case)))
            expected = _expected_index_numbers(case)
            for way, url in ways:

                def request(url=url):
                    response = client.get(url)
                    assert response.status_code == 200, response.status_code
                    return response

                html = request().content.decode()
                missing = [number for number in expected if number not in html]
                if not expected or missing:
                    raise AssertionError(f"{case.name} {way}: the page lacks {len(missing)} of {len(expected)} rows")
                p50 = _time(request, runs)
                verdict = "yes" if p50 <= BUDGET_SECONDS else "NO"
                name = f"{case.name}, {way}" if case.page > 2 else case.name
                _note(f"  {name}: p50 {p50 * 1000:.1f} ms; within {BUDGET_SECONDS * 1000:.0f} ms: {verdict}")
                results.append(
                    Result(
                        name=f"catalogue page on {vendor}, {name}, p50 within 50 ms: {verdict}",
                        samples=runs,
                        baseline="catalog.html with a constant 20-row page",
                        baseline_seconds=baseline,
                        seconds=p50,
                    )
                )
        return results
    finally:
        drop()


if __name__ == "__main__":  # python -m bench.catalog
    from bench.run import setup_django

    setup_django()
    run(
        rows=int(os.environ.get("BENCH_CATALOG_ROWS", ROWS)),
        organizations=int(os.environ.get("BENCH_CATALOG_ORGANIZATIONS", 0)),
    )
