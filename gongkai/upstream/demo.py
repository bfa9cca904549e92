"""The demo's pushes: 信用淄博 switched on against the fake upstream, and the demo's public records sent to it.

The fake runs in this process while the demo loads. Its first answer is a 500 after it applied the batch and
a later one answers for half a batch only, so the screens show what the credit office meets in life: a
failed attempt, the re-send answered "duplicate" with the first receipt, and an item retried on its own.
Afterwards the upstream points at ``http://127.0.0.1:8765``: with ``gongkai fake-upstream --port 8765``
and ``gongkai worker`` running, later changes are delivered too; without them they wait, as they would for
a platform that is down.
"""

from __future__ import annotations

import time

from gongkai.upstream import services
from gongkai.upstream.fake import FakeUpstream
from gongkai.upstream.models import Attempt, OutboxItem, Upstream

CODE = "xinyong-zibo"
TOKEN = "fake-upstream-token"  # `gongkai fake-upstream`'s default
ENDPOINT = "http://127.0.0.1:8765"
PATIENCE_SECONDS = 20  # the retries wait out their backoff (GONGKAI_UPSTREAM_RETRY_BASE_SECONDS, 1 s)


def load_pushes() -> list[str]:
    """Deliver the demo's public records to 信用淄博 once (nothing when it has been switched on before)."""
    # Seeded by a migration; created here too for a database emptied since (the tests flush theirs).
    upstream, _ = Upstream.objects.get_or_create(code=CODE, defaults={"name": "信用淄博"})
    if upstream.is_enabled or Attempt.objects.filter(upstream=upstream).exists():
        return []
    with FakeUpstream(token=TOKEN) as fake:
        upstream.endpoint, upstream.token, upstream.is_enabled = fake.url, TOKEN, True
        upstream.save(update_fields=["endpoint", "token", "is_enabled"])
        queued = services.queue_unqueued(upstream, by=None)
        fake.set_faults(error500=1, partial=1)
        delivered = _drain(upstream)
    upstream.endpoint = ENDPOINT
    upstream.save(update_fields=["endpoint"])
    return [f"{delivered} of {queued} records delivered to {upstream.name}"]


def _drain(upstream: Upstream) -> int:
    delivered, deadline = 0, time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        delivered += services.drain("demo", upstreams=[upstream])
        if not OutboxItem.objects.of(upstream).waiting().exists():
            break
        time.sleep(0.2)
    return delivered
