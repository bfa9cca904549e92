"""`add_working_days` against a day-by-day loop, over random start dates.

The calendar is the seed calendar (2004–2026 from chinesecalendar, marked complete), built by the same
function the data migration reads (`gongkai.workdays.seed.chinesecalendar_days`), without a database:
the benchmark measures the arithmetic, not the query that `current_calendar()` makes.

The baseline walks forward one day at a time asking `WorkCalendar.is_working_day` (a dict lookup and a
weekday test per day). Both run in the same process on the same inputs; their answers must agree.

A second, smaller comparison walks day by day with `chinese_calendar.is_workday` itself, which is what
code calling the package directly would do; it is much slower per day, so it runs on a 1/50 subset.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from bench import Result
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.seed import chinesecalendar_calendar

SEED = 20261125
FIRST_START = date(2004, 1, 1)
LAST_START = date(2026, 6, 30)
MAX_N = 40
REPEATS = 3
_ONE_DAY = timedelta(days=1)


def draw(samples: int, seed: int = SEED) -> list[tuple[date, int]]:
    """`samples` (start date, n) pairs: starts uniform in 2004-01-01..2026-06-30, n uniform in 1..40."""
    rng = random.Random(seed)
    first, last = FIRST_START.toordinal(), LAST_START.toordinal()
    return [(date.fromordinal(rng.randint(first, last)), rng.randint(1, MAX_N)) for _ in range(samples)]


def add_by_loop(calendar: WorkCalendar, start: date, n: int) -> date:
    """The baseline: step one day at a time and count the working days."""
    day = start
    left = n
    while left:
        day += _ONE_DAY
        if calendar.is_working_day(day, provisional_ok=True):
            left -= 1
    return day


def add_by_chinese_calendar(start: date, n: int) -> date:
    """The naive baseline: step one day at a time asking the chinesecalendar package."""
    from chinese_calendar import is_workday

    day = start
    left = n
    while left:
        day += _ONE_DAY
        if is_workday(day):
            left -= 1
    return day


def _best_of(repeats: int, work) -> tuple[float, list[date]]:
    best, answers = float("inf"), []
    for _ in range(repeats):
        started = time.perf_counter()
        answers = work()
        best = min(best, time.perf_counter() - started)
    return best, answers


def _check(cases, fast, slow, baseline: str) -> None:
    wrong = [(case, a, b) for case, a, b in zip(cases, fast, slow, strict=True) if a != b]
    if wrong:
        raise AssertionError(f"add_working_days disagrees with the {baseline} on {len(wrong)} cases: {wrong[:5]}")


def run(samples: int = 100_000, repeats: int = REPEATS) -> list[Result]:
    calendar = chinesecalendar_calendar()
    cases = draw(samples)
    add = calendar.add_working_days
    results = []

    fast_seconds, fast = _best_of(repeats, lambda: [add(start, n).date for start, n in cases])
    loop_seconds, slow = _best_of(repeats, lambda: [add_by_loop(calendar, start, n) for start, n in cases])
    _check(cases, fast, slow, "day-by-day loop")
    results.append(
        Result(
            name=f"add_working_days, {samples:,} random starts 2004-01-01..2026-06-30, n in 1..{MAX_N}",
            samples=samples,
            baseline="day-by-day loop over WorkCalendar.is_working_day",
            baseline_seconds=loop_seconds,
            seconds=fast_seconds,
        )
    )

    subset = cases[: max(1, samples // 50)]
    fast_seconds, fast = _best_of(repeats, lambda: [add(start, n).date for start, n in subset])
    naive_seconds, naive = _best_of(1, lambda: [add_by_chinese_calendar(start, n) for start, n in subset])
    _check(subset, fast, naive, "chinese_calendar loop")
    results.append(
        Result(
            name=f"add_working_days, the first {len(subset):,} of those starts",
            samples=len(subset),
            baseline="day-by-day loop over chinese_calendar.is_workday",
            baseline_seconds=naive_seconds,
            seconds=fast_seconds,
        )
    )
    return results
