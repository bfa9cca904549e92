"""The working-day calendar in the database: the seed, the services that change it, and the current
calendar every process reads (which must never be stale)."""

import importlib.metadata
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from gongkai.audit.models import AuditEvent
from gongkai.workdays import calendar, services
from gongkai.workdays.calendar import DueDate, add_working_days, current_calendar, is_working_day
from gongkai.workdays.models import CalendarDay, CalendarYear
from gongkai.workdays.seed import chinesecalendar_calendar, seed_database
from gongkai.workdays.services import CalendarError, DayRow

pytestmark = pytest.mark.django_db

SAMPLE_2027 = Path(__file__).parent / "data" / "calendar-2027-sample.csv"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_user("zhangsan", password="x", display_name="张三")


def sample_rows() -> list[DayRow]:
    return services.read_calendar_csv(SAMPLE_2027.read_bytes())


def rows(*lines: str) -> list[DayRow]:
    return services.read_calendar_csv("date,type,name\n" + "\n".join(lines) + "\n")


# --- the seed ---------------------------------------------------------------------------------------


def test_the_migration_seeds_2004_to_2026_as_complete_years_from_chinesecalendar():
    years = CalendarYear.objects.filter(year__range=(2004, 2026))
    assert years.count() == 23
    assert all(year.complete for year in years)
    assert {year.source for year in years} == {f"chinesecalendar {importlib.metadata.version('chinesecalendar')}"}
    spring = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert (spring.name, spring.is_working_day, spring.year_id) == ("春节", False, 2026)
    assert CalendarDay.objects.get(date=date(2026, 9, 20)).is_working_day is True
    assert CalendarDay.objects.get(date=date(2015, 9, 3)).name == "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"


def test_the_database_calendar_is_the_chinesecalendar_calendar_day_for_day():
    from_db, from_package = current_calendar(), chinesecalendar_calendar()
    day = date(2004, 1, 1)
    while day.year <= 2026:
        assert from_db.is_working_day(day) == from_package.is_working_day(day), day
        day = date.fromordinal(day.toordinal() + 1)


def test_seeding_again_leaves_existing_years_alone(admin_user):
    services.set_day(date(2026, 3, 4), is_working_day=False, name="测试", by=admin_user)
    assert seed_database(CalendarYear, CalendarDay) == 0
    assert CalendarDay.objects.get(date=date(2026, 3, 4)).name == "测试"


# --- the statutory checks through the current calendar -------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 9, 18), 20, date(2026, 10, 22)),
        (date(2026, 2, 10), 7, date(2026, 2, 26)),
        (date(2026, 4, 30), 7, date(2026, 5, 13)),
        (date(2026, 12, 1), 20, date(2026, 12, 29)),
    ],
)
def test_the_module_functions_compute_the_statutory_examples(start, n, due):
    assert add_working_days(start, n) == DueDate(due, False, ())
    assert calendar.working_days_between(start, due).days == n


# --- importing a year ---------------------------------------------------------------------------------


def test_importing_a_year_enters_every_row_and_records_it_in_the_audit_log(admin_user):
    result = services.import_year(sample_rows(), source="测试样例（非官方）", by=admin_user)

    assert (result.year, result.holidays, result.make_up_working_days, result.complete) == (2027, 29, 6, False)
    year = CalendarYear.objects.get(year=2027)
    assert (year.complete, year.source) == (False, "测试样例（非官方）")
    day = CalendarDay.objects.get(date=date(2027, 1, 31))
    assert (day.is_working_day, day.name, day.source) == (True, "春节", "测试样例（非官方）")
    event = AuditEvent.objects.get(action="calendar.year_imported")
    assert event.actor == admin_user
    assert event.data["year"] == 2027
    assert event.data["holidays"] == 29
    assert ["2027-01-31", "班", "春节"] in event.data["days"]


def test_an_imported_year_stays_provisional_until_it_is_marked_complete(admin_user):
    before = add_working_days(date(2026, 12, 15), 20)
    assert before == DueDate(date(2027, 1, 12), True, (2027,))

    services.import_year(sample_rows(), source="测试样例（非官方）", by=admin_user)
    assert add_working_days(date(2026, 12, 15), 20) == before  # a draft changes nothing

    services.mark_year_complete(2027, by=admin_user)
    # The sample's 元旦 (Friday 2027-01-01) moves the deadline by a day, and it is now exact.
    assert add_working_days(date(2026, 12, 15), 20) == DueDate(date(2027, 1, 13), False, ())
    year = CalendarYear.objects.get(year=2027)
    assert (year.complete, year.completed_by) == (True, admin_user)
    assert AuditEvent.objects.filter(action="calendar.year_completed", actor=admin_user).count() == 1


def test_importing_with_complete_marks_the_year_complete_at_once(admin_user):
    services.import_year(sample_rows(), complete=True, by=admin_user)
    assert is_working_day(date(2027, 1, 31)) is True
    assert add_working_days(date(2026, 12, 15), 20).provisional is False


def test_it_rejects_the_whole_file_and_names_every_bad_row_and_value(admin_user):
    bad = rows(
        "2027-01-01,休,元旦",  # line 2: fine
        "2027-02-30,休,春节",  # line 3: no such date
        "2027-02-08,班,春节",  # line 4: a Monday cannot be a make-up working day
        "2027-01-01,休,元旦",  # line 5: repeats line 2
        "2027-05-01,放,劳动节",  # line 6: unknown type
        "2028-01-01,休,元旦",  # line 7: another year
        "2027-06-09,休,",  # line 8: no name
        "2027-06-10,,端午节",  # line 9: no type
    )
    with pytest.raises(CalendarError) as raised:
        services.import_year(bad, by=admin_user)

    errors = raised.value.errors
    assert len(errors) == 7
    assert errors[0].startswith("第3行：日期“2027-02-30”无效")
    assert "'2027-02-30' is not a real date" in errors[0]
    assert errors[1].startswith("第4行：调休上班日必须是星期六或星期日，2027-02-08是星期一")
    assert "2027-02-08 is a Monday" in errors[1]
    assert errors[2].startswith("第5行：日期2027-01-01与第2行重复") and "row 5" in errors[2]
    assert errors[3].startswith("第6行：类别“放”无效") and "row 6: the type '放'" in errors[3]
    assert errors[4].startswith("第7行：日期2028-01-01不在2027年内") and "row 7" in errors[4]
    assert errors[5].startswith("第8行：名称为空") and "row 8: the name is empty" in errors[5]
    assert errors[6].startswith("第9行：类别“”无效")
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(action="calendar.year_imported").exists()


def test_it_accepts_english_types_a_byte_order_mark_and_slashed_dates(admin_user):
    data = "\ufeffdate,type,name\r\n2027/1/1,holiday,元旦\r\n2027-01-31,Workday,春节\r\n".encode()
    result = services.import_year(services.read_calendar_csv(data), by=admin_user)
    assert (result.holidays, result.make_up_working_days) == (1, 1)


def test_it_rejects_a_file_without_the_required_columns():
    with pytest.raises(CalendarError, match=r"第1行（表头）缺少列：type.*lacks the columns type"):
        services.read_calendar_csv("date,kind,name\n2027-01-01,休,元旦\n")


def test_it_rejects_a_file_that_is_not_utf8():
    with pytest.raises(CalendarError, match="not UTF-8"):
        services.read_calendar_csv("date,type,name\n2027-01-01,休,元旦\n".encode("gbk"))


def test_it_rejects_an_empty_file_and_a_file_without_rows():
    with pytest.raises(CalendarError, match="The file is empty"):
        services.read_calendar_csv(b"")
    with pytest.raises(CalendarError, match="no data rows"):
        services.import_year(rows())


def test_it_rejects_a_file_for_another_year_than_the_one_stated(admin_user):
    with pytest.raises(CalendarError, match=r"第2行：日期2027-01-01不在2028年内"):
        services.import_year(rows("2027-01-01,休,元旦"), year=2028, by=admin_user)


def test_it_does_not_overwrite_a_complete_year_unless_told_to_replace_it(admin_user):
    with pytest.raises(CalendarError, match="2026年工作日历已标记为完整，未覆盖"):
        services.import_year(rows("2026-01-01,休,元旦"), by=admin_user)
    assert CalendarDay.objects.filter(date__year=2026).count() == 39

    result = services.import_year(rows("2026-01-01,休,元旦"), complete=True, replace=True, by=admin_user)
    assert result.replaced == 39
    assert CalendarDay.objects.filter(date__year=2026).count() == 1
    assert is_working_day(date(2026, 10, 1)) is True  # 国庆节 was not in the replacement file


def test_importing_an_incomplete_year_again_replaces_its_rows(admin_user):
    services.import_year(sample_rows(), by=admin_user)
    services.import_year(rows("2027-01-01,休,元旦"), by=admin_user)
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [date(2027, 1, 1)]


# --- single days and marks --------------------------------------------------------------------------


def test_setting_a_day_changes_the_current_calendar_at_once(admin_user):
    assert is_working_day(date(2026, 3, 4)) is True
    services.set_day(date(2026, 3, 4), is_working_day=False, name="临时放假", by=admin_user)
    assert is_working_day(date(2026, 3, 4)) is False
    assert add_working_days(date(2026, 3, 3), 1).date == date(2026, 3, 5)

    services.delete_day(date(2026, 3, 4), by=admin_user)
    assert is_working_day(date(2026, 3, 4)) is True
    actions = list(AuditEvent.objects.filter(actor=admin_user).values_list("action", flat=True))
    assert actions == ["calendar.day_set", "calendar.day_deleted"]


def test_it_sees_a_change_made_by_another_process():
    first = current_calendar()
    assert current_calendar() is first  # unchanged: the built calendar is reused

    # Another process's service: the row changes and the year gets a new revision.
    CalendarDay.objects.filter(date=date(2026, 10, 7)).delete()
    CalendarYear.objects.filter(year=2026).update(revision=uuid.uuid4())

    assert current_calendar() is not first
    assert is_working_day(date(2026, 10, 7)) is True


def test_it_sees_a_change_even_when_the_clock_stands_still(admin_user):
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=SHANGHAI), tick=False):
        services.set_day(date(2026, 3, 4), is_working_day=False, name="甲", by=admin_user)
        assert is_working_day(date(2026, 3, 4)) is False
        services.set_day(date(2026, 3, 4), is_working_day=False, name="乙", by=admin_user)
        services.delete_day(date(2026, 3, 4), by=admin_user)
        assert is_working_day(date(2026, 3, 4)) is True


def test_it_rejects_a_make_up_working_day_on_a_weekday(admin_user):
    with pytest.raises(CalendarError, match="2026-03-04是星期三"):
        services.set_day(date(2026, 3, 4), is_working_day=True, name="调休", by=admin_user)
    assert not CalendarDay.objects.filter(date=date(2026, 3, 4)).exists()


def test_it_rejects_deleting_a_day_that_is_not_special(admin_user):
    with pytest.raises(CalendarError, match="2026-03-04不是已录入的节假日或调休上班日"):
        services.delete_day(date(2026, 3, 4), by=admin_user)


def test_setting_a_day_in_a_new_year_creates_the_year_as_not_complete(admin_user):
    services.set_day(date(2027, 1, 1), is_working_day=False, name="元旦", by=admin_user)
    assert CalendarYear.objects.get(year=2027).complete is False


def test_marking_complete_names_an_unknown_year():
    with pytest.raises(CalendarError, match=r"没有2031年的工作日历。 There is no working-day calendar for 2031"):
        services.mark_year_complete(2031)


def test_marking_complete_rejects_a_year_without_holidays_and_a_year_already_complete(admin_user):
    services.save_year(2027, source="", by=admin_user)
    with pytest.raises(CalendarError, match="2027年还没有录入任何节假日"):
        services.mark_year_complete(2027, by=admin_user)
    with pytest.raises(CalendarError, match="2026年工作日历已是完整的"):
        services.mark_year_complete(2026, by=admin_user)


def test_marking_complete_rejects_an_impossible_year():
    with pytest.raises(CalendarError, match="年份“20277”无效"):
        services.mark_year_complete(20277)


def test_reopening_a_year_makes_its_deadlines_provisional_again(admin_user):
    services.reopen_year(2026, reason="通知有误", by=admin_user)
    due = add_working_days(date(2026, 9, 18), 20)
    assert due.provisional and due.missing_years == (2026,)
    assert AuditEvent.objects.get(action="calendar.year_reopened").data["reason"] == "通知有误"


# --- warnings for administrators --------------------------------------------------------------------


def test_it_warns_about_the_next_year_while_its_calendar_is_missing():
    assert services.missing_years(date(2026, 11, 25)) == [2027]
    [warning] = services.calendar_warnings(date(2026, 11, 25))
    assert warning.startswith("2027年工作日历尚未录入或未标记为完整：涉及该年的期限只能按周末推算，标为“暂定”。")
    assert "The 2027 working-day calendar is missing" in warning


def test_it_warns_about_both_years_when_neither_is_complete():
    assert services.missing_years(date(2028, 1, 5)) == [2028, 2029]


def test_it_does_not_warn_once_the_next_year_is_complete(admin_user):
    services.import_year(sample_rows(), complete=True, by=admin_user)
    assert services.calendar_warnings(date(2026, 11, 25)) == []
