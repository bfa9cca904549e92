"""`gongkai deadline`: the reply deadline and its trace from the command line."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def deadline(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_the_due_date_then_each_step_of_the_trace():
    lines = deadline("--received", "2026-09-15", "--paused", "2026-09-28:2026-10-12", "--extended", "5")
    assert lines[0] == "2026-11-03"
    assert lines[1].endswith("→ 2026-10-19") and "第三十三条第二款" in lines[1]
    assert lines[2].startswith("  2026-09-28至2026-10-12") and "6个工作日不计入" in lines[2]
    assert lines[2].endswith("→ 2026-10-27")
    assert "延期答复5个工作日" in lines[3] and lines[3].endswith("→ 2026-11-03")


def test_a_corrected_application_restarts_the_count():
    lines = deadline("--received", "2026-03-02", "--corrected", "2026-03-16")
    assert lines[0] == "2026-04-14"


def test_a_deadline_in_a_year_without_calendar_data_is_marked_provisional():
    lines = deadline("--received", "2026-12-15")
    assert lines[0] == "2027-01-12 provisional"
    assert "2027" in lines[-1] and "Provisional" in lines[-1]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--received", "2026-02-30"], "2026-02-30"),
        (["--received", "2026-03-02", "--paused", "2026-03-05"], "--paused"),
        (["--received", "2026-03-02", "--paused", "2026-03-09:2026-03-05"], "2026-03-05"),
        (["--received", "2026-03-02", "--extended", "21"], "21"),
        (["--received", "2026-03-02", "--corrected", "2026-03-01"], "2026-03-01"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(args, named):
    with pytest.raises(CommandError, match=named):
        deadline(*args)


def test_the_gongkai_console_command_runs_it(run_gongkai, tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "GONGKAI_DATA_DIR": str(tmp_path)}
    assert run_gongkai("migrate", "--noinput", env=env).returncode == 0
    done = run_gongkai("deadline", "--received", "2026-09-18", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "2026-10-22"
