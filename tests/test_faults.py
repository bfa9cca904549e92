"""Fault tests (issue 9) on PostgreSQL, each against an installation of its own (a database and a data directory):
what the people using it see when something fails, and that nothing was lost, done twice or left half-done.

A restart of PostgreSQL is, for Gongkai, every connection to it dropped at once; these tests drop the connections
to the installation's own database (``pg_terminate_backend``), which the server does on a restart, without
stopping the server that the rest of the test suite uses at the same time."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from tests.conftest import GONGKAI, REPO
from tests.test_backup import Instance

pytestmark = pytest.mark.postgresql

SCHEDULE_ONE = """
import datetime
from django.utils import timezone
from gongkai.catalog.models import Column, Publication
from gongkai.orgs.models import Organization, User
due = timezone.now() - datetime.timedelta(minutes=1)
Publication.objects.create(
    publisher=Organization.objects.get(slug="zdqfzhggj"), title="定时发布的通知", body="<p>定时发布</p>",
    issued_on=due.date(), column=Column.objects.get(code="regulations"), author=User.objects.get(username="publisher"),
    status=Publication.Status.APPROVED, scheduled_at=due,
)
"""

OUTCOME = """
import json
from gongkai.audit.models import AuditEvent
from gongkai.catalog.models import Publication
from gongkai.search.models import SearchDocument
item = Publication.objects.get(title="定时发布的通知")
print(json.dumps({
    "status": item.status,
    "index_no": item.index_no,
    "events": AuditEvent.objects.filter(action="publication.published", object_id=str(item.pk)).count(),
    "documents": SearchDocument.objects.filter(publication=item).count(),
    "serial_of_index_numbers": sorted(Publication.objects.filter(index_no__gt="").values_list("index_no", flat=True)),
}))
"""


@pytest.fixture
def instance(tmp_path):
    made = Instance(tmp_path, "faults")
    for args in (("migrate", "--noinput"), ("demo",)):
        result = made(*args)
        assert result.returncode == 0, result.stderr
    yield made
    made.drop()


def _sql(instance, statement: str, params=()) -> list[tuple]:
    with psycopg.connect(instance.env["DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(statement, params).fetchall()


def _worker(instance, name: str) -> subprocess.Popen:
    command = [GONGKAI, "worker", "--sleep", "0.2", "--name", name]
    return subprocess.Popen(command, cwd=REPO, env=instance.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _outcome(instance) -> dict:
    result = instance("shell", "--no-imports", "-c", OUTCOME)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_worker_killed_in_the_middle_of_a_scheduled_publication_leaves_it_to_the_next_one(instance):
    """The worker has locked the publication, marked it published and taken its index number, and is writing its
    search document when it is killed (SIGKILL). Nothing of that stays: the publication is still scheduled, and
    the next worker publishes it once — one index number (the first serial, not the second), one audit event, one
    search document. The public never saw it half-published."""
    assert instance("shell", "--no-imports", "-c", SCHEDULE_ONE).returncode == 0
    before = _outcome(instance)["serial_of_index_numbers"]
    with psycopg.connect(instance.env["DATABASE_URL"]) as holder:
        # Hold the search index so that the worker stops inside its publishing transaction, at the last step.
        holder.execute("LOCK TABLE search_document IN EXCLUSIVE MODE")
        first = _worker(instance, "first")
        deadline = time.monotonic() + 120
        waiting = []
        while time.monotonic() < deadline and not waiting:
            waiting = _sql(
                instance,
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                "AND query ILIKE %s",
                ["%search_document%"],
            )
            time.sleep(0.2)
        assert waiting, "the worker never reached the search index"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        holder.rollback()

    assert _outcome(instance)["status"] == "approved"  # nothing of the killed transaction stayed
    second = _worker(instance, "second")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _outcome(instance)["status"] != "published":
            time.sleep(1)
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=60)

    result = _outcome(instance)
    assert result["status"] == "published" and result["events"] == 1 and result["documents"] == 1
    prefix, serial = result["index_no"].rsplit("-", 1)
    earlier = [int(number.rsplit("-", 1)[1]) for number in before if number.startswith(prefix + "-")]
    assert int(serial) == max(earlier, default=0) + 1  # the killed worker's serial was given back, not skipped


def test_pages_come_back_by_themselves_after_the_database_drops_every_connection(instance):
    """After PostgreSQL drops every connection (a restart), the next requests are answered as before, without
    restarting Gongkai: each request checks its kept connection first (CONN_HEALTH_CHECKS) and opens a new one."""
    assert instance("collectstatic", "--noinput").returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [GONGKAI, "serve", "--port", str(port), "--workers", "2"],
        cwd=REPO,
        env={**instance.env, "SECRET_KEY": "faults-" + "x" * 50, "GONGKAI_HTTPS": "false", "DEBUG": "false",
             "GONGKAI_PAGE_CACHE_SECONDS": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        pages = ["/", "/gongkai/catalog/", "/gongkai/search/?q=%E9%A1%B9%E7%9B%AE", "/xinyong/shuanggongshi/"]
        assert all(_status(port, page) == 200 for page in pages for _ in range(3))  # connections open and kept
        dropped = _sql(
            instance,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
        )
        assert dropped, "the server kept no connection to drop"
        assert [_status(port, page) for page in pages for _ in range(3)] == [200] * 12
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(port: int, page: str) -> int:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
