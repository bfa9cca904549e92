"""WorkCalendar: working-day arithmetic for the 条例's periods, without the database.

The oracle is the chinesecalendar package itself, asked one day at a time (2004–2026), and the plain
Monday–Friday rule for years without a complete calendar.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays.calendar import CalendarYearMissing, DueDate, WorkCalendar, WorkingDayCount
from gongkai.workdays.seed import SEED_YEARS, chinesecalendar_calendar, chinesecalendar_days

CAL = chinesecalendar_calendar()
ONE_DAY = timedelta(days=1)


def reference_is_working_day(day: date) -> bool:
    if day.year in SEED_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def reference_add(start: date, n: int) -> date:
    day, left = start, n
    while left:
        day += ONE_DAY
        if reference_is_working_day(day):
            left -= 1
    return day


def reference_between(a: date, b: date) -> int:
    sign = 1 if b >= a else -1
    low, high = min(a, b), max(a, b)
    count, day = 0, low
    while day < high:
        day += ONE_DAY
        count += reference_is_working_day(day)
    return sign * count


# --- the statutory checks from the issue ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # The Sunday 2026-09-20 is a make-up working day before 国庆节 (10-01..10-07, 10-10 make-up).
        (date(2026, 9, 18), 20, date(2026, 10, 22)),
        # 春节 2026-02-15..02-23, with the Saturday 02-14 a make-up working day.
        (date(2026, 2, 10), 7, date(2026, 2, 26)),
        # 劳动节 2026-05-01..05-05, with the Saturday 05-09 a make-up working day.
        (date(2026, 4, 30), 7, date(2026, 5, 13)),
        (date(2026, 12, 1), 20, date(2026, 12, 29)),
    ],
)
def test_it_computes_the_statutory_examples_exactly(start, n, due):
    assert CAL.add_working_days(start, n) == DueDate(due, False, ())
    assert CAL.working_days_between(start, due) == WorkingDayCount(n, False, ())


def test_it_does_not_count_the_start_day_even_when_it_is_a_working_day():
    # 2026-03-02 is a Monday; day 1 is Tuesday 03-03.
    assert CAL.add_working_days(date(2026, 3, 2), 1).date == date(2026, 3, 3)


def test_day_one_after_a_friday_is_the_next_monday():
    assert CAL.add_working_days(date(2026, 3, 6), 1).date == date(2026, 3, 9)


def test_an_application_received_on_a_rest_day_counts_from_the_next_working_day():
    # Received Saturday 2026-03-07: day 1 is Monday 03-09, day 20 is Friday 04-03.
    assert CAL.add_working_days(date(2026, 3, 7), 20).date == date(2026, 4, 3)


def test_adding_zero_working_days_returns_the_start_day():
    assert CAL.add_working_days(date(2026, 2, 15), 0) == DueDate(date(2026, 2, 15), False, ())


def test_it_rejects_a_negative_number_of_working_days_with_a_bilingual_message():
    with pytest.raises(ValueError, match=r"工作日数不能为负数：-1.*cannot be negative: -1"):
        CAL.add_working_days(date(2026, 2, 10), -1)


def test_it_rejects_a_number_of_working_days_that_is_not_an_integer():
    with pytest.raises(TypeError):
        CAL.add_working_days(date(2026, 2, 10), 2.0)
    with pytest.raises(TypeError):
        CAL.add_working_days(date(2026, 2, 10), True)


# --- single days ----------------------------------------------------------------------------------


def test_a_weekend_make_up_day_is_a_working_day_and_a_weekday_holiday_is_not():
    assert CAL.is_working_day(date(2026, 9, 20)) is True  # Sunday, 调休上班
    assert CAL.is_working_day(date(2026, 10, 1)) is False  # Thursday, 国庆节
    assert CAL.is_working_day(date(2026, 10, 3)) is False  # Saturday inside the break
    assert CAL.is_working_day(date(2026, 3, 4)) is True  # an ordinary Wednesday
    assert CAL.is_working_day(date(2026, 3, 7)) is False  # an ordinary Saturday


def test_it_agrees_with_chinesecalendar_on_every_day_of_the_seed_years():
    day = date(2004, 1, 1)
    wrong = []
    while day.year <= 2026:
        if CAL.is_working_day(day) != chinese_calendar.is_workday(day):
            wrong.append(day)
        day += ONE_DAY
    assert wrong == []


def test_it_refuses_to_guess_a_day_in_a_year_without_a_complete_calendar():
    with pytest.raises(CalendarYearMissing) as raised:
        CAL.is_working_day(date(2027, 1, 4))
    assert raised.value.year == 2027
    assert isinstance(raised.value, ValueError)
    assert "2027年工作日历尚未录入" in str(raised.value)
    assert "The 2027 working-day calendar is missing" in str(raised.value)
    assert "2027-01-04" in str(raised.value)


def test_a_day_in_an_incomplete_year_follows_the_weekend_rule_when_provisional_is_accepted():
    assert CAL.is_working_day(date(2027, 1, 1), provisional_ok=True) is True  # a Friday
    assert CAL.is_working_day(date(2027, 1, 2), provisional_ok=True) is False


def test_days_entered_for_an_incomplete_year_are_not_applied():
    drafted = {date(2027, 1, 1): False}
    calendar = WorkCalendar(drafted, {2026})
    assert calendar.is_working_day(date(2027, 1, 1), provisional_ok=True) is True
    assert WorkCalendar(drafted, {2026, 2027}).is_working_day(date(2027, 1, 1)) is False


# --- provisional results --------------------------------------------------------------------------


def test_a_deadline_crossing_into_an_incomplete_year_is_provisional_and_names_the_year():
    due = CAL.add_working_days(date(2026, 12, 15), 20)
    assert due == DueDate(date(2027, 1, 12), True, (2027,))


def test_a_deadline_ending_on_the_last_day_of_a_complete_year_is_exact():
    # Thursday 2026-12-31 is the 2nd working day after Tuesday 12-29.
    assert CAL.add_working_days(date(2026, 12, 29), 2) == DueDate(date(2026, 12, 31), False, ())


def test_a_start_on_the_last_day_of_a_year_looks_only_at_the_days_after_it():
    due = CAL.add_working_days(date(2026, 12, 31), 1)
    assert due == DueDate(date(2027, 1, 1), True, (2027,))
    calendar = WorkCalendar({}, {2027})
    assert calendar.add_working_days(date(2026, 12, 31), 1) == DueDate(date(2027, 1, 1), False, ())


def test_every_missing_year_on_the_way_is_named():
    due = CAL.add_working_days(date(2026, 12, 1), 600)
    assert due.provisional
    assert due.missing_years == (2027, 2028, 2029)
    assert due.date == reference_add(date(2026, 12, 1), 600)


def test_dates_before_the_first_complete_year_are_provisional_weekend_counts():
    # Wednesday 2003-12-31 is day 1 (weekend rule), 2004-01-01 is 元旦, Friday 2004-01-02 is day 2.
    due = CAL.add_working_days(date(2003, 12, 30), 2)
    assert due == DueDate(date(2004, 1, 2), True, (2003,))


def test_a_count_across_an_incomplete_year_is_provisional():
    count = CAL.working_days_between(date(2026, 12, 15), date(2027, 1, 12))
    assert count == WorkingDayCount(20, True, (2027,))


def test_a_calendar_without_any_complete_year_counts_weekdays_and_is_always_provisional():
    calendar = WorkCalendar({date(2026, 10, 1): False}, ())
    due = calendar.add_working_days(date(2026, 9, 30), 1)
    assert due == DueDate(date(2026, 10, 1), True, (2026,))


def test_it_refuses_a_deadline_beyond_the_last_representable_date():
    with pytest.raises(ValueError, match="9999-12-30"):
        CAL.add_working_days(date(9999, 12, 30), 5)


# --- between ---------------------------------------------------------------------------------------


def test_between_counts_the_working_days_after_a_up_to_and_including_b():
    # (Fri 2026-09-18, Mon 2026-09-21]: Sun 09-20 (make-up) and Mon 09-21.
    assert CAL.working_days_between(date(2026, 9, 18), date(2026, 9, 21)).days == 2
    assert CAL.working_days_between(date(2026, 9, 18), date(2026, 9, 18)).days == 0


def test_between_is_negative_when_b_is_before_a():
    assert CAL.working_days_between(date(2026, 10, 22), date(2026, 9, 18)).days == -20


# --- properties -------------------------------------------------------------------------------------

starts = st.dates(min_value=date(2003, 11, 1), max_value=date(2027, 12, 31))
counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts)
def test_add_agrees_with_a_day_by_day_count_over_chinesecalendar(start, n):
    due = CAL.add_working_days(start, n)
    assert due.date == reference_add(start, n)
    missing = tuple(
        sorted(
            {
                (start + timedelta(days=k)).year
                for k in range(1, (due.date - start).days + 1)
                if (start + timedelta(days=k)).year not in SEED_YEARS
            }
        )
    )
    assert due.missing_years == missing
    assert due.provisional == bool(missing)


@settings(max_examples=300, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=60))
def test_the_result_is_always_a_working_day_after_the_start(start, n):
    due = CAL.add_working_days(start, n).date
    assert due > start
    assert CAL.is_working_day(due, provisional_ok=True)


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts)
def test_add_then_between_round_trips(start, n):
    due = CAL.add_working_days(start, n)
    count = CAL.working_days_between(start, due.date)
    assert count == WorkingDayCount(n, due.provisional, due.missing_years)


@settings(max_examples=300, deadline=None)
@given(a=starts, b=starts)
def test_between_agrees_with_a_day_by_day_count(a, b):
    assert CAL.working_days_between(a, b).days == reference_between(a, b)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    n=st.integers(min_value=0, max_value=400),
)
def test_far_outside_the_table_it_still_counts_correctly(start, n):
    assert CAL.add_working_days(start, n).date == reference_add(start, n)


def test_the_seed_has_chinese_names_for_every_day():
    names = {day.name for day in chinesecalendar_days()}
    assert names == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
        "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
    }
    assert all(day.date.weekday() >= 5 for day in chinesecalendar_days() if day.is_working_day)
