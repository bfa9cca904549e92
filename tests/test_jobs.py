"""The database is the queue: jobs are claimed once, retried with backoff, and recovered from dead workers."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from gongkai.jobs import services
from gongkai.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran():
    """Register test handlers for the duration of a test and collect what they saw."""
    seen: list = []
    saved = services.handlers()

    @services.handler("test.note")
    def note(job):
        seen.append(job.payload["n"])

    @services.handler("test.flaky")
    def flaky(job):
        if job.attempts < 3:
            raise ConnectionError("上游暂时不可用 / upstream unavailable")
        seen.append("flaky-ok")

    @services.handler("test.slow")
    def slow(job):
        time.sleep(0.005)
        seen.append(job.payload["n"])

    @services.handler("test.broken")
    def broken(job):
        raise ValueError("数据错误 / bad data")

    yield seen
    services._handlers.clear()
    services._handlers.update(saved)


def test_a_queued_job_runs_once(ran):
    job = services.enqueue("test.note", {"n": 1})
    assert services.work("w1") == 1
    assert services.work("w1") == 0
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert ran == [1]


def test_a_job_scheduled_for_later_waits_for_its_time(ran):
    services.enqueue("test.note", {"n": 7}, run_at=timezone.now() + timedelta(hours=1))
    assert services.work("w1") == 0
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert services.work("w1") == 1
    assert ran == [7]


def test_a_failing_job_is_retried_later_with_backoff(ran):
    job = services.enqueue("test.flaky")
    start = timezone.now()
    services.work("w1")
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.run_at > start + timedelta(seconds=20)
    assert "ConnectionError" in job.last_error
    for _ in range(2):
        with time_machine.travel(job.run_at + timedelta(seconds=1)):
            services.work("w1")
        job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 3
    assert ran == ["flaky-ok"]


def test_a_job_that_keeps_failing_ends_failed_with_its_error(ran):
    job = services.enqueue("test.broken", max_attempts=2)
    services.work("w1")
    job.refresh_from_db()
    with time_machine.travel(job.run_at + timedelta(seconds=1)):
        services.work("w1")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.attempts == 2
    assert "数据错误" in job.last_error


def test_an_unknown_kind_fails_at_once_naming_the_kind(ran):
    job = services.enqueue("test.nobody-handles-this")
    services.work("w1")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "test.nobody-handles-this" in job.last_error


def test_the_job_of_a_dead_worker_is_taken_again_after_its_lease(ran):
    job = services.enqueue("test.note", {"n": 3})
    claimed = services.claim("dead-worker")
    assert claimed.pk == job.pk
    # The worker dies here, without finishing. Before the lease ends no one else takes the job:
    assert services.claim("w2") is None
    with time_machine.travel(timezone.now() + services.LEASE + timedelta(seconds=1)):
        assert services.work("w2") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.claimed_by == "w2"
    assert ran == [3]


def test_a_unique_key_queues_a_scheduled_job_once(ran):
    first = services.enqueue("test.note", {"n": 1}, unique_key="publish:42")
    second = services.enqueue("test.note", {"n": 1}, unique_key="publish:42")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_periodic_jobs_are_queued_once_per_slot_however_many_workers_ask(ran):
    services.handler("test.daily", every=timedelta(days=1))(lambda job: None)
    now = timezone.now()
    services.schedule_periodic(now)
    services.schedule_periodic(now)
    services.schedule_periodic(now + timedelta(seconds=5))
    assert Job.objects.filter(kind="test.daily").count() == 1
    services._periodic.pop("test.daily")


def test_the_worker_command_runs_what_is_due_and_stops_with_once(ran, capsys):
    services.enqueue("test.note", {"n": 5})
    services.enqueue("test.note", {"n": 6})
    call_command("worker", "--once", "--name", "cmd")
    assert sorted(ran) == [5, 6]
    assert "worker cmd stopped" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_run_the_same_job(ran):
    for n in range(60):
        services.enqueue("test.slow", {"n": n})
    errors = []

    def worker(name: str) -> None:
        try:
            services.work(name)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(ran) == list(range(60))
    assert Job.objects.filter(status=Job.Status.DONE).count() == 60
    assert Job.objects.values("claimed_by").distinct().count() > 1
