"""`gongkai calendar …`: the working-day calendar from the command line."""

from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEvent
from gongkai.workdays.calendar import add_working_days
from gongkai.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db

SAMPLE_2027 = Path(__file__).parent / "data" / "calendar-2027-sample.csv"


def calendar(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_working_days_prints_the_deadline_counting_the_make_up_sunday():
    out, err = calendar("add-working-days", "2026-09-18", "20")
    assert out == "2026-10-22\n"
    assert err == ""


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [("2026-02-10", "7", "2026-02-26"), ("2026-04-30", "7", "2026-05-13"), ("2026-12-01", "20", "2026-12-29")],
)
def test_add_working_days_prints_the_other_statutory_examples(start, n, due):
    assert calendar("add-working-days", start, n)[0] == due + "\n"


def test_add_working_days_marks_a_provisional_deadline_and_explains_why_on_stderr():
    out, err = calendar("add-working-days", "2026-12-15", "20")
    assert out == "2027-01-12 provisional\n"
    assert "2027年工作日历尚未录入" in err and "Provisional" in err


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "tomorrow", "20260918"])
def test_add_working_days_names_an_impossible_date(value):
    with pytest.raises(CommandError) as raised:
        calendar("add-working-days", value, "20")
    assert f"日期“{value}”无效" in str(raised.value)
    assert f"The date '{value}' is not a real date" in str(raised.value)


@pytest.mark.parametrize("value", ["-1", "twenty", "2.5"])
def test_add_working_days_names_a_bad_number_of_days(value):
    with pytest.raises(CommandError, match=f"工作日数“{value}”无效.*'{value}' is not a whole number"):
        calendar("add-working-days", "2026-09-18", value)


def test_between_prints_the_number_of_working_days():
    assert calendar("between", "2026-09-18", "2026-10-22")[0] == "20\n"
    assert calendar("between", "2026-12-15", "2027-01-12")[0] == "20 provisional\n"


def test_is_working_day_prints_the_answer_and_the_holiday():
    assert calendar("is-working-day", "2026-09-20")[0] == "2026-09-20 工作日 working day (国庆节 调休上班日)\n"
    assert calendar("is-working-day", "2026-10-01")[0] == "2026-10-01 休息日 rest day (国庆节 放假)\n"
    assert calendar("is-working-day", "2026-03-04")[0] == "2026-03-04 工作日 working day\n"


def test_is_working_day_names_a_year_without_a_calendar():
    with pytest.raises(CommandError, match=r"2027年工作日历尚未录入.*2027-01-04.*The 2027 working-day calendar"):
        calendar("is-working-day", "2027-01-04")


def test_import_then_complete_turns_a_provisional_deadline_exact():
    out, _ = calendar("import", str(SAMPLE_2027), "--source", "测试样例（非官方）")
    assert out == "2027: 29 休 holidays, 6 班 make-up working days, 未完整 not complete\n"
    assert calendar("add-working-days", "2026-12-15", "20")[0] == "2027-01-12 provisional\n"

    assert calendar("complete", "2027")[0] == "2027: 完整 complete\n"
    assert calendar("add-working-days", "2026-12-15", "20")[0] == "2027-01-13\n"
    assert add_working_days(date(2026, 12, 15), 20).provisional is False
    assert AuditEvent.objects.filter(action="calendar.year_completed", actor=None).count() == 1


def test_import_with_complete_and_by_records_the_user(django_user_model):
    user = django_user_model.objects.create_user("wangwu-admin", password="x")
    calendar("import", str(SAMPLE_2027), "--complete", "--by", "wangwu-admin")
    assert CalendarYear.objects.get(year=2027).completed_by == user
    assert AuditEvent.objects.get(action="calendar.year_imported").actor == user


def test_import_reports_every_bad_row_and_changes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,type,name\n2027-01-01,休,元旦\n2027-02-29,休,春节\n2027-02-08,班,春节\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        calendar("import", str(bad))
    message = str(raised.value)
    assert "第3行：日期“2027-02-29”无效" in message
    assert "第4行：调休上班日必须是星期六或星期日" in message
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_names_a_file_that_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match=r"无法读取文件.*missing\.csv"):
        calendar("import", str(tmp_path / "missing.csv"))


def test_import_names_an_unknown_user():
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        calendar("import", str(SAMPLE_2027), "--by", "nobody")
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_complete_names_an_unknown_year():
    with pytest.raises(CommandError, match="没有2031年的工作日历。 There is no working-day calendar for 2031"):
        calendar("complete", "2031")
    with pytest.raises(CommandError, match="年份“next”无效"):
        calendar("complete", "next")


def test_status_lists_the_years_and_warns_about_the_missing_next_year():
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        out, _ = calendar("status")
    lines = out.splitlines()
    assert lines[0].startswith("2004  完整 complete")
    assert any(line.startswith("2026  完整 complete") and "33 休" in line and "6 班" in line for line in lines)
    assert "2027年工作日历尚未录入或未标记为完整" in lines[-1]


def test_the_gongkai_console_command_runs_the_calendar(run_gongkai, tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "GONGKAI_DATA_DIR": str(tmp_path)}
    migrated = run_gongkai("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr

    done = run_gongkai("calendar", "add-working-days", "2026-09-18", "20", env=env)
    assert (done.returncode, done.stdout) == (0, "2026-10-22\n")

    bad = run_gongkai("calendar", "add-working-days", "2026-02-30", "20", env=env)
    assert bad.returncode == 1
    assert "2026-02-30" in bad.stderr and "Traceback" not in bad.stderr
