"""SQLite: two contentless FTS5 tables over the normalised text, keyed by the rank key.

* ``search_trigram`` (trigram tokenizer, case-sensitive because the text is already normalised) answers
  queries whose terms all have three or more characters: a term is a phrase of its trigrams, which
  matches exactly where the term occurs as a substring.
* ``search_unigram`` answers queries with a term of one or two characters, which trigrams cannot: its
  text is the normalised text with every character written as a separate token (`unigram_stream`), so
  a term is a phrase of its characters. Any term can be answered there, only more slowly.

Both are exact, so no candidate is re-checked against the text. Rows come out of FTS5 in rowid order,
and the rowid is the rank key, so "newest first" needs no sort and stops after the page.

Every table also has a ``publisher`` column holding one token that names the publishing organisation and that
no text can hold (`publisher_token`), so a search within one organisation of a district is one FTS5 expression:
FTS5 steps through that organisation's documents and the matches together, instead of walking the whole
district's matches and looking each one up (issue 10).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext

from django.db.backends.base.base import BaseDatabaseWrapper

from gongkai.catalog.filters import CatalogFilters
from gongkai.search.backends import OTHER_TIER, TITLE_TIER, filter_sql, in_list
from gongkai.search.documents import COLUMNS, DocumentRow
from gongkai.search.query import ParsedQuery

TRIGRAM = "search_trigram"
UNIGRAM = "search_unigram"
# The titles again, alone: "the newest title matches" then costs what the title matches cost, even for a
# term that is in the text of every document and the title of few.
TITLE_TABLE = {TRIGRAM: "search_title_trigram", UNIGRAM: "search_title_unigram"}
CHUNK = 500  # rows per statement where a statement lists them


# The 'ascii' tokenizer keeps ASCII letters and digits and every non-ASCII character as token
# characters and splits on the rest; ASCII punctuation and the space are therefore written as
# multi-letter tokens (``,`` is ``p2c``, the space ``ws``), which never equal a one-character token.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_ESCAPES = {chr(i): f"p{i:x}" for i in range(33, 127) if _PUNCTUATION.match(chr(i))}


def _escape(match: re.Match) -> str:
    return _ESCAPES[match.group()]


def unigram_stream(text: str | None) -> str | None:
    """``张店 a,b`` → ``张 店 ws a p2c b``: one token per character of normalised text."""
    if text is None:
        return None
    stream = " ws ".join(" ".join(word) for word in text.split(" "))
    return _PUNCTUATION.sub(_escape, stream) if _PUNCTUATION.search(text) else stream


# The publisher token: a control character that normalised text never holds (`normalize_text` drops it), then
# the id in base 6,400 in two characters of the private-use area U+E000–U+F8FF.
_TOKEN_FIRST = 0xE000
_TOKEN_BASE = 6400
MAX_PUBLISHER_ID = _TOKEN_BASE**2 - 1


def publisher_token(publisher_id: int) -> str:
    """The ``publisher`` column's one token, which no text can hold: one trigram of the trigram tables (text has
    no U+0001), and in the 'ascii' tables, which split at U+0001, one token of two characters (their text is
    written one character per token). The triggers (migration search/0002) compute the same in SQL."""
    if not 0 < publisher_id <= MAX_PUBLISHER_ID:
        raise ValueError(f"publisher id {publisher_id} is outside 1..{MAX_PUBLISHER_ID}")
    high, low = divmod(publisher_id, _TOKEN_BASE)
    return "\x01" + chr(_TOKEN_FIRST + high) + chr(_TOKEN_FIRST + low)


def _phrase(term: str, table: str) -> str:
    if table == TRIGRAM:
        return '"' + term.replace('"', '""') + '"'
    return '"' + unigram_stream(term) + '"'  # the stream has no quotes: '"' is written p22


class SQLiteBackend:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # --- writing ------------------------------------------------------------------------------------

    def write(self, rows: Sequence[DocumentRow]) -> None:
        if not rows:
            return
        adapt = self.connection.ops.adapt_datetimefield_value
        published = COLUMNS.index("published_at")
        values = []
        for row in rows:
            value = list(row.values())
            value[published] = adapt(value[published])
            values.append(value)
        with self.connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(
                f"INSERT INTO search_document ({', '.join(COLUMNS)}) VALUES ({placeholders})", values
            )
            streams = [
                (unigram_stream(row.title_norm), unigram_stream(row.body_norm), unigram_stream(row.meta_norm))
                for row in rows
            ]
            tokens = [publisher_token(row.publisher_id) for row in rows]
            cursor.executemany(
                f"INSERT INTO {TRIGRAM} (rowid, title, body, meta, publisher) VALUES (%s, %s, %s, %s, %s)",
                [
                    (row.rank, row.title_norm, row.body_norm, row.meta_norm, token)
                    for row, token in zip(rows, tokens, strict=True)
                ],
            )
            cursor.executemany(
                f"INSERT INTO {UNIGRAM} (rowid, title, body, meta, publisher) VALUES (%s, %s, %s, %s, %s)",
                [(row.rank, *stream, token) for row, stream, token in zip(rows, streams, tokens, strict=True)],
            )
            cursor.executemany(
                f"INSERT INTO {TITLE_TABLE[TRIGRAM]} (rowid, title, publisher) VALUES (%s, %s, %s)",
                [(row.rank, row.title_norm, token) for row, token in zip(rows, tokens, strict=True)],
            )
            cursor.executemany(
                f"INSERT INTO {TITLE_TABLE[UNIGRAM]} (rowid, title, publisher) VALUES (%s, %s, %s)",
                [(row.rank, stream[0], token) for row, stream, token in zip(rows, streams, tokens, strict=True)],
            )

    def delete(self, publication_ids: Sequence[int]) -> None:
        # The trigger search_document_deleted removes the full-text rows.
        with self.connection.cursor() as cursor:
            for start in range(0, len(publication_ids), CHUNK):
                clause, params = in_list("publication_id", publication_ids[start : start + CHUNK])
                cursor.execute(f"DELETE FROM search_document WHERE {clause}", params)

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            for table in (TRIGRAM, UNIGRAM, *TITLE_TABLE.values()):
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")

    def bulk_load(self) -> AbstractContextManager[None]:
        return nullcontext()

    # --- reading ------------------------------------------------------------------------------------

    def reading(self) -> AbstractContextManager[None]:
        # No transaction: SQLite transactions here begin IMMEDIATE and would queue searches behind writers.
        return nullcontext()

    def _expressions(self, query: ParsedQuery, filters: CatalogFilters | None) -> tuple[str, str]:
        """``(table, expression)``: the FTS5 table and the expression of every match, the filters' publishers
        included. The title matches are the same expression in ``TITLE_TABLE[table]``.

        No expression filters by column: the matches whose title lacks a term are every match but the title
        table's, so the two tiers cannot disagree about a title (a ``NOT {title} :`` expression read newest first
        did, in SQLite 3.40.1's FTS5: see gongkai/__init__.py).
        """
        table = UNIGRAM if query.has_short_terms else TRIGRAM
        phrases = " AND ".join(_phrase(term, table) for term in query.terms)
        if filters is not None and filters.publisher_ids:
            tokens = " OR ".join(f'"{publisher_token(publisher)}"' for publisher in filters.publisher_ids)
            return table, f"({tokens}) AND ({phrases})"
        return table, f"({phrases})"

    def _select(
        self,
        table: str,
        expression: str,
        filters: CatalogFilters | None,
        exclude: Sequence[int] = (),
        limit: int | None = None,
        *,
        ordered: bool = True,
    ) -> tuple[str, list]:
        """SELECT the rank keys of the rows of ``table`` that match ``expression``, newest first.

        The publishers are in the expression; the other filters' columns live in search_document.
        """
        others = dataclasses.replace(filters, publisher_ids=()) if filters is not None else None
        clauses, params = filter_sql(others)
        sql = f"SELECT {table}.rowid FROM {table}"
        if clauses:  # one index lookup per match
            sql += f" JOIN search_document d ON d.rank = {table}.rowid"
        where = [f"{table} MATCH %s", *clauses]
        params = [expression, *params]
        if exclude:
            clause, values = in_list(f"{table}.rowid", exclude, negate=True)
            where.append(clause)
            params.extend(values)
        sql += " WHERE " + " AND ".join(where)
        if ordered:
            sql += f" ORDER BY {table}.rowid DESC"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        return sql, params

    def _ranks(self, sql: str, params: list) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def count(self, query: ParsedQuery, filters: CatalogFilters | None, cap: int) -> int:
        table, every = self._expressions(query, filters)
        sql, params = self._select(table, every, filters, limit=cap, ordered=False)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql})", params)
            return cursor.fetchone()[0]

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
        table, every = self._expressions(query, filters)
        titles = self._ranks(*self._select(TITLE_TABLE[table], every, filters, exclude, limit))
        found = [(rank, TITLE_TIER) for rank in titles]
        if len(found) < limit:
            # Fewer title matches than asked for: these are all of them, and the rest is every other match.
            rest = self._ranks(*self._select(table, every, filters, [*exclude, *titles], limit - len(found)))
            found.extend((rank, OTHER_TIER) for rank in rest)
        return found

    def all_ranked(self, query: ParsedQuery, filters: CatalogFilters | None) -> list[tuple[int, int]]:
        table, every = self._expressions(query, filters)
        titles = self._ranks(*self._select(TITLE_TABLE[table], every, filters))
        in_title = set(titles)
        found = [(rank, TITLE_TIER) for rank in titles]
        rest = self._ranks(*self._select(table, every, filters))
        found.extend((rank, OTHER_TIER) for rank in rest if rank not in in_title)
        return found

    def matching(self, query: ParsedQuery, ranks: Sequence[int]) -> set[int]:
        if not ranks:
            return set()
        table, every = self._expressions(query, None)
        clause, values = in_list("rowid", ranks)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s AND {clause}", [every, *values])
            return {row[0] for row in cursor.fetchall()}
