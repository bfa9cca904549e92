"""Background work of 双公示, run by `gongkai worker`."""

from datetime import timedelta

from gongkai.credit import services
from gongkai.jobs.models import Job
from gongkai.jobs.services import handler


@handler("credit.end_publicity", every=timedelta(days=1))
def end_publicity(job: Job) -> None:
    """公示期满: penalties whose 公示截止期 has passed leave public view (STATUTES §3.5)."""
    services.end_expired_publicity()
