"""Queue, claim and run background jobs.

Every app declares its handlers in its own ``jobs.py`` with ``@handler("kind")``; the worker imports
those modules at start. A handler receives the Job and must be idempotent: a job whose worker died
mid-way is run again once its lease has passed.
"""

import logging
import random
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from gongkai.jobs.models import Job

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)

Handler = Callable[[Job], None]


@dataclass(frozen=True)
class Periodic:
    kind: str
    every: timedelta


_handlers: dict[str, Handler] = {}
_periodic: dict[str, Periodic] = {}
_pollers: dict[str, Callable[[str], int]] = {}


def handler(kind: str, *, every: timedelta | None = None) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``; with ``every`` it is also queued periodically."""

    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        if every is not None:
            _periodic[kind] = Periodic(kind, every)
        return func

    return register


def poller(name: str) -> Callable[[Callable[[str], int]], Callable[[str], int]]:
    """Register work the worker looks for on every round besides jobs (the upstream outbox, say).

    The function takes the worker's name and returns how much it did (0: nothing was waiting); it claims its
    own rows, so any number of workers may run it at once.
    """

    def register(func: Callable[[str], int]) -> Callable[[str], int]:
        _pollers[name] = func
        return func

    return register


def poll(worker: str) -> int:
    """One round of every poller; how much they did in all. A failing poller is logged and the others still run."""
    done = 0
    for name, func in _pollers.items():
        try:
            done += func(worker)
        except Exception:
            logger.exception("poller %s failed", name)
    return done


def discover() -> None:
    autodiscover_modules("jobs")


def handlers() -> dict[str, Handler]:
    return dict(_handlers)


def enqueue(
    kind: str,
    payload: dict | None = None,
    *,
    run_at: datetime | None = None,
    organization=None,
    unique_key: str | None = None,
    max_attempts: int = 5,
) -> Job:
    """Queue a job. With a ``unique_key`` that is already queued, return the existing job instead."""
    fields = {
        "kind": kind,
        "payload": payload or {},
        "run_at": run_at or timezone.now(),
        "organization": organization,
        "max_attempts": max_attempts,
    }
    if unique_key is None:
        return Job.objects.create(**fields)
    try:
        with transaction.atomic():
            return Job.objects.create(unique_key=unique_key, **fields)
    except IntegrityError:
        return Job.objects.get(unique_key=unique_key)


def schedule_periodic(now: datetime) -> int:
    """Queue each periodic job for the current time slot. The slot is in the unique key, so however many
    workers call this, each slot is queued once."""
    queued = 0
    for periodic in _periodic.values():
        slot = int(now.timestamp() // periodic.every.total_seconds())
        key = f"periodic:{periodic.kind}:{slot}"
        if not Job.objects.filter(unique_key=key).exists():
            enqueue(periodic.kind, run_at=now, unique_key=key, max_attempts=1)
            queued += 1
    return queued


def claim(worker: str, *, now: datetime | None = None) -> Job | None:
    """Take the next due job for this worker, or None.

    On PostgreSQL the row is locked with SKIP LOCKED, so concurrent workers each get a different row
    without waiting. On SQLite every transaction begins IMMEDIATE (see settings), so claims queue one
    after the other. In both, the conditional update is the final word: a row another worker already
    took is not taken again.
    """
    now = now or timezone.now()
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        # 1. Give jobs of dead workers back to the queue.
        Job.objects.stale(now, LEASE).update(status=Job.Status.QUEUED, claimed_by="", claimed_at=None)
        # 2. Pick the oldest due job that no one else holds.
        candidates = Job.objects.due(now).order_by("run_at", "id")
        if skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        job = candidates.first()
        if job is None:
            return None
        # 3. Take it only if it is still queued.
        taken = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, claimed_by=worker, claimed_at=now, attempts=job.attempts + 1
        )
        if taken != 1:
            return None
    job.refresh_from_db()
    return job


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: about 30 s, 1 min, 2 min, … capped at 1 hour."""
    base = min(30 * 2 ** (attempts - 1), 3600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def run(job: Job) -> bool:
    """Run one claimed job and record the outcome. Returns True when it succeeded."""
    func = _handlers.get(job.kind)
    try:
        if func is None:
            raise LookupError(f"没有处理类型 {job.kind!r} 的程序 / no handler for job kind {job.kind!r}")
        func(job)
    except Exception as exc:
        logger.exception("job %s failed", job)
        now = timezone.now()
        final = func is None or job.attempts >= job.max_attempts
        Job.objects.filter(pk=job.pk, claimed_by=job.claimed_by).update(
            status=Job.Status.FAILED if final else Job.Status.QUEUED,
            run_at=now if final else now + retry_delay(job.attempts),
            finished_at=now if final else None,
            claimed_by="",
            claimed_at=None,
            last_error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:10000],
        )
        return False
    Job.objects.filter(pk=job.pk, claimed_by=job.claimed_by).update(
        status=Job.Status.DONE, finished_at=timezone.now(), last_error=""
    )
    return True


def work(worker: str, *, max_jobs: int | None = None) -> int:
    """Claim and run due jobs until none is due (or ``max_jobs`` ran). Returns how many ran."""
    ran = 0
    while max_jobs is None or ran < max_jobs:
        job = claim(worker)
        if job is None:
            break
        run(job)
        ran += 1
    return ran
