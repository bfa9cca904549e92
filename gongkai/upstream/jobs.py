"""The worker sends the outbox on every round (see gongkai.jobs.services.poller)."""

from gongkai.jobs.services import poller
from gongkai.upstream import services


@poller("upstream.push")
def push(worker: str) -> int:
    return sum(pushed.sent for pushed in services.push(worker))
