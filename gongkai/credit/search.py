"""Finding public 双公示 records by name: any substring of the name, traditional or simplified, on 1,000,000 records.

Names are kept in search form (`Licence.name_norm`, `gongkai.lib.text.normalize_text`). How a name is found
depends on the database and the length of what was typed:

* **SQLite, three or more characters**: the FTS5 trigram table ``credit_<type>_names`` holds the names of the
  records that are public now, and nothing else. Its rowid is the record's *rank key*,
  ``days since 1970 of the decision date << 32 | record id``, so that the newest decisions come straight out
  of the index in the order of the public list (decision date, then id, newest first), with a date range as a
  rowid range. This module writes it: `unindex` before a record changes or leaves public view, `index` after
  it is written, both by SQL over the records table; a trigger removes a deleted record's row.
* **Otherwise** (one or two characters, which cannot use trigrams — on SQLite 3.40 a short ``MATCH`` even
  finds nothing, NOTES-performance.md — and any name on PostgreSQL) the newest `WINDOW` records are read
  from the index ``<type>_public_names``, which holds the name beside the public list's order: a common name
  has its page and its capped count there (`_newest_matches`). A rarer one is found by ``LIKE`` on
  ``name_norm``: on PostgreSQL the ``pg_trgm`` GIN index ``credit_<type>_name_trgm`` answers three or more
  characters; one or two are a scan of that same index.

Counts stop at `COUNT_CAP` (shown as "10000+"), and for a name at `NAME_COUNT_CAP` ("1000+"): counting the
matches of a common name is the expensive part (10,000 of them cost 5 ms, the page itself 1 ms).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection

from gongkai.catalog.query import Pager

COUNT_CAP = 10_000
NAME_COUNT_CAP = 1_000
ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
EPOCH_JULIAN = 2440587  # CAST(julianday('1970-01-01') AS INTEGER); julianday() of a date ends in .5
MIN_TRIGRAM = 3
# Without the FTS path a name is first looked for among the newest records, this many (`_newest_matches`).
WINDOW = 20_000


def fts_table(model) -> str:
    return f"{model._meta.db_table}_names"


def rank_sql(alias: str = "t") -> str:
    """The rank key of a records-table row, in SQLite."""
    return f"(((CAST(julianday({alias}.decision_date) AS INTEGER) - {EPOCH_JULIAN}) << {ID_BITS}) | {alias}.id)"


def day_rank(day: datetime.date) -> int:
    """The smallest rank key of a decision on ``day``."""
    return (day - datetime.date(1970, 1, 1)).days << ID_BITS


def uses_fts() -> bool:
    return connection.vendor == "sqlite"


# -- Writing (SQLite): the services call these inside their transactions --------------------------------------


def unindex(model, where: str, params: list) -> None:
    """Take out of the name index the records ``t`` selected by ``where`` (SQL over the records table ``t``)."""
    if not uses_fts():
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {fts_table(model)} WHERE rowid IN (SELECT {rank_sql()} FROM {table} t WHERE t.is_public AND ({where}))",  # noqa: E501
            params,
        )


def index(model, where: str, params: list) -> None:
    """Put into the name index the public records ``t`` selected by ``where`` (not already in it)."""
    if not uses_fts():
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {fts_table(model)} (rowid, name) SELECT {rank_sql()}, t.name_norm FROM {table} t "
            f"WHERE t.is_public AND ({where})",
            params,
        )


# -- Reading -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    ids: list[int]  # the page's records, in order
    pager: Pager


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_page(model, term: str, *, authority: str, start, end, offset: int, limit: int) -> tuple[list[int], int]:
    """Ids of a page of FTS matches newest first, and the capped count of all matches."""
    where = ["f.name MATCH %s"]
    params: list = [_fts_phrase(term)]
    if start:
        where.append("f.rowid >= %s")
        params.append(day_rank(start))
    if end:
        where.append("f.rowid < %s")
        params.append(day_rank(end + datetime.timedelta(days=1)))
    join = ""
    if authority:
        join = f"JOIN {model._meta.db_table} t ON t.id = (f.rowid & {ID_MASK})"
        where.append("t.authority_uscc = %s")
        params.append(authority)
    sql = f"FROM {fts_table(model)} f {join} WHERE {' AND '.join(where)}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT {NAME_COUNT_CAP + 1})", params)
        count = cursor.fetchone()[0]
        cursor.execute(f"SELECT f.rowid {sql} ORDER BY f.rowid DESC LIMIT %s OFFSET %s", [*params, limit, offset])
        ids = [rank & ID_MASK for (rank,) in cursor.fetchall()]
    return ids, count


def name_page(queryset, term: str, *, authority: str, start, end, number: int, per_page: int) -> Found:
    """Page ``number`` of the public records of ``queryset`` whose name contains ``term`` (in search form).

    ``queryset`` is ``Model.objects.public()`` with the authority and date filters already applied; the FTS
    path applies them itself.
    """
    offset = (number - 1) * per_page
    if uses_fts() and len(term) >= MIN_TRIGRAM:
        ids, count = _fts_page(
            queryset.model, term, authority=authority, start=start, end=end, offset=offset, limit=per_page + 1
        )
        return _found(ids, count, number, per_page, NAME_COUNT_CAP)
    wanted = max(offset + per_page + 1, NAME_COUNT_CAP + 1)  # the page, and enough to cap the count
    ids = _newest_matches(queryset, term, wanted=wanted)
    if ids is None:  # a rarer name: its first matches, in one pass (the count is how many came, up to the cap)
        matching = queryset.filter(name_norm__contains=term).order_by("-decision_date", "-id")
        ids = list(matching.values_list("id", flat=True)[:wanted])
    return _found(ids[offset : offset + per_page + 1], len(ids), number, per_page, NAME_COUNT_CAP)


def _newest_matches(queryset, term: str, *, wanted: int) -> list[int] | None:
    """The first ``wanted`` matches, newest first, if the newest `WINDOW` records hold that many (a common name:
    no later match can come before them) or are all there is; else None. The window is read from the index
    that holds the name beside the list's order, without the table."""
    newest = queryset.order_by("-decision_date", "-id").values_list("id", "name_norm", "decision_date")[:WINDOW]
    sql, params = newest.query.sql_with_params()
    position = "strpos" if connection.vendor == "postgresql" else "instr"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w.id FROM ({sql}) w WHERE {position}(w.name_norm, %s) > 0 "
            f"ORDER BY w.decision_date DESC, w.id DESC LIMIT {wanted}",
            [*params, term],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        if len(ids) >= wanted:
            return ids
        cursor.execute(f"SELECT count(*) FROM ({sql}) w", params)
        (window,) = cursor.fetchone()
    return ids if window < WINDOW else None


def list_page(queryset, *, number: int, per_page: int, cap: int | None = None) -> Found:
    """Page ``number`` of ``queryset``, newest decision first; the count stops at ``cap`` (`COUNT_CAP`)."""
    cap = cap or COUNT_CAP
    offset = (number - 1) * per_page
    count = queryset.order_by()[: cap + 1].count()
    ids = list(queryset.order_by("-decision_date", "-id").values_list("id", flat=True)[offset : offset + per_page + 1])
    return _found(ids, count, number, per_page, cap)


def _found(ids: list[int], count: int, number: int, per_page: int, cap: int) -> Found:
    pager = Pager(
        number=number,
        per_page=per_page,
        count=min(count, cap),
        count_capped=count > cap,
        has_next=len(ids) > per_page,
    )
    return Found(ids[:per_page], pager)
