"""Writing checked rows into the records tables fast: a chunk at a time through a staging table, by set-based SQL.

Django's ``bulk_create`` writes about 7,000 rows a second on SQLite (it caps each INSERT at ~47 rows) against
90,000 for a raw ``executemany`` (NOTES-performance.md), and it cannot update a record that exists. On
PostgreSQL a chunk none of whose decisions is recorded yet (probed by the unique index) goes straight into the
table by ``COPY``. Otherwise the chunk goes into a temporary table of the records table's shape (``COPY`` on
PostgreSQL, ``executemany`` on SQLite, where this path is faster than ``executemany`` into the indexed table
because the index work is done in one statement), and then, in SQL:

1. the records it replaces are found (by authority USCC and decision number), their current version is kept
   in `RecordVersion` and their names leave the name index; a replaced penalty whose new row states no
   severity class keeps the one it has (a credit officer may have set it), with its periods;
2. ``INSERT … SELECT … ON CONFLICT DO UPDATE`` writes the chunk (a record published once keeps its first
   publication time, a replaced one gets the next version number, a penalty whose publicity has ended
   stays out of public view);
3. the names of the chunk's public records enter the name index (`gongkai.credit.search`).

A penalty's publicity period is computed per row (`gongkai.credit.periods`, remembered per decision date and
class): one whose rule says not to publish it, or whose 公示截止期 has passed, is stored but not made public.

The caller owns the transaction: a failure or a killed process leaves nothing behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import connection, transaction

from gongkai.credit import periods, search
from gongkai.credit.models import Licence, RecordType
from gongkai.credit.standard import GENERAL
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
    RecordType.PENALTY: ("categories", "fine", "confiscated", "severity"),
}
SEVERITY = PUBLISHABLE + 4  # a penalty row's class: "" when the file gives none (stored as 一般)
# What the writer adds; to a penalty, also its publicity period.
ADDED = (
    "publicity_due", "is_public", "first_published_at", "source_id", "submission_id", "created_at", "updated_at",
    "version",
)  # fmt: skip
PERIODS = ("publicity_min_until", "publicity_max_until")


def columns(record_type: str) -> tuple[str, ...]:
    """The columns a writer stores, in the order of its rows."""
    return COMMON + SPECIFIC[record_type] + ADDED + (PERIODS if record_type == RecordType.PENALTY else ())


class Writer:
    """Writes the chunks of one submission of one record type. Use inside ``transaction.atomic()``."""

    def __init__(
        self,
        model,
        *,
        submission,
        calendar: WorkCalendar,
        hold: bool,
        now: datetime.datetime,
        today: datetime.date,
        rules: Sequence[periods.Rule] = (),
    ) -> None:
        """``today``: the day a penalty's publicity period is judged on; ``rules``: the publicity rules
        (`gongkai.credit.policy.publicity_rules`)."""
        self.model = model
        self.table = model._meta.db_table
        self.record_type = RecordType.LICENCE if model is Licence else RecordType.PENALTY
        self.columns = columns(self.record_type)
        self.stage = f"credit_stage_{self.record_type}"
        self.submission = submission
        self.calendar = calendar
        self.hold = hold
        self.now = connection.ops.adapt_datetimefield_value(now)
        self.today = today
        self.rules = tuple(rules)
        self.written = 0
        self._due: dict[str, str] = {}
        self._periods: dict[tuple[str, str], tuple] = {}
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

    def publicity_of(self, decided: str, severity: str) -> tuple[str | None, str | None, bool]:
        """A penalty's last days of its minimum period and of its publicity (ISO text, None if no rule covers
        it), and whether it belongs in public view today (remembered: a file has few distinct days)."""
        found = self._periods.get((decided, severity))
        if found is None:
            counted = periods.periods_of(datetime.date.fromisoformat(decided), severity, self.rules)
            found = self._periods[decided, severity] = (
                counted.min_until.isoformat() if counted else None,
                counted.max_until.isoformat() if counted else None,
                periods.in_publicity(counted, self.today),
            )
        return found

    def write(self, rows: list[list]) -> None:
        """Store one chunk of checked rows (no two with the same authority and decision number)."""
        public_now = not self.hold
        source, submission, now = self.submission.organization_id, self.submission.pk, self.now
        staged = []
        if self.record_type == RecordType.LICENCE:
            for row in rows:
                public = public_now and row[PUBLISHABLE]
                staged.append(
                    (
                        *row[:PUBLISHABLE], *row[PUBLISHABLE + 1 :], self.due(row[6]), public,
                        now if public else None, source, submission, now, now, 1,
                    )
                )  # fmt: skip
        else:
            for row in rows:
                severity = row[SEVERITY] or GENERAL
                low, high, in_publicity = self.publicity_of(row[6], severity)
                public = public_now and row[PUBLISHABLE] and in_publicity
                staged.append(
                    (
                        *row[:PUBLISHABLE], *row[PUBLISHABLE + 1 : SEVERITY], severity, self.due(row[6]), public,
                        now if public else None, source, submission, now, now, 1, low, high,
                    )
                )  # fmt: skip
        with connection.cursor() as cursor:
            if not self._copied_straight_in(cursor, staged):
                self._upsert(cursor, staged, rows)
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

    def _upsert(self, cursor, staged: list[tuple], rows: list[list]) -> None:
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
                "INSERT INTO credit_recordversion (record_type, record_id, version, submission_id, data, created_at) "
                f"SELECT %s, t.id, t.version, t.submission_id, t.data, t.updated_at FROM {self.table} t "
                f"WHERE t.id IN ({recorded})",
                [self.record_type],
            )
            search.unindex(self.model, f"t.id IN ({recorded})", [])
            if self.record_type == RecordType.PENALTY:
                self._keep_severities(cursor, rows)
        listed = ", ".join(self.columns)
        updates = ", ".join(
            f"{column} = {self._replaced(column)}"
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

    def _replaced(self, column: str) -> str:
        """What ``column`` of a record becomes when a row replaces it (SQL of ``ON CONFLICT DO UPDATE``)."""
        if column == "first_published_at":
            return f"COALESCE({self.table}.{column}, excluded.{column})"
        if column == "version":
            return f"{self.table}.version + 1"
        if column == "is_public" and self.record_type == RecordType.PENALTY:
            # The end of publicity (expiry, repair) is final: a corrected version does not bring it back.
            return f"excluded.is_public AND {self.table}.publicity_ended_at IS NULL"
        return f"excluded.{column}"

    def _keep_severities(self, cursor, rows: list[list]) -> None:
        """The staged penalties that replace a record of another class without stating a class of their own
        take the record's class, and their periods follow it."""
        unstated = {(row[0], row[1]): row for row in rows if not row[SEVERITY]}
        if not unstated:
            return
        cursor.execute(
            f"SELECT t.authority_uscc, t.decision_number, t.severity FROM {self.stage} s JOIN {self.table} t "
            "ON t.authority_uscc = s.authority_uscc AND t.decision_number = s.decision_number "
            "WHERE t.severity <> s.severity"
        )
        kept = []
        for authority, number, severity in cursor.fetchall():
            row = unstated.get((authority, number))
            if row is not None:
                low, high, in_publicity = self.publicity_of(row[6], severity)
                public = not self.hold and row[PUBLISHABLE] and in_publicity
                kept.append((severity, low, high, public, self.now if public else None, authority, number))
        if kept:
            cursor.executemany(
                f"UPDATE {self.stage} SET severity = %s, publicity_min_until = %s, publicity_max_until = %s, "
                "is_public = %s, first_published_at = %s WHERE authority_uscc = %s AND decision_number = %s",
                kept,
            )

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
