"""The seed calendar: 2004–2026 from the `chinesecalendar` package (import name `chinese_calendar`).

The package carries every holiday (also those falling on a weekend) and every make-up working day from
the State Council notices, up to and including 2026; the 2026 entries match the notice of 2025-11-04
(STATUTES §6). Later years are entered by administrators (`gongkai calendar import`, the admin).

The data migration and the benchmark both read the package through `chinesecalendar_days`, so the
benchmark measures exactly the data a fresh installation has. This module does not import the models:
the migration passes its historical models in.
"""

from __future__ import annotations

import importlib.metadata
from datetime import date
from typing import NamedTuple

from gongkai.workdays.calendar import WorkCalendar

SEED_YEARS = range(2004, 2027)

# chinese_calendar's English holiday names → the names used in the State Council notices.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class SeedDay(NamedTuple):
    date: date
    is_working_day: bool
    name: str


def source_label() -> str:
    """E.g. "chinesecalendar 1.11.0": the package and the version the rows were read from."""
    return f"chinesecalendar {importlib.metadata.version('chinesecalendar')}"


def chinesecalendar_days(years: range = SEED_YEARS) -> list[SeedDay]:
    """Every holiday and make-up working day of `years`, sorted by date, with Chinese names."""
    from chinese_calendar import constants

    wanted = set(years)
    days = [SeedDay(day, False, CHINESE_NAMES[name]) for day, name in constants.holidays.items() if day.year in wanted]
    days += [SeedDay(day, True, CHINESE_NAMES[name]) for day, name in constants.workdays.items() if day.year in wanted]
    covered = {day.date.year for day in days}
    if covered != wanted:
        raise LookupError(
            f"chinesecalendar 缺少以下年份的数据：{sorted(wanted - covered)}。 "
            f"chinesecalendar has no data for the years {sorted(wanted - covered)}."
        )
    return sorted(days)


def chinesecalendar_calendar(years: range = SEED_YEARS) -> WorkCalendar:
    """A `WorkCalendar` of the seed data alone, without the database (used by the benchmark and tests)."""
    return WorkCalendar({day.date: day.is_working_day for day in chinesecalendar_days(years)}, years)


def seed_database(calendar_year_model, calendar_day_model, years: range = SEED_YEARS) -> int:
    """Create the seed years that are not in the database yet, marked complete. Returns how many.

    Takes the model classes so that the data migration can pass its historical models. Years already
    present are left alone: an administrator's corrections are never overwritten.
    """
    from django.utils import timezone

    source = source_label()
    now = timezone.now()
    present = set(calendar_year_model.objects.filter(year__in=list(years)).values_list("year", flat=True))
    todo = [year for year in years if year not in present]
    if not todo:
        return 0
    calendar_year_model.objects.bulk_create(
        [
            calendar_year_model(year=year, complete=True, source=source, completed_at=now, updated_at=now)
            for year in todo
        ]
    )
    calendar_day_model.objects.bulk_create(
        [
            calendar_day_model(
                date=day.date,
                is_working_day=day.is_working_day,
                name=day.name,
                source=source,
                year_id=day.date.year,
            )
            for day in chinesecalendar_days(range(min(todo), max(todo) + 1))
            if day.date.year in todo
        ]
    )
    return len(todo)
