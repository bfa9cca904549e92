"""The reply clock of an application (条例 arts. 30–35) and the processing fee (国办函〔2020〕109号)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.requests import fees
from gongkai.requests.clock import ClockError, Event, Kind, reply_clock
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.seed import chinesecalendar_calendar, chinesecalendar_days

CALENDAR = chinesecalendar_calendar()  # 2004–2026 complete; 2027 not yet published
TODAY = date(2026, 11, 26)


def clock(*events: Event, as_of: date = TODAY):
    return reply_clock(list(events), CALENDAR, as_of=as_of)


def received(on: date) -> Event:
    return Event(Kind.RECEIVED, on)


# --- the 20 working days (第三十三条第二款) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (date(2026, 9, 18), date(2026, 10, 22)),  # the Sunday 2026-09-20 is a make-up working day
        (date(2026, 12, 1), date(2026, 12, 29)),
        (date(2026, 3, 2), date(2026, 3, 30)),
        (date(2026, 9, 30), date(2026, 11, 3)),  # 国庆: 10-01..10-07 off, 10-10 (Sat) worked
    ],
)
def test_the_reply_is_due_twenty_working_days_after_receipt_not_counting_the_day_itself(received_on, due):
    result = clock(received(received_on))
    assert result.due == due
    assert not result.provisional
    assert result.counted_days == 20
    assert [line.due for line in result.trace] == [due]
    assert "第三十三条第二款" in result.trace[0].text


def test_a_deadline_in_a_year_without_calendar_data_is_provisional_and_names_the_year():
    result = clock(received(date(2026, 12, 15)))
    assert result.due == date(2027, 1, 12)  # weekends only: the 2027 holidays are not published yet
    assert result.provisional
    assert result.missing_years == (2027,)


def test_a_provisional_deadline_moves_when_the_year_is_entered():
    received_on = date(2026, 12, 15)
    assert clock(received(received_on)).due == date(2027, 1, 12)
    special = {day.date: day.is_working_day for day in chinesecalendar_days()}
    # An imagined 2027 notice: 元旦 on Friday 01-01 and a day off on Monday 01-04.
    with_2027 = WorkCalendar(
        {**special, date(2027, 1, 1): False, date(2027, 1, 4): False}, {*CALENDAR.complete_years, 2027}
    )
    result = reply_clock([received(received_on)], with_2027, as_of=TODAY)
    assert result.due == date(2027, 1, 14)
    assert not result.provisional


# --- 补正 (第三十条) ----------------------------------------------------------------------------------------


def test_a_correction_stops_the_clock_and_the_corrected_application_starts_it_again():
    notice = Event(Kind.CORRECTION_NOTICE, date(2026, 3, 5))
    waiting = clock(received(date(2026, 3, 2)), notice)
    assert waiting.due is None
    assert waiting.awaiting_correction

    result = clock(received(date(2026, 3, 2)), notice, Event(Kind.CORRECTED, date(2026, 3, 16)))
    # 20 working days from 2026-03-16, across 清明 (04-04..04-06).
    assert result.due == date(2026, 4, 14)
    assert result.started_on == date(2026, 3, 16)
    assert not result.late_correction_notice
    assert [line.due for line in result.trace] == [date(2026, 3, 30), None, date(2026, 4, 14)]


def test_a_correction_notice_after_seven_working_days_is_flagged_late():
    # 2026-02-10 + 7 working days = 2026-02-26 (春节 02-15..02-23 off, 02-14 worked).
    on_time = clock(received(date(2026, 2, 10)), Event(Kind.CORRECTION_NOTICE, date(2026, 2, 26)))
    late = clock(received(date(2026, 2, 10)), Event(Kind.CORRECTION_NOTICE, date(2026, 2, 27)))
    assert not on_time.late_correction_notice
    assert late.late_correction_notice
    assert "2026-02-26" in late.trace[-1].text


def test_the_correction_notice_is_sent_once_only():
    with pytest.raises(ClockError, match="一次性"):
        clock(
            received(date(2026, 3, 2)),
            Event(Kind.CORRECTION_NOTICE, date(2026, 3, 3)),
            Event(Kind.CORRECTED, date(2026, 3, 9)),
            Event(Kind.CORRECTION_NOTICE, date(2026, 3, 10)),
        )


def test_the_corrected_application_is_received_once():
    with pytest.raises(ClockError, match="已经收到"):
        clock(
            received(date(2026, 3, 2)),
            Event(Kind.CORRECTION_NOTICE, date(2026, 3, 3)),
            Event(Kind.CORRECTED, date(2026, 3, 9)),
            Event(Kind.CORRECTED, date(2026, 3, 10)),
        )


# --- time not counted (第三十二条, 第三十四条, 国办函〔2020〕109号) -----------------------------------------------


def test_a_third_party_consultation_across_the_national_day_holiday_is_not_counted():
    result = clock(
        received(date(2026, 9, 15)),
        Event(Kind.THIRD_PARTY, date(2026, 9, 28), until=date(2026, 10, 12)),
    )
    # Not counted: 09-29, 09-30, 10-08, 10-09, 10-10 (a Saturday worked), 10-12 = 6 working days;
    # the holiday itself was never counted.
    assert result.trace[0].due == date(2026, 10, 19)
    assert result.counted_days == 26
    assert result.due == date(2026, 10, 27)
    assert "6个工作日不计入" in result.trace[1].text


def test_a_consultation_counts_at_most_the_fifteen_working_days_the_other_side_has():
    result = clock(
        received(date(2026, 3, 2)),
        Event(Kind.OTHER_AGENCY, date(2026, 3, 3), until=date(2026, 4, 30)),
    )
    assert result.counted_days == 20 + 15
    assert "最多扣除15个工作日" in result.trace[1].text


def test_an_open_pause_counts_up_to_today_and_says_the_clock_is_paused():
    fee_notice = Event(Kind.FEE, date(2026, 3, 10))
    result = clock(received(date(2026, 3, 2)), fee_notice, as_of=date(2026, 3, 13))
    assert result.paused
    assert result.due == date(2026, 4, 2)  # 2026-03-30 + 3 working days (03-11, 03-12, 03-13)
    assert clock(received(date(2026, 3, 2)), fee_notice, as_of=date(2026, 3, 16)).due == date(2026, 4, 3)


def test_a_pause_begun_after_the_deadline_does_not_move_it():
    result = clock(
        received(date(2026, 3, 2)),
        Event(Kind.THIRD_PARTY, date(2026, 4, 1), until=date(2026, 4, 10)),
    )
    assert result.due == date(2026, 3, 30)
    assert "不再顺延" in result.trace[-1].text


# --- 延期 (第三十三条第二款) and 第三十五条 ---------------------------------------------------------------------


def test_one_extension_of_at_most_twenty_working_days():
    result = clock(received(date(2026, 3, 2)), Event(Kind.EXTENSION, date(2026, 3, 25), days=20))
    assert result.due == date(2026, 4, 28)
    with pytest.raises(ClockError, match="1至20"):
        clock(received(date(2026, 3, 2)), Event(Kind.EXTENSION, date(2026, 3, 25), days=21))
    with pytest.raises(ClockError, match="只能延长一次"):
        clock(
            received(date(2026, 3, 2)),
            Event(Kind.EXTENSION, date(2026, 3, 20), days=5),
            Event(Kind.EXTENSION, date(2026, 3, 25), days=5),
        )


def test_an_article_35_reply_date_replaces_the_computed_one():
    result = clock(
        received(date(2026, 3, 2)),
        Event(Kind.LATER_DATE, date(2026, 3, 10), reply_by=date(2026, 6, 30)),
    )
    assert result.due == date(2026, 6, 30)
    assert "第三十五条" in result.trace[-1].text


def test_events_before_the_receipt_or_a_second_receipt_are_refused():
    with pytest.raises(ClockError, match="早于收到申请之日"):
        clock(received(date(2026, 3, 2)), Event(Kind.FEE, date(2026, 3, 1), until=date(2026, 3, 5)))
    with pytest.raises(ClockError, match="只有一个收到日期"):
        clock(received(date(2026, 3, 2)), received(date(2026, 3, 3)))
    with pytest.raises(ClockError):
        clock(Event(Kind.EXTENSION, date(2026, 3, 2), days=5))


def test_a_reply_is_on_time_when_delivered_on_or_before_the_due_date():
    result = clock(received(date(2026, 3, 2)))
    assert result.is_met_by(date(2026, 3, 30))
    assert not result.is_met_by(date(2026, 3, 31))


# Starts whose longest deadline (60 working days) still ends in 2026.
days_2026 = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 8, 31))


@given(days_2026, st.integers(min_value=1, max_value=20), st.integers(min_value=0, max_value=30))
def test_every_working_day_paused_or_extended_moves_the_deadline_by_one_working_day(start, extension, paused):
    pause_end = CALENDAR.add_working_days(start, paused).date
    result = clock(
        received(start),
        Event(Kind.FEE, start, until=pause_end),
        Event(Kind.EXTENSION, start, days=extension),
    )
    counted = 20 + min(paused, 20) + extension
    assert CALENDAR.working_days_between(start, result.due).days == counted
    assert CALENDAR.is_working_day(result.due)


# --- 信息处理费 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordinal", "rate"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (61, 500)],
)
def test_by_item_each_band_of_the_calendar_month_has_its_rate(ordinal, rate):
    assert fees.item_rate(ordinal) == rate


def test_by_item_a_request_is_charged_at_the_bands_its_items_fall_in():
    fee = fees.by_item(5, earlier_this_month=8)  # items 9..13 of the month
    assert [(band.first, band.last, band.rate) for band in fee.bands] == [(9, 10, 0), (11, 13, 100)]
    assert fee.amount == 300
    assert fees.by_item(10).amount == 0
    assert fees.by_item(1, earlier_this_month=30).amount == 200


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_by_volume_pages_are_charged_excess_progressively(pages, amount):
    assert fees.by_volume(pages).amount == amount


@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=400), st.integers(0, 100))
def test_splitting_a_months_items_over_requests_never_changes_what_they_cost(first, second, earlier):
    whole = fees.by_item(first + second, earlier_this_month=earlier).amount
    parts = fees.by_item(first, earlier_this_month=earlier).amount
    parts += fees.by_item(second, earlier_this_month=earlier + first).amount
    assert whole == parts


@given(st.integers(min_value=1, max_value=2000))
def test_one_more_page_costs_the_rate_of_its_band(pages):
    rate = 0 if pages < 30 else 10 if pages < 100 else 20 if pages < 200 else 40
    assert fees.by_volume(pages + 1).amount - fees.by_volume(pages).amount == rate


@pytest.mark.parametrize("call", [lambda: fees.by_item(0), lambda: fees.by_volume(0), lambda: fees.item_rate(0)])
def test_a_count_below_one_is_refused_in_chinese_and_english(call):
    with pytest.raises(ValueError, match=r"不能是0.*not 0"):
        call()
