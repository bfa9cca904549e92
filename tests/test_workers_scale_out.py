"""Several `gongkai worker` processes on one database (issue 9): scheduled work runs exactly once however many
workers there are. Three workers, started together against an instance of their own (the database these tests run
on: SQLite, or PostgreSQL when DATABASE_URL names it), publish 120 publications scheduled for a time that has come
and run the periodic jobs: every publication is published once (one audit event, one search document), and every
job row ran once."""

import json
import signal
import subprocess
import time

import pytest

from tests.conftest import GONGKAI, REPO
from tests.test_backup import Instance

SCHEDULED = 120
WORKERS = 3

SCHEDULE = f"""
import datetime
from django.utils import timezone
from gongkai.catalog.models import Column, Publication
from gongkai.orgs.models import Organization, User
bureau = Organization.objects.get(slug="zdqfzhggj")
author = User.objects.get(username="publisher")
column = Column.objects.get(code="regulations")
due = timezone.now() - datetime.timedelta(minutes=1)
for n in range({SCHEDULED}):
    Publication.objects.create(
        publisher=bureau, title=f"定时发布的通知{{n:03d}}", body="<p>定时发布</p>", issued_on=due.date(),
        column=column, author=author, status=Publication.Status.APPROVED, scheduled_at=due,
    )
print("scheduled")
"""

OUTCOME = """
import collections, json
from django.db.models import Count
from gongkai.audit.models import AuditEvent
from gongkai.catalog.models import Publication
from gongkai.jobs import services
from gongkai.jobs.models import Job
from gongkai.search.models import SearchDocument
services.discover()
every = {kind: periodic.every.total_seconds() for kind, periodic in services._periodic.items()}
mine = Publication.objects.filter(title__startswith="定时发布的通知")
ids = [str(pk) for pk in mine.values_list("pk", flat=True)]
events = collections.Counter(
    AuditEvent.objects.filter(action="publication.published", object_id__in=ids).values_list("object_id", flat=True)
)
print(json.dumps(default=str, obj={
    "published": mine.filter(status="published").count(),
    "events": sorted(collections.Counter(events.values()).items()),
    "documents": SearchDocument.objects.filter(publication__in=mine).count(),
    "jobs": [
        job | {"slot": int(job["run_at"].timestamp() // every[job["kind"]])}
        for job in Job.objects.values("kind", "run_at", "status", "attempts", "claimed_by").order_by("pk")
    ],
}))
"""


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    made = Instance(tmp_path_factory.mktemp("workers"), "workers")
    for args in (("migrate", "--noinput"), ("demo",), ("shell", "--no-imports", "-c", SCHEDULE)):
        result = made(*args)
        assert result.returncode == 0, result.stderr
    yield made
    made.drop()


def outcome(instance) -> dict:
    result = instance("shell", "--no-imports", "-c", OUTCOME)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_three_workers_publish_each_scheduled_publication_once_and_run_each_job_once(instance):
    def start(name: str) -> subprocess.Popen:
        command = [GONGKAI, "worker", "--sleep", "0.2", "--name", name]
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        return subprocess.Popen(command, cwd=REPO, env=instance.env, **pipes)

    workers = [start(f"w{number}") for number in range(WORKERS)]
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and outcome(instance)["published"] < SCHEDULED:
            time.sleep(2)
        time.sleep(3)  # let the workers run whatever else is due
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        logs = [worker.communicate(timeout=60) for worker in workers]

    assert all(worker.returncode == 0 for worker in workers), logs
    result = outcome(instance)
    assert result["published"] == SCHEDULED
    assert result["events"] == [[1, SCHEDULED]]  # one "published" event for each, none twice
    assert result["documents"] == SCHEDULED
    jobs = result["jobs"]
    assert jobs and all(job["status"] == "done" and job["attempts"] == 1 for job in jobs), jobs
    assert {job["kind"] for job in jobs} >= {"catalog.publish_due", "credit.end_publicity", "requests.remind"}
    slots = [(job["kind"], job["slot"]) for job in jobs]
    assert len(set(slots)) == len(slots)  # each periodic slot queued once, though all three workers scheduled it
