"""PostgreSQL: exact n-gram sets in GIN indexes, then "newest first" by the rank key.

Each document stores ``grams``, the distinct 1-, 2- and 3-character substrings of its normalised title,
text and metadata, and ``title_grams``, those of its title, as ``bigint[]``: a substring of up to three
characters is encoded exactly as one integer (21 bits per code point, see `gram_code`), so
``grams @> ARRAY[code]`` holds exactly when the substring occurs, and the GIN index answers it without
reading any text. A term of four or more characters asks for all its trigrams and is then confirmed
with ``strpos`` on the text. Substrings containing a space are left out: terms never contain one.
Both arrays also hold the publisher's code (`publisher_code`: minus its id, which no substring has), so
that a search within one organisation intersects inside the GIN index instead of finding the whole
district's matches first; and a walk within one organisation goes down ``(publisher_id, rank)``.

Why not pg_trgm: it hashes multi-byte trigrams (so every CJK match is re-checked against the text), it
cannot serve one- and two-character patterns, and its LIKE support always re-checks; counting 10,000
matches of a common term then reads 10,000 texts (see docs/benchmarks.md).

Plans are chosen here, not left to estimates: a GIN bitmap for small match sets (then sorted), a walk
down the primary key (newest first) with the text tests for large ones. The planner settings that force
this are set with ``set_config(..., true)`` inside the search's transaction and put back afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from gongkai.catalog.filters import CatalogFilters
from gongkai.search.backends import OTHER_TIER, TITLE_TIER, filter_sql
from gongkai.search.documents import COLUMNS, DocumentRow
from gongkai.search.query import ParsedQuery

# As created by the migration search/0001_initial (bulk_load drops and rebuilds them).
GIN_INDEXES = {
    "search_document_grams": "ON search_document USING gin (grams)",
    "search_document_title_grams": "ON search_document USING gin (title_grams)",
}
# A match set up to this size is fetched whole through the GIN index and sorted; a larger one is read
# newest first along the primary key, testing the text, until the page is full.
BITMAP_MAX = 2000
# The title matches of a large set likewise, with a smaller threshold: titles are short and inline.
TITLE_BITMAP_MAX = 500
_PLANNER = ("enable_seqscan", "enable_indexscan", "enable_bitmapscan")
_BITMAP = ("off", "off", "on")
_WALK = ("off", "on", "off")


def gram_code(gram: str) -> int:
    """The exact integer of a string of 1–3 characters: 21 bits per code point.

    Normalised text has no NUL, so every code point is at least 1: one character gives a code below
    2**21, two a code from 2**21 to 2**42, three one from 2**42 up (and below 2**63, a bigint).
    """
    code = 0
    for ch in gram:
        code = (code << 21) | ord(ch)
    return code


def publisher_code(publisher_id: int) -> int:
    """The code of "published by this organisation" in ``grams``: negative, so no substring has it."""
    return -publisher_id


def gram_codes(text: str) -> set[int]:
    """The codes of every distinct substring of 1–3 characters of ``text`` that contains no space."""
    codes: set[int] = set()
    for word in text.split(" "):
        points = list(map(ord, word))
        bigrams = [(a << 21) | b for a, b in itertools.pairwise(points)]
        codes.update(points)
        codes.update(bigrams)
        codes.update([(ab << 21) | c for ab, c in zip(bigrams, points[2:], strict=False)])
    return codes


def term_codes(term: str) -> list[int]:
    """What a term asks of ``grams``: its own code, or for a longer term the codes of its trigrams."""
    if len(term) <= 3:
        return [gram_code(term)]
    return [gram_code(term[i : i + 3]) for i in range(len(term) - 2)]


def _array(codes: set[int]) -> str:
    """A bigint[] literal: written here, because psycopg's list dumper checks every element (10× slower)."""
    return "{" + ",".join(map(str, codes)) + "}"


class _Predicates:
    """The SQL of one query: GIN conditions for the bitmap plans, text tests for the walks.

    Within one organisation the GIN conditions also ask for its code; within several, for any of theirs.
    (The publisher filter itself stays in the WHERE clause as well: the codes only narrow the bitmap.)
    """

    def __init__(self, query: ParsedQuery, filters: CatalogFilters | None = None) -> None:
        codes = sorted({code for term in query.terms for code in term_codes(term)})
        publishers = sorted(publisher_code(pk) for pk in (filters.publisher_ids if filters else ()))
        long_terms = [term for term in query.terms if len(term) > 3]
        if len(publishers) == 1:
            codes = [*publishers, *codes]
        self.grams = ("d.grams @> %s::bigint[]", [codes])
        self.title_grams = ("d.title_grams @> %s::bigint[]", [codes])
        if len(publishers) > 1:
            self.grams = ("d.grams @> %s::bigint[] AND d.grams && %s::bigint[]", [codes, publishers])
            self.title_grams = ("d.title_grams @> %s::bigint[] AND d.title_grams && %s::bigint[]", [codes, publishers])
        # The body last: it is the one read from out-of-line storage.
        anywhere = (
            "(strpos(d.title_norm, %s) > 0 OR strpos(d.meta_norm, %s) > 0 OR strpos(d.body_norm, %s) > 0)"
        )
        self.confirm = (" AND ".join([anywhere] * len(long_terms)), [t for t in long_terms for _ in range(3)])
        self.confirm_title = (
            " AND ".join(["strpos(d.title_norm, %s) > 0"] * len(long_terms)),
            list(long_terms),
        )
        self.text = (" AND ".join([anywhere] * len(query.terms)), [t for t in query.terms for _ in range(3)])
        self.title_text = (
            " AND ".join(["strpos(d.title_norm, %s) > 0"] * len(query.terms)),
            list(query.terms),
        )


def _where(*parts: tuple[str, list]) -> tuple[str, list]:
    sql = [part for part, _ in parts if part]
    params = [value for part, values in parts if part for value in values]
    return " AND ".join(sql) if sql else "TRUE", params


def _filters(filters: CatalogFilters | None, exclude: Sequence[int]) -> tuple[str, list]:
    clauses, params = filter_sql(filters)
    if exclude:
        clauses.append("d.rank <> ALL(%s::bigint[])")
        params.append(list(exclude))
    return " AND ".join(clauses), params


class PostgreSQLBackend:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # --- writing ------------------------------------------------------------------------------------

    def write(self, rows: Sequence[DocumentRow]) -> None:
        if not rows:
            return
        values = []
        for row in rows:
            title = gram_codes(row.title_norm) | {publisher_code(row.publisher_id)}
            grams = title | gram_codes(row.body_norm) | gram_codes(row.meta_norm)
            values.append([*row.values(), _array(grams), _array(title)])
        columns = ", ".join([*COLUMNS, "grams", "title_grams"])
        with self.connection.cursor() as cursor:
            if len(values) == 1:
                placeholders = ", ".join(["%s"] * len(COLUMNS) + ["%s::bigint[]", "%s::bigint[]"])
                cursor.execute(f"INSERT INTO search_document ({columns}) VALUES ({placeholders})", values[0])
                return
            with cursor.cursor.copy(f"COPY search_document ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)

    def delete(self, publication_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE publication_id = ANY(%s::bigint[])",
                [list(publication_ids)],
            )

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Around the loading of an empty index: the GIN indexes are built once at the end.

        Building a GIN index over 100,000 documents takes about a fifth of the time that inserting them
        into it one by one does. Only for an empty index, which searches find nothing in meanwhile.
        """
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM search_document)")
            empty = not cursor.fetchone()[0]
            if empty:
                for name in GIN_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
        try:
            yield
        finally:
            if empty:
                with self.connection.cursor() as cursor:
                    # Check the deferred foreign keys now: CREATE INDEX refuses to run with checks pending
                    # (when the caller's transaction wraps the whole rebuild).
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SELECT current_setting('maintenance_work_mem')")
                    saved = cursor.fetchone()[0]
                    cursor.execute("SET maintenance_work_mem = '512MB'")
                    for name, definition in GIN_INDEXES.items():
                        cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again
                    cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [saved])

    # --- reading ------------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[None]:
        with transaction.atomic():
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in _PLANNER))
                saved = cursor.fetchone()
            yield
            # Settings made with is_local last to the end of the outermost transaction: put them back.
            self._plan(saved)

    def _plan(self, values: Sequence[str]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in _PLANNER), list(values)
            )

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, query: ParsedQuery, filters: CatalogFilters | None, cap: int) -> int:
        p = _Predicates(query, filters)
        where, params = _where(p.grams, p.confirm, _filters(filters, ()))
        self._plan(_BITMAP)
        rows = self._fetch(
            f"SELECT count(*) FROM (SELECT 1 FROM search_document d WHERE {where} LIMIT %s) s", [*params, cap]
        )
        return rows[0][0]

    def _top(self, p: _Predicates, filters, exclude, limit: int | None) -> list[tuple[int, int]]:
        """Every match through the GIN index, sorted: title matches first, then newest first."""
        where, params = _where(p.grams, p.confirm, _filters(filters, exclude))
        title_sql, title_params = p.title_text
        self._plan(_BITMAP)
        sql = (
            f"SELECT d.rank, ({title_sql}) AS in_title FROM search_document d WHERE {where} "
            "ORDER BY in_title DESC, d.rank DESC"
        )
        if limit is not None:
            sql += " LIMIT %s"
            params = [*params, limit]
        rows = self._fetch(sql, [*title_params, *params])
        return [(rank, TITLE_TIER if in_title else OTHER_TIER) for rank, in_title in rows]

    def _bitmap_ranks(self, condition: tuple[str, list], filters, exclude, limit: int) -> list[int]:
        where, params = _where(condition, _filters(filters, exclude))
        self._plan(_BITMAP)
        return [
            row[0]
            for row in self._fetch(
                f"SELECT d.rank FROM search_document d WHERE {where} LIMIT %s", [*params, limit]
            )
        ]

    def _walk(self, condition: tuple[str, list], filters, exclude, limit: int) -> list[int]:
        """The first ``limit`` ranks matching ``condition``, newest first, along the primary key."""
        where, params = _where(condition, _filters(filters, exclude))
        self._plan(_WALK)
        sql = f"SELECT d.rank FROM search_document d WHERE {where} ORDER BY d.rank DESC LIMIT %s"
        return [row[0] for row in self._fetch(sql, [*params, limit])]

    def ranked(
        self,
        query: ParsedQuery,
        filters: CatalogFilters | None,
        exclude: Sequence[int],
        limit: int,
        count: int | None = None,
    ) -> list[tuple[int, int]]:
        if limit <= 0:
            return []
        p = _Predicates(query, filters)
        if count is None:
            count = self.count(query, filters, BITMAP_MAX + 1)
        if count <= BITMAP_MAX:
            return self._top(p, filters, exclude, limit)
        # Many matches: the title matches (few, usually) through their own index, the rest newest first.
        titles = self._bitmap_ranks(
            _where(p.title_grams, p.confirm_title), filters, exclude, TITLE_BITMAP_MAX + 1
        )
        if len(titles) <= TITLE_BITMAP_MAX:
            found = sorted(titles, reverse=True)[:limit]
        else:
            found = self._walk(p.title_text, filters, exclude, limit)
        ranked = [(rank, TITLE_TIER) for rank in found]
        if len(ranked) < limit:
            title_sql, title_params = p.title_text
            others = (f"NOT ({title_sql})", title_params)
            rest = self._walk(_where(p.text, others), filters, exclude, limit - len(ranked))
            ranked.extend((rank, OTHER_TIER) for rank in rest)
        return ranked

    def all_ranked(self, query: ParsedQuery, filters: CatalogFilters | None) -> list[tuple[int, int]]:
        return self._top(_Predicates(query, filters), filters, (), None)

    def matching(self, query: ParsedQuery, ranks: Sequence[int]) -> set[int]:
        if not ranks:
            return set()
        where, params = _where(_Predicates(query).text, ("d.rank = ANY(%s::bigint[])", [list(ranks)]))
        return {row[0] for row in self._fetch(f"SELECT d.rank FROM search_document d WHERE {where}", params)}
