"""Background work of the catalogue, run by `gongkai worker`."""

from datetime import timedelta

from gongkai.catalog import services
from gongkai.jobs.models import Job
from gongkai.jobs.services import handler


@handler("catalog.publish_due", every=timedelta(minutes=1))
def publish_due(job: Job) -> None:
    """定时发布: publish every approved publication whose scheduled time has come (published_at = now)."""
    services.publish_due()
