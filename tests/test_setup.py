"""The installation: settings from the environment, SQLite tuned for concurrent use, the `gongkai` command."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.conftest import GONGKAI, REPO


def production_env(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"GONGKAI_HTTPS", "GONGKAI_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DEBUG": "false", "GONGKAI_ENV_FILE": "/dev/null", "ALLOWED_HOSTS": "gongkai.example.gov.cn"})
    env.update(extra)
    return env


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = production_env()
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "未设置 SECRET_KEY" in result.stderr


def test_the_production_settings_pass_the_deployment_checks():
    env = production_env(SECRET_KEY="a-long-random-production-secret-" + "k" * 40)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_time_is_aware_and_in_shanghai():
    assert settings.USE_TZ
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert timezone.now().tzinfo is not None
    assert str(timezone.get_current_timezone()) == "Asia/Shanghai"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == settings.DATABASES["default"]["OPTIONS"]["timeout"] * 1000


# --- the `gongkai` command, against its own SQLite database in a temporary data directory (the `installation`
# fixture of conftest.py) ----------------------------------------------------------------------------------


def test_gongkai_without_arguments_lists_its_commands():
    result = subprocess.run([GONGKAI], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for command in ("serve", "demo", "worker", "validate-id", "calendar", "audit"):
        assert command in result.stdout


def test_gongkai_demo_prints_the_logins_and_a_second_run_changes_nothing(installation):
    first = installation("demo")
    assert first.returncode == 0, first.stderr
    assert "演示数据已载入" in first.stdout
    assert "handler" in first.stdout and "gongkai-demo-2026" in first.stdout
    second = installation("demo")
    assert "未作改动" in second.stdout


def test_gongkai_calendar_adds_working_days_over_the_make_up_sunday(installation):
    result = installation("calendar", "add-working-days", "2026-09-18", "20")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-10-22"


def test_gongkai_calendar_marks_a_date_in_a_missing_year_provisional(installation):
    result = installation("calendar", "add-working-days", "2026-12-15", "20")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("provisional")


def test_gongkai_calendar_names_an_impossible_date_without_a_traceback(installation):
    result = installation("calendar", "add-working-days", "2026-02-30", "20")
    assert result.returncode != 0
    assert "2026-02-30" in result.stderr
    assert "Traceback" not in result.stderr


def test_gongkai_validate_id_prints_json_lines_and_exits_1_on_an_invalid_value(installation):
    result = installation("validate-id", "1137030300421716XM", "1137030300421716XN")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["value"], line["kind"], line["valid"]) for line in lines] == [
        ("1137030300421716XM", "uscc", True),
        ("1137030300421716XN", "uscc", False),
    ]


def test_gongkai_audit_verify_checks_the_chain(installation):
    installation("demo")
    result = installation("audit", "verify")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK ")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gongkai_serve_serves_pages_and_static_files_with_gunicorn(installation):
    installation("demo")
    port = _free_port()
    server = subprocess.Popen(
        [GONGKAI, "serve", "--port", str(port), "--workers", "1"],
        cwd=REPO,
        env={**installation.env, "GONGKAI_HTTPS": "false"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        page = None
        for _ in range(100):
            try:
                page = urllib.request.urlopen(base + "/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert page is not None, "the server did not answer"
        assert "张店区发展和改革局" in page
        css = urllib.request.urlopen(base + "/static/portal/site.css", timeout=5)
        assert css.status == 200
        assert "text/css" in css.headers["Content-Type"]
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "gunicorn" in output.lower() or "Booting worker" in output


@pytest.mark.django_db(transaction=True)
def test_reference_data_comes_back_after_the_database_is_flushed():
    """Seeded calendar years and role groups are reference data: `flush` (as between transactional tests)
    empties the tables, and post_migrate puts them back."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from gongkai.orgs.roles import ROLES
    from gongkai.workdays.models import CalendarYear

    call_command("flush", interactive=False, verbosity=0)
    assert CalendarYear.objects.filter(complete=True, year__range=(2004, 2026)).count() == 23
    assert set(Group.objects.values_list("name", flat=True)) >= {role.group_name for role in ROLES.values()}
