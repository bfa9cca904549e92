"""Background work of the annual report, run by `gongkai worker`."""

from datetime import timedelta

from django.utils import timezone

from gongkai.jobs.models import Job
from gongkai.jobs.services import handler
from gongkai.reports import reminders


@handler("reports.remind", every=timedelta(hours=6))
def remind(job: Job) -> None:
    """年度报告提醒: before the internal deadline, after it, and after the statutory latest date."""
    reminders.send_reminders(timezone.localdate())
