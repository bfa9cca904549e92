"""定时发布: the worker publishes a scheduled publication once its time has come, once, at that moment."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.catalog import services
from gongkai.catalog.models import Column, Publication
from gongkai.catalog.views.staff import publication_history
from gongkai.jobs import services as jobs
from gongkai.jobs.models import Job
from gongkai.orgs.models import User

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
TEN = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scheduled(clock, bureau):
    """Approved at 09:00 and scheduled for 10:00 the same morning."""
    jobs.discover()
    publisher, reviewer = User.objects.get(username="publisher"), User.objects.get(username="reviewer")
    publication = services.create_draft(
        by=publisher,
        publisher=bureau,
        title="关于2026年一季度重点项目开工情况的通报",
        issued_on=datetime.date(2026, 2, 27),
        column=Column.objects.get(code="projects"),
    )
    services.submit(publication, by=publisher)
    services.approve(publication, by=reviewer)
    return services.publish(publication, by=reviewer, at=TEN)


def run_worker(name: str) -> int:
    """What `gongkai worker` does on each tick: queue the periodic jobs of this minute, then work."""
    jobs.schedule_periodic(timezone.now())
    return jobs.work(name)


def publish_events(publication: Publication):
    return AuditEvent.objects.about(publication).filter(action="publication.published")


def test_the_catalogue_registers_a_periodic_job_every_minute(scheduled):
    assert "catalog.publish_due" in jobs.handlers()

    jobs.schedule_periodic(timezone.now())

    job = Job.objects.get(kind="catalog.publish_due")
    slot = int(timezone.now().timestamp() // 60)
    assert job.unique_key == f"periodic:catalog.publish_due:{slot}"


def test_the_worker_leaves_a_publication_alone_before_its_time(scheduled, clock):
    clock.move_to(TEN - datetime.timedelta(minutes=1))

    run_worker("w1")

    scheduled.refresh_from_db()
    assert scheduled.status == Publication.Status.APPROVED
    assert scheduled.index_no is None
    assert scheduled.published_at is None


def test_the_worker_publishes_it_when_it_runs_after_the_time_dated_when_it_actually_went_public(scheduled, clock):
    late = TEN + datetime.timedelta(minutes=3, seconds=20)  # the worker was busy: 10:03:20
    clock.move_to(late)

    run_worker("w1")

    scheduled.refresh_from_db()
    assert scheduled.status == Publication.Status.PUBLISHED
    assert scheduled.published_at == late  # never back-dated to the scheduled 10:00
    assert scheduled.scheduled_at is None
    assert scheduled.index_no == "1137030300421716XM/2026-00001"
    event = publish_events(scheduled).get()
    assert event.actor is None
    assert event.data["scheduled"] is True
    history = publication_history(scheduled)
    assert [(entry.action, entry.actor) for entry in history[-2:]] == [
        ("定时发布", "李四 (reviewer)"),
        ("发布", "系统"),
    ]
    assert history[-2].details == "定于 2026-03-02 10:00 发布"
    assert history[-1].details == "由定时任务发布"


def test_a_second_worker_does_not_publish_it_again(scheduled, clock):
    clock.move_to(TEN + datetime.timedelta(seconds=30))
    run_worker("w1")
    scheduled.refresh_from_db()
    first = (scheduled.published_at, scheduled.index_no)

    assert run_worker("w2") == 0  # the same minute: its job was queued once and is done
    clock.shift(datetime.timedelta(minutes=1))
    assert run_worker("w2") >= 1  # the next minute's job runs, and finds nothing due

    scheduled.refresh_from_db()
    assert (scheduled.published_at, scheduled.index_no) == first
    assert publish_events(scheduled).count() == 1
    assert services.publish_due() == 0


def test_a_cancelled_schedule_is_not_published_by_the_worker(scheduled, clock):
    services.cancel_schedule(scheduled, by=User.objects.get(username="reviewer"))
    clock.move_to(TEN + datetime.timedelta(minutes=5))

    run_worker("w1")

    scheduled.refresh_from_db()
    assert scheduled.status == Publication.Status.APPROVED
    assert not publish_events(scheduled).exists()
