"""Writing checked rows into the records tables fast: a chunk at a time through a staging table, by set-based SQL.

Django's ``bulk_create`` writes about 7,000 rows a second on SQLite (it caps each INSERT at ~47 rows) against
90,000 for a raw ``executemany`` (NOTES-performance.md), and it cannot update a record that exists. On
PostgreSQL a chunk none of whose decisions is recorded yet (probed by the unique index) goes straight into the
table by ``COPY``. Otherwise the chunk goes into a temporary table of the records table's shape (``COPY`` on
PostgreSQL, ``executemany`` on SQLite, where this path is faster than ``executemany`` into the indexed table
because the index work is done in one statement), and then, in SQL:

1. the records it replaces are found (by authority USCC and decision number), their current version is kept
   in `RecordVersion` and their names leave the name index;
2. ``INSERT … SELECT … ON CONFLICT DO UPDATE`` writes the chunk (a record published once keeps its first
   publication time);
3. the names of the chunk's public records enter the name index (`gongkai.credit.search`).

The caller owns the transaction: a failure or a killed process leaves nothing behind.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from gongkai.credit import search
from gongkai.credit.models import Licence, RecordType
from gongkai.workdays.calendar import WorkCalendar

PUBLICITY_DAYS = 7  # 国办发〔2015〕51号 §(十八): public within 7 working days of the decision

# What the checking process sends (`gongkai.credit.checking.row_of`), in order; "publishable" is not stored.
COMMON = (
    "authority_uscc", "decision_number", "subject_name", "name_norm", "subject_kind", "subject_uscc",
    "decision_date", "status", "data",
)  # fmt: skip
PUBLISHABLE = len(COMMON)
SPECIFIC = {
    RecordType.LICENCE: ("category", "valid_from", "valid_to"),
    RecordType.PENALTY: ("categories", "fine", "confiscated"),
}
# What the writer adds.
ADDED = (
    "publicity_due", "is_public", "first_published_at", "source_id", "submission_id", "created_at", "updated_at",
)  # fmt: skip


class Writer:
    """Writes the chunks of one submission of one record type. Use inside ``transaction.atomic()``."""

    def __init__(self, model, *, submission, calendar: WorkCalendar, hold: bool, now: datetime.datetime) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.record_type = RecordType.LICENCE if model is Licence else RecordType.PENALTY
        self.columns = COMMON + SPECIFIC[self.record_type] + ADDED
        self.stage = f"credit_stage_{self.record_type}"
        self.submission = submission
        self.calendar = calendar
        self.hold = hold
        self.now = connection.ops.adapt_datetimefield_value(now)
        self.written = 0
        self._due: dict[str, str] = {}
        listed = ", ".join(self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.stage} AS SELECT {listed} FROM {self.table} WHERE 1 = 0"
            )

    def due(self, decided: str) -> str:
        """The publicity due date of a decision (ISO text in, ISO text out; a file has few distinct days)."""
        found = self._due.get(decided)
        if found is None:
            day = datetime.date.fromisoformat(decided)
            found = self._due[decided] = self.calendar.add_working_days(day, PUBLICITY_DAYS).date.isoformat()
        return found

    def write(self, rows: list[list]) -> None:
        """Store one chunk of checked rows (no two with the same authority and decision number)."""
        public_now = not self.hold
        source, submission, now = self.submission.organization_id, self.submission.pk, self.now
        staged = []
        for row in rows:
            public = public_now and row[PUBLISHABLE]
            staged.append(
                (
                    *row[:PUBLISHABLE], *row[PUBLISHABLE + 1 :], self.due(row[6]), public, now if public else None,
                    source, submission, now, now,
                )
            )  # fmt: skip
        with connection.cursor() as cursor:
            if not self._copied_straight_in(cursor, staged):
                self._upsert(cursor, staged)
        self.written += len(rows)

    def _copied_straight_in(self, cursor, staged: list[tuple]) -> bool:
        """PostgreSQL: COPY the chunk into the table if none of its decisions is recorded (the common case)."""
        if connection.vendor != "postgresql" or self._any_recorded(cursor, staged):
            return False
        try:
            with transaction.atomic():
                self._copy(cursor, self.table, staged)
        except connection.Database.IntegrityError:  # (psycopg's: COPY runs on its cursor) recorded meanwhile
            return False
        return True

    def _any_recorded(self, cursor, staged: list[tuple]) -> bool:
        """Whether a record of the chunk exists already (PostgreSQL: probes of the unique index)."""
        cursor.execute(
            f"SELECT 1 FROM {self.table} t JOIN unnest(%s::text[], %s::text[]) AS k (authority, number) "
            "ON t.authority_uscc = k.authority AND t.decision_number = k.number LIMIT 1",
            [[row[0] for row in staged], [row[1] for row in staged]],
        )
        return cursor.fetchone() is not None

    def _upsert(self, cursor, staged: list[tuple]) -> None:
        self._copy(cursor, self.stage, staged)
        recorded = (
            f"SELECT t2.id FROM {self.stage} s JOIN {self.table} t2 "
            "ON t2.authority_uscc = s.authority_uscc AND t2.decision_number = s.decision_number"
        )
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")
        (last_id,) = cursor.fetchone()  # records after it are new; before it, replaced
        cursor.execute(f"{recorded} LIMIT 1")
        replacing = cursor.fetchone() is not None
        if replacing:
            cursor.execute(
                "INSERT INTO credit_recordversion (record_type, record_id, submission_id, data, created_at) "
                f"SELECT %s, t.id, t.submission_id, t.data, t.updated_at FROM {self.table} t "
                f"WHERE t.id IN ({recorded})",
                [self.record_type],
            )
            search.unindex(self.model, f"t.id IN ({recorded})", [])
        listed = ", ".join(self.columns)
        updates = ", ".join(
            f"{column} = COALESCE({self.table}.{column}, excluded.{column})"
            if column == "first_published_at"
            else f"{column} = excluded.{column}"
            for column in self.columns
            if column not in ("created_at", "authority_uscc", "decision_number")
        )
        cursor.execute(
            f"INSERT INTO {self.table} ({listed}) SELECT {listed} FROM {self.stage} WHERE 1 = 1 "
            f"ON CONFLICT (authority_uscc, decision_number) DO UPDATE SET {updates}"
        )
        search.index(self.model, "t.id > %s", [last_id])
        if replacing:
            search.index(self.model, f"t.id <= %s AND t.id IN ({recorded})", [last_id])
        cursor.execute(f"DELETE FROM {self.stage}")

    def _copy(self, cursor, table: str, staged: list[tuple]) -> None:
        """The rows into ``table``: COPY on PostgreSQL, executemany on SQLite."""
        listed = ", ".join(self.columns)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in staged:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            cursor.executemany(f"INSERT INTO {table} ({listed}) VALUES ({marks})", staged)

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
