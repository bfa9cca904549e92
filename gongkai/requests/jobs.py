"""Background work of 依申请公开, run by `gongkai worker`."""

from datetime import timedelta

from django.utils import timezone

from gongkai.jobs.models import Job
from gongkai.jobs.services import handler
from gongkai.requests import reminders


@handler("requests.remind", every=timedelta(hours=1))
def remind(job: Job) -> None:
    """答复期限提醒: 5 and 1 working days before the due date, and to the office head when it has passed."""
    reminders.send_reminders(timezone.localdate())
