"""Reminders of reply deadlines: 5 and 1 working days before, to the handler; to the office head once overdue."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from request_files import APPLICANT

from gongkai.jobs import services as jobs
from gongkai.orgs.models import User
from gongkai.requests import services
from gongkai.requests.models import Reminder
from gongkai.requests.reminders import send_reminders

pytestmark = pytest.mark.django_db

PERSON = APPLICANT


@pytest.fixture
def handler(bureau):
    user = User.objects.get(username="handler")
    user.email = "handler@fgj.example.cn"
    user.save()
    return user


@pytest.fixture
def head(bureau):
    user = User.objects.get(username="head")
    user.email = "head@fgj.example.cn"
    user.save()
    return user


@pytest.fixture
def application(bureau, handler, head):
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        return services.register(
            organization=bureau, by=handler, channel="post", received_on=date(2026, 11, 2), **PERSON
        )  # due 2026-11-30


def test_the_handler_is_reminded_five_and_one_working_days_before_and_only_once(application):
    assert send_reminders(date(2026, 11, 20)) == 0  # 6 working days left
    assert send_reminders(date(2026, 11, 23)) == 1
    assert send_reminders(date(2026, 11, 23)) == 0
    assert send_reminders(date(2026, 11, 24)) == 0  # 4 left: the 5-day reminder was sent
    assert send_reminders(date(2026, 11, 27)) == 1
    assert [message.to for message in mail.outbox] == [["handler@fgj.example.cn"]] * 2
    assert "还剩 5 个工作日" in mail.outbox[0].subject and "还剩 1 个工作日" in mail.outbox[1].subject
    assert application.tracking_code in mail.outbox[0].body and "2026-11-30" in mail.outbox[0].body


def test_the_office_head_is_told_when_the_deadline_has_passed(application):
    assert send_reminders(date(2026, 12, 1)) == 1
    assert mail.outbox[0].to == ["head@fgj.example.cn"]
    assert "已超期" in mail.outbox[0].subject
    assert send_reminders(date(2026, 12, 2)) == 0


def test_a_worker_that_missed_days_catches_up_with_the_nearest_reminder(application):
    assert send_reminders(date(2026, 11, 26)) == 1  # 2 working days left: "within 5"
    assert Reminder.objects.get().kind == "due_in_5"


def test_when_the_due_date_moves_the_reminders_follow_it(application, head):
    send_reminders(date(2026, 11, 23))
    with time_machine.travel(datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        services.extend(application, by=head, days=10, on=date(2026, 11, 24), note="材料多")
    assert send_reminders(date(2026, 11, 27)) == 0  # now due 2026-12-14: 11 working days left
    assert send_reminders(date(2026, 12, 7)) == 1
    assert list(Reminder.objects.values_list("due_on", flat=True).order_by("id")) == [
        date(2026, 11, 30),
        date(2026, 12, 14),
    ]


def test_closed_or_paused_applications_are_not_reminded(application, handler):
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        services.start_pause(application, by=handler, kind="third_party", on=date(2026, 11, 20))
    assert send_reminders(date(2026, 11, 27)) == 0
    with time_machine.travel(datetime(2026, 11, 27, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        services.end_pause(application, by=handler, kind="third_party", until=date(2026, 11, 27))
        services.close(application, by=handler, outcome="1", on=date(2026, 11, 27))
    assert send_reminders(date(2026, 12, 10)) == 0
    assert mail.outbox == []


def test_the_worker_runs_the_reminders_every_hour(application):
    jobs.discover()  # as `gongkai worker` does
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        jobs.schedule_periodic(datetime(2026, 11, 23, 1, tzinfo=ZoneInfo("UTC")))
        jobs.work("test", max_jobs=10)
    assert [message.to for message in mail.outbox] == [["handler@fgj.example.cn"]]
