"""The fault run of issue 7: changes pushed by real workers that are killed, to an upstream that fails at random.

`fault_run` queues changes in the outbox (and some in a transaction that rolls back: phantoms if they were
ever sent), starts `gongkai worker` processes against the current database, kills one with SIGKILL every
fraction of a second while the fake upstream fails a share of the requests (mostly after applying them),
then stops the faults and waits for the outbox to drain. The fake upstream is the judge. Used by
tests/test_upstream_guarantees.py and by bench/upstream.py (which prints the report).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from gongkai.upstream.fake import FakeUpstream
from gongkai.upstream.models import Attempt, OutboxItem, Upstream
from gongkai.upstream.outbox import idempotency_key

TOKEN = "fault-run-token"
TOP_UP = 200  # changes queued during the kills whenever fewer than this are waiting
PHANTOMS_FROM = 10_000_000  # the rolled-back changes' numbers, apart from any committed one


@dataclass(frozen=True)
class FaultReport:
    changes: int
    kills: int
    delivered_at_last_kill: int  # fewer than `changes`: the kills happened while there was work
    workers: int
    seconds: float
    delivered: int
    lost: int  # committed changes the upstream never applied
    applied_twice: int  # changes the upstream applied more than once
    phantoms: int  # rolled-back changes the upstream received
    resent: int  # changes the upstream received more than once (each answered under its own key)
    requests_with_faults: int  # batches the upstream received while it failed at random
    faults_injected: int  # …of which it spoiled (timeout, dropped connection, 500, garbage, partial answer)
    attempts_recorded: int
    attempts_failed: int
    receipts_match: bool

    @property
    def failure_share(self) -> float:
        """The share of batches spoiled while the faults were on."""
        return self.faults_injected / self.requests_with_faults if self.requests_with_faults else 0.0

    def lines(self) -> list[str]:
        return [
            f"changes {self.changes}, workers {self.workers}, kills {self.kills} "
            f"(delivered by the last kill: {self.delivered_at_last_kill}), {self.seconds:.1f} s",
            f"delivered {self.delivered}; lost {self.lost}; applied twice {self.applied_twice}; "
            f"phantoms {self.phantoms}",
            f"re-sent and answered as duplicates under the same key: {self.resent}",
            f"faults injected in {self.faults_injected} of {self.requests_with_faults} batches "
            f"({self.failure_share:.0%}); "
            f"failed attempts recorded {self.attempts_failed} of {self.attempts_recorded}; "
            f"receipts match: {self.receipts_match}",
        ]


def _key(number: int) -> str:
    return idempotency_key("penalty", number, 1, "upsert")


def queue_changes(upstream: Upstream, numbers, *, payload=None) -> list[OutboxItem]:
    """Outbox items for new penalties numbered ``numbers`` (their fields: ``payload(number)``, or the decision
    number alone), as a change would queue them. Used by the benchmarks and tests/test_upstream_push.py."""
    now = timezone.now()
    return OutboxItem.objects.bulk_create(
        (
            OutboxItem(
                upstream=upstream,
                record_type="penalty",
                record_id=number,
                version=1,
                action="upsert",
                payload=payload(number) if payload else {"CF_WSH": f"张发改罚〔2026〕{number}号"},
                next_attempt_at=now,
                created_at=now,
            )
            for number in numbers
        ),
        batch_size=500,
    )


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def _worker(name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "GONGKAI_UPSTREAM_LEASE_SECONDS": "1",
        "GONGKAI_UPSTREAM_RETRY_BASE_SECONDS": "0.05",
        "GONGKAI_UPSTREAM_RETRY_CAP_SECONDS": "0.5",
    }
    gongkai = str(Path(sys.executable).parent / "gongkai")
    return subprocess.Popen(
        [gongkai, "worker", "--name", name, "--sleep", "0.05"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _has_sent(upstream: Upstream, worker: str) -> bool:
    return Attempt.objects.filter(upstream=upstream, worker=worker).exists()


def _delivered(upstream: Upstream) -> int:
    return OutboxItem.objects.filter(upstream=upstream, status=OutboxItem.Status.DELIVERED).count()


def fault_run(
    *, changes: int = 1_000, phantoms: int = 50, kills: int = 10, workers: int = 2, failure_rate: float = 0.35,
    seed: int = 20261126, timeout: float = 300,
) -> FaultReport:  # fmt: skip
    """Run it in the current database (which must be committed to: no test transaction around it).

    At least ``changes`` changes: while the kills go on, more are queued whenever fewer than `TOP_UP` wait, so
    that however fast the workers are, every kill hits a worker with work; the report gives the total.
    """
    rng = random.Random(seed)
    started = time.monotonic()
    with FakeUpstream(token=TOKEN) as fake:
        upstream = Upstream.objects.create(
            code=f"fault-run-{seed}", name="故障演练平台", endpoint=fake.url, token=TOKEN, batch_size=5,
            timeout_seconds=0.5, max_attempts=10_000, is_enabled=True,
        )  # fmt: skip
        queue_changes(upstream, range(1, changes + 1))
        phantom_numbers = range(PHANTOMS_FROM, PHANTOMS_FROM + phantoms)
        try:
            with transaction.atomic():
                queue_changes(upstream, phantom_numbers)
                raise _RolledBack
        except _RolledBack:
            pass
        fake.set_faults(random_failure_rate=failure_rate, seed=seed, hold_seconds=1.5)
        names = [f"w{index}" for index in range(workers)]
        running = [_worker(name) for name in names]
        killed = 0
        deadline = time.monotonic() + timeout
        try:
            while killed < kills and time.monotonic() < deadline:
                if changes - _delivered(upstream) < TOP_UP:  # fast workers: keep work waiting through every kill
                    queue_changes(upstream, range(changes + 1, changes + TOP_UP + 1))
                    changes += TOP_UP
                victim = rng.randrange(workers)
                # Kill it mid-work: once it has sent a batch of its own, a moment later (it may be sending,
                # recording an answer or claiming).
                while not _has_sent(upstream, names[victim]) and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(rng.uniform(0, 0.3))
                running[victim].send_signal(signal.SIGKILL)
                running[victim].wait()
                killed += 1
                names[victim] = f"w{victim}-{killed}"
                running[victim] = _worker(names[victim])
            delivered_at_last_kill = _delivered(upstream)
            fault_phase = fake.state()["faults_used"]  # the fault each batch got while faults were on
            fake.set_faults(random_failure_rate=0)
            while _delivered(upstream) < changes and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            for worker in running:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
        state = fake.state()
    applied, received, receipts = state["applied"], state["received"], state["receipts"]
    committed = [_key(number) for number in range(1, changes + 1)]
    items = OutboxItem.objects.filter(upstream=upstream)
    attempts = Attempt.objects.filter(upstream=upstream)
    return FaultReport(
        changes=changes,
        kills=killed,
        delivered_at_last_kill=delivered_at_last_kill,
        workers=workers,
        seconds=time.monotonic() - started,
        delivered=items.filter(status=OutboxItem.Status.DELIVERED).count(),
        lost=sum(1 for key in committed if applied.get(key, 0) == 0),
        applied_twice=sum(1 for times in applied.values() if times > 1),
        phantoms=sum(1 for number in phantom_numbers if _key(number) in received),
        resent=sum(1 for times in received.values() if times > 1),
        requests_with_faults=len(fault_phase),
        faults_injected=sum(1 for fault in fault_phase if fault),
        attempts_recorded=attempts.count(),
        attempts_failed=attempts.exclude(failure="").count(),
        receipts_match=all(item.receipt == receipts.get(item.idempotency_key) for item in items),
    )


class _RolledBack(Exception):
    pass
