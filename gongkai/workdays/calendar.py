"""Working-day arithmetic (工作日计算).

A 工作日 is a Monday–Friday that is not a statutory holiday or rest day, plus any Saturday or Sunday that
the yearly 国务院办公厅关于YYYY年部分节假日安排的通知 marks as a make-up working day (调休上班日)
(STATUTES §6). The periods of the 条例 are counted in working days "自…之日起N个工作日内": the start day is
not counted, day 1 is the first working day after it and the deadline is the N-th working day (§6, §1.8;
民法典第二百零一条).

`WorkCalendar` is pure: it is built from the special dates (holidays and make-up working days) and the set
of years whose calendar is complete, and never touches the database. `current_calendar()` and the
module-level functions build one from the database and keep it until an administrator changes the
calendar (in this process or another).

A date in a year that is not complete is never guessed. `is_working_day` refuses it with
`CalendarYearMissing`; `add_working_days` and `working_days_between` count such days by the weekend rule
only and mark their result provisional (暂定), naming the missing years. Rows already entered for an
incomplete year are a draft: they take effect when the year is marked complete, so that half-entered
data (holidays without their make-up days, say) never moves a deadline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

# The precomputed table reaches this many years past the last year with data, so that deadlines that
# cross into the next (not yet published) year are still computed by bisection.
_TABLE_MARGIN_YEARS = 2

# The field `date` of the NamedTuples below would shadow the type in their annotations.
_Date = date


class CalendarYearMissing(ValueError):
    """The working-day calendar of `year` is missing or not marked complete."""

    def __init__(self, year: int, day: date | None = None) -> None:
        self.year = year
        self.date = day
        if day is None:
            message = (
                f"{year}年工作日历尚未录入或未标记为完整。 "
                f"The {year} working-day calendar is missing or not marked complete."
            )
        else:
            message = (
                f"{year}年工作日历尚未录入或未标记为完整，无法确定{day.isoformat()}是否为工作日。 "
                f"The {year} working-day calendar is missing or not marked complete, so whether "
                f"{day.isoformat()} is a working day is unknown."
            )
        super().__init__(message)


class DueDate(NamedTuple):
    """The N-th working day after a start day.

    `provisional` is true when a day between the start (excluded) and `date` (included) lies in a year
    whose calendar is not complete; `missing_years` names those years. A provisional date was computed
    by the weekend rule for those years and may move when their calendar is entered.
    """

    date: _Date
    provisional: bool
    missing_years: tuple[int, ...]


def _exact(day: date, _new=tuple.__new__) -> DueDate:
    """DueDate(day, False, ()) without NamedTuple's Python-level __new__ (the hot path of the benchmark)."""
    return _new(DueDate, (day, False, ()))


class WorkingDayCount(NamedTuple):
    """The number of working days in (a, b] — negative when b is before a — and whether it is provisional."""

    days: int
    provisional: bool
    missing_years: tuple[int, ...]


def _weekdays_through(ordinal: int) -> int:
    """Number of Mondays–Fridays among the ordinals 1..`ordinal` (ordinal 1, 0001-01-01, is a Monday)."""
    return 5 * (ordinal // 7) + min(ordinal % 7, 5)


def _weekday_with_rank(rank: int) -> int:
    """The ordinal of the `rank`-th Monday–Friday counted from ordinal 1 (the inverse of the above)."""
    weeks, offset = divmod(rank - 1, 5)
    return 7 * weeks + offset + 1


_MAX_ORDINAL = date.max.toordinal()


class WorkCalendar:
    """Working days from special dates plus the Monday–Friday rule.

    `special_days` maps each special date to whether it is a working day: holidays (also those falling on a
    weekend) map to False, make-up working days to True. Only the entries of `complete_years` are used;
    every other year follows the weekend rule and makes results provisional.

    Every count is done through a cumulative function C(o) — the number of working days up to ordinal o —
    that is a lookup in precomputed tables over the years with data (plus a margin) and arithmetic on weekdays
    outside them, so each call costs O(1) whatever the dates.
    """

    def __init__(self, special_days: Mapping[date, bool], complete_years: Iterable[int]) -> None:
        self.complete_years: frozenset[int] = frozenset(complete_years)
        # Rows of incomplete years are a draft and are not applied (see the module docstring).
        self._special: dict[date, bool] = {
            day: bool(working) for day, working in special_days.items() if day.year in self.complete_years
        }
        years = self.complete_years
        if years:
            first = date(min(years), 1, 1).toordinal()
            last = date(min(max(years) + _TABLE_MARGIN_YEARS, date.max.year), 12, 31).toordinal()
        else:
            first, last = 1, 0  # an empty table: the weekend rule everywhere
        self._first = first
        self._last = last
        # _table: the working-day ordinals in [first, last], ascending (rank → ordinal).
        # _prefix[i]: how many of them are ≤ first + i (ordinal → rank), so both directions are O(1).
        self._table: list[int] = []
        self._prefix: list[int] = []
        for ordinal in range(first, last + 1):
            if self._is_working_ordinal(ordinal):
                self._table.append(ordinal)
            self._prefix.append(len(self._table))
        self._before_table = _weekdays_through(first - 1)

    def __repr__(self) -> str:
        years = sorted(self.complete_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"<WorkCalendar complete years {span} ({len(years)}), {len(self._special)} special days>"

    # --- single days ------------------------------------------------------------------------------

    def is_complete(self, year: int) -> bool:
        return year in self.complete_years

    def _is_working_ordinal(self, ordinal: int) -> bool:
        day = date.fromordinal(ordinal)
        special = self._special.get(day)
        if special is not None:
            return special
        return day.weekday() < 5

    def is_working_day(self, day: date, *, provisional_ok: bool = False) -> bool:
        """Whether `day` is a 工作日 (STATUTES §6).

        A day in a year whose calendar is not complete raises `CalendarYearMissing`, unless
        `provisional_ok` is true: then the weekend rule answers.
        """
        if day.year not in self.complete_years and not provisional_ok:
            raise CalendarYearMissing(day.year, day)
        special = self._special.get(day)
        if special is not None:
            return special
        return day.weekday() < 5

    # --- counting ---------------------------------------------------------------------------------

    def _cumulative(self, ordinal: int) -> int:
        """C(o): working days among the ordinals 1..o (the origin cancels out in every use)."""
        if ordinal < self._first:
            return _weekdays_through(ordinal)
        if ordinal <= self._last:
            return self._before_table + self._prefix[ordinal - self._first]
        return self._before_table + len(self._table) + _weekdays_through(ordinal) - _weekdays_through(self._last)

    def _ordinal_with_rank(self, rank: int) -> int:
        """The smallest ordinal o with C(o) == rank (rank ≥ 1): the rank-th working day."""
        if rank <= self._before_table:
            return _weekday_with_rank(rank)
        in_table = rank - self._before_table
        if in_table <= len(self._table):
            return self._table[in_table - 1]
        return _weekday_with_rank(in_table - len(self._table) + _weekdays_through(self._last))

    def _missing_years(self, after: date, through: date) -> tuple[int, ...]:
        """Years not complete among the days in (after, through]."""
        if through <= after:
            return ()
        first_year = after.year if after.month < 12 or after.day < 31 else after.year + 1
        return tuple(year for year in range(first_year, through.year + 1) if year not in self.complete_years)

    def add_working_days(self, start: date, n: int) -> DueDate:
        """The N-th working day after `start`: "自…之日起N个工作日内" (条例第三十三条 and the other periods).

        The start day is not counted; day 1 is the next working day (STATUTES §1.8, §6). So
        `add_working_days(start, 20)` is the reply deadline of 条例第三十三条第二款 for an application
        received on `start`. `n` = 0 returns `start`. `working_days_between(start, result.date).days == n`.
        """
        if n.__class__ is not int and (isinstance(n, bool) or not isinstance(n, int)):
            raise TypeError(f"n must be an int, not {type(n).__name__}")
        if n <= 0:
            if n == 0:
                return DueDate(start, False, ())
            raise ValueError(f"工作日数不能为负数：{n}。 The number of working days cannot be negative: {n}.")
        ordinal = start.toordinal()
        offset = ordinal - self._first
        if 0 <= offset < len(self._prefix):
            # The common case, kept short: start and deadline inside the table, in one complete year.
            rank = self._prefix[offset] + n
            if rank <= len(self._table):
                due = date.fromordinal(self._table[rank - 1])
                year = start.year
                if year == due.year and year in self.complete_years:
                    return _exact(due)
                missing = self._missing_years(start, due)
                return DueDate(due, bool(missing), missing)
        ordinal = self._ordinal_with_rank(self._cumulative(ordinal) + n)
        if ordinal > _MAX_ORDINAL:
            raise ValueError(
                f"{start.isoformat()}之后第{n}个工作日超出可表示的日期范围。 "
                f"{n} working days after {start.isoformat()} is beyond the last representable date."
            )
        due = date.fromordinal(ordinal)
        missing = self._missing_years(start, due)
        return DueDate(due, bool(missing), missing)

    def working_days_between(self, a: date, b: date) -> WorkingDayCount:
        """The number of working days in (a, b]; if b is before a, minus the number in (b, a].

        This is the inverse of `add_working_days`: the N-th working day after a is the first day b with
        `working_days_between(a, b).days == N`. Used to measure how many working days a reply took.
        """
        days = self._cumulative(b.toordinal()) - self._cumulative(a.toordinal())
        missing = self._missing_years(a, b) if b >= a else self._missing_years(b, a)
        return WorkingDayCount(days, bool(missing), missing)


# --- the calendar in the database -----------------------------------------------------------------

_cache_lock = threading.Lock()
_cached: tuple[object, WorkCalendar] | None = None


def calendar_version() -> tuple:
    """A cheap fingerprint of the calendar: each year with its random revision (one query over ~25 rows).

    Every service that changes a year or one of its days gives the year a new random revision, so the
    fingerprint changes with any change made through the services, in any process, whatever the clocks
    (a timestamp could repeat under a frozen or skewed clock; a random revision does not).
    """
    from gongkai.workdays.models import CalendarYear

    return tuple(CalendarYear.objects.order_by("year").values_list("year", "revision", "complete"))


def load_calendar() -> WorkCalendar:
    """Build a `WorkCalendar` from the database (every special day and the complete years)."""
    from gongkai.workdays.models import CalendarDay, CalendarYear

    complete = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    special = dict(CalendarDay.objects.filter(year__complete=True).values_list("date", "is_working_day"))
    return WorkCalendar(special, complete)


def current_calendar() -> WorkCalendar:
    """The calendar as it is now in the database.

    The built calendar is kept per process and reused while the fingerprint (one small query) is
    unchanged, so a change made by an administrator is seen by the next call in every process. Code that
    computes many dates at once should take one `current_calendar()` and call its methods.
    """
    global _cached
    version = calendar_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _cache_lock:
        calendar = load_calendar()
        _cached = (version, calendar)
    return calendar


def is_working_day(day: date, *, provisional_ok: bool = False) -> bool:
    """`WorkCalendar.is_working_day` on the current calendar."""
    return current_calendar().is_working_day(day, provisional_ok=provisional_ok)


def add_working_days(start: date, n: int) -> DueDate:
    """`WorkCalendar.add_working_days` on the current calendar (条例第三十三条: 20 working days)."""
    return current_calendar().add_working_days(start, n)


def working_days_between(a: date, b: date) -> WorkingDayCount:
    """`WorkCalendar.working_days_between` on the current calendar."""
    return current_calendar().working_days_between(a, b)
