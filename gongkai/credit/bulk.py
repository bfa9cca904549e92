"""Writing checked rows into the records tables fast: a chunk at a time through a staging table, by set-based SQL.

Django's ``bulk_create`` writes about 7,000 rows a second on SQLite (it caps each INSERT at ~47 rows) against
90,000 for a raw ``executemany`` (NOTES-performance.md), and it cannot update a record that exists. So each
chunk goes into a temporary table of the records table's shape, by ``executemany`` on SQLite and by ``COPY`` on
PostgreSQL (3–4× faster there), and then, in SQL:

1. the records it replaces are found (by authority USCC and decision number), their current version is kept
   in `RecordVersion` and their names leave the name index;
2. ``INSERT … SELECT … ON CONFLICT DO UPDATE`` writes the chunk (a record published once keeps its first
   publication time);
3. the names of the chunk's public records enter the name index (`gongkai.credit.search`).

The caller owns the transaction: a failure or a killed process leaves nothing behind.
"""

from __future__ import annotations

import datetime

from django.db import connection

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
# Kept when a record is updated: when it was created and first published.
KEPT = ("created_at", "first_published_at")


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
                f"CREATE TEMPORARY TABLE {self.stage} AS SELECT {listed}, id AS existing_id FROM {self.table} "
                "WHERE 1 = 0"
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
            self._stage(cursor, staged)
            cursor.execute(
                f"UPDATE {self.stage} SET existing_id = (SELECT t.id FROM {self.table} t "
                f"WHERE t.authority_uscc = {self.stage}.authority_uscc "
                f"AND t.decision_number = {self.stage}.decision_number)"
            )
            cursor.execute(f"SELECT 1 FROM {self.stage} WHERE existing_id IS NOT NULL LIMIT 1")
            replacing = cursor.fetchone() is not None
            existing = f"t.id IN (SELECT existing_id FROM {self.stage} WHERE existing_id IS NOT NULL)"
            if replacing:
                cursor.execute(
                    "INSERT INTO credit_recordversion (record_type, record_id, submission_id, data, created_at) "
                    f"SELECT %s, t.id, t.submission_id, t.data, t.updated_at FROM {self.table} t WHERE {existing}",
                    [self.record_type],
                )
                search.unindex(self.model, existing, [])
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")
            (last_id,) = cursor.fetchone()
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
                search.index(self.model, existing, [])
            cursor.execute(f"DELETE FROM {self.stage}")
        self.written += len(rows)

    def _stage(self, cursor, staged: list[tuple]) -> None:
        listed = ", ".join(self.columns)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {self.stage} ({listed}) FROM STDIN") as copy:
                for row in staged:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            cursor.executemany(f"INSERT INTO {self.stage} ({listed}) VALUES ({marks})", staged)

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
