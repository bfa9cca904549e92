"""Sending the outbox, and reconciling what was sent with what the upstreams acknowledged.

`push(worker)` claims one batch per enabled upstream, sends it through the one outbound chokepoint
(`gongkai.upstream.http.send_batch`) outside any transaction, then records the attempt and what it did for
each item in one transaction. A worker killed between the claim and the record leaves its items claimed;
once the lease has passed, another worker claims them again and sends them with the same idempotency keys,
and the upstream answers ``duplicate`` for what it had applied: delivered once, acknowledged again.

Claims: on PostgreSQL the candidate rows are locked with SKIP LOCKED, so concurrent workers take different
rows without waiting; on SQLite every transaction begins IMMEDIATE (see settings), so claims queue. In
both the conditional update is the final word.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from gongkai import audit
from gongkai.credit.models import RECORD_MODELS, RecordVersion
from gongkai.credit.standard import STANDARDS
from gongkai.upstream import http, mapping, outbox
from gongkai.upstream.models import Attempt, AttemptItem, OutboxItem, Upstream

Status = OutboxItem.Status


def lease() -> timedelta:
    """A batch claimed longer ago than this is taken to belong to a dead worker (setting, default 5 minutes)."""
    return timedelta(seconds=settings.GONGKAI_UPSTREAM_LEASE_SECONDS)


# --- sending -------------------------------------------------------------------------------------------


def claim(upstream: Upstream, worker: str, *, now: datetime | None = None) -> list[OutboxItem]:
    """Take up to a batch of due items of ``upstream`` for ``worker``: first those claimed by a dead worker, then the
    pending ones in the order they fell due.

    Two look-ups, each down the outbox_due index and stopping at the batch's size: one query for both, ordered by
    id, sorted the whole backlog first (1.3 s a batch with a million items waiting, found by bench/load).
    """
    now = now or timezone.now()
    abandoned = Q(status=Status.SENDING, claimed_at__lt=now - lease())
    pending = Q(status=Status.PENDING, next_attempt_at__lte=now)
    with transaction.atomic():
        ids: list[int] = []
        for wanted, order in ((abandoned, ("id",)), (pending, ("next_attempt_at", "id"))):
            candidates = OutboxItem.objects.of(upstream).filter(wanted).order_by(*order)
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            ids += candidates.values_list("id", flat=True)[: upstream.batch_size - len(ids)]
        due = abandoned | pending
        if not ids:
            return []
        OutboxItem.objects.filter(pk__in=ids).filter(due).update(
            status=Status.SENDING, claimed_by=worker, claimed_at=now
        )
        return list(OutboxItem.objects.filter(pk__in=ids, status=Status.SENDING, claimed_by=worker, claimed_at=now))


def fill_payloads(items: list[OutboxItem]) -> None:
    """Give the items queued without a copy of the record (`outbox`) the record's fields at their version: the
    record's own while the version is current, else the `RecordVersion` its replacement kept. Two queries per
    record type and batch. Every item also gets ``decision_number`` and ``authority_uscc``, read from those
    fields (the field standard names them), for the batch and for the screens."""
    wanted: dict[str, list[OutboxItem]] = {}
    for item in items:
        if item.payload is None:
            wanted.setdefault(item.record_type, []).append(item)
    for record_type, group in wanted.items():
        ids = {item.record_id for item in group}
        found = {
            (pk, version): data
            for pk, version, data in RECORD_MODELS[record_type]
            .objects.filter(pk__in=ids)
            .values_list("pk", "version", "data")
        }
        if any((item.record_id, item.version) not in found for item in group):
            older = RecordVersion.objects.filter(record_type=record_type, record_id__in=ids)
            found.update(
                ((pk, version), data) for pk, version, data in older.values_list("record_id", "version", "data")
            )
        for item in group:
            item.payload = found.get((item.record_id, item.version), {})
    for item in items:
        standard = STANDARDS[item.record_type]
        item.decision_number = str(item.payload.get(standard.decision_number_field(), ""))
        item.authority_uscc = str(item.payload.get(standard.authority_code_field(), ""))


def _record_of(item: OutboxItem, mapped: dict) -> dict:
    return {
        "idempotency_key": item.idempotency_key,
        "kind": item.record_type,
        "action": item.action,
        "decision_number": item.decision_number,
        "authority_uscc": item.authority_uscc,
        "version": item.version,
        "data": mapped,
    }


@dataclass(frozen=True)
class Pushed:
    upstream: str
    sent: int
    delivered: int
    failure: str


def send(upstream: Upstream, items: list[OutboxItem], *, worker: str) -> Pushed:
    """Send claimed items as one batch and record the answer. The network call holds no transaction."""
    batch_id = uuid.uuid4().hex
    started = timezone.now()
    fill_payloads(items)
    try:
        records = [_record_of(item, mapping.apply(upstream.mapping_version, item.payload)) for item in items]
    except mapping.UnknownMapping as error:
        outcome = http.BatchOutcome(None, "permanent", str(error), "", {}, (), 0)
    else:
        endpoint = http.Endpoint(url=upstream.endpoint, token=upstream.token, timeout=upstream.timeout_seconds)
        outcome = http.send_batch(
            endpoint, batch_id=batch_id, mapping_version=upstream.mapping_version, records=records
        )
    delivered = _record_outcome(upstream, items, outcome, batch_id=batch_id, worker=worker, started=started)
    return Pushed(upstream.code, len(items), delivered, outcome.failure)


@transaction.atomic
def _record_outcome(upstream, items, outcome: http.BatchOutcome, *, batch_id, worker, started) -> int:
    now = timezone.now()
    attempt = Attempt.objects.create(
        upstream=upstream,
        batch_id=batch_id,
        worker=worker,
        started_at=started,
        duration_ms=outcome.duration_ms,
        http_status=outcome.http_status,
        failure=outcome.failure,
        error=_attempt_error(outcome),
        body=outcome.body,
        records=len(items),
    )
    # Re-read under lock what the items are now: a late answer must not undo another worker's result.
    current = (
        OutboxItem.objects.select_for_update()
        .filter(pk__in=[item.pk for item in items])
        .values_list("pk", "status", "attempts")
    )
    keys = {item.pk: item.idempotency_key for item in items}
    delivered, rejected, retried, history = [], [], [], []
    for pk, status, attempts in current:
        result = outcome.results.get(keys[pk])
        if result is not None and result.status in ("accepted", "duplicate"):
            receipt = result.receipt[:200]
            if status != Status.DELIVERED:
                delivered.append((receipt, result.status == "accepted", pk))
            elif result.status == "accepted":  # applied a second time upstream: reconciliation lists it
                delivered.append((None, True, pk))
            history.append((pk, result.status, receipt, ""))
        elif status == Status.DELIVERED:
            history.append((pk, AttemptItem.Outcome.UNANSWERED, "", ""))  # delivered meanwhile; nothing to undo
        elif result is not None:  # rejected: the upstream will never take it as it is
            rejected.append((result.error, pk))
            history.append((pk, AttemptItem.Outcome.REJECTED, "", result.error))
        else:
            retried.append(_retry(pk, attempts + 1, upstream, outcome, now))
            failed = AttemptItem.Outcome.FAILED if outcome.failure else AttemptItem.Outcome.UNANSWERED
            history.append((pk, failed, "", retried[-1][2]))
    _write(attempt, now, delivered=delivered, rejected=rejected, retried=retried, history=history)
    attempt.delivered = sum(1 for receipt, _, _ in delivered if receipt is not None)
    attempt.save(update_fields=["delivered"])
    return attempt.delivered


def _retry(pk: int, attempts: int, upstream: Upstream, outcome: http.BatchOutcome, now: datetime) -> tuple:
    """Not delivered by this attempt: retried later with backoff, or stopped (a permanent error, or too many tries).

    Returns the row for `_write`: (status, attempts, error, next attempt, pk).
    """
    error = outcome.error or "应答中没有这条记录 / the answer did not include this record"
    if outcome.failure == "permanent" or attempts >= upstream.max_attempts:
        return Status.FAILED, attempts, error, now, pk
    delay = http.backoff_delay(
        attempts, base=settings.GONGKAI_UPSTREAM_RETRY_BASE_SECONDS, cap=settings.GONGKAI_UPSTREAM_RETRY_CAP_SECONDS
    )
    return Status.PENDING, attempts, error, now + timedelta(seconds=delay), pk


def _write(attempt: Attempt, now: datetime, *, delivered, rejected, retried, history) -> None:
    """The attempt's effect on its items, one executemany per kind: a batch of 500 costs a few statements."""
    table = OutboxItem._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    released = "claimed_by = '', claimed_at = NULL"
    first_time = [
        (receipt, int(accepted), adapt(now), pk) for receipt, accepted, pk in delivered if receipt is not None
    ]
    again = [(pk,) for receipt, _, pk in delivered if receipt is None]
    with connection.cursor() as cursor:
        if first_time:
            cursor.executemany(
                f"UPDATE {table} SET status = '{Status.DELIVERED}', receipt = %s, acceptances = acceptances + %s, "
                f"delivered_at = %s, error = '', {released} WHERE id = %s",
                first_time,
            )
        if again:
            cursor.executemany(f"UPDATE {table} SET acceptances = acceptances + 1 WHERE id = %s", again)
        if rejected:
            cursor.executemany(
                f"UPDATE {table} SET status = '{Status.REJECTED}', error = %s, {released} WHERE id = %s", rejected
            )
        if retried:
            cursor.executemany(
                f"UPDATE {table} SET status = %s, attempts = %s, error = %s, next_attempt_at = %s, {released} "
                "WHERE id = %s",
                [(status, attempts, error, adapt(when), pk) for status, attempts, error, when, pk in retried],
            )
        cursor.executemany(
            f"INSERT INTO {AttemptItem._meta.db_table} (attempt_id, item_id, outcome, receipt, error) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(attempt.pk, pk, outcome, receipt, error) for pk, outcome, receipt, error in history],
        )


def _attempt_error(outcome: http.BatchOutcome) -> str:
    error = outcome.error
    if outcome.unknown_keys:
        unknown = ", ".join(outcome.unknown_keys[:20])
        error += f"\n应答中有未发送的记录（已忽略） / keys in the answer that were not sent (ignored): {unknown}"
    return error[:10000]


def push(worker: str, *, upstreams=None) -> list[Pushed]:
    """Send one batch to each enabled upstream that has items due. Returns what was sent."""
    done = []
    for upstream in upstreams if upstreams is not None else Upstream.objects.enabled():
        items = claim(upstream, worker)
        if items:
            done.append(send(upstream, items, worker=worker))
    return done


def drain(worker: str, *, upstreams=None, rounds: int | None = None) -> int:
    """Push until nothing is due (or ``rounds`` batches per upstream). Returns how many items were delivered."""
    delivered, done = 0, 0
    while rounds is None or done < rounds:
        pushed = push(worker, upstreams=upstreams)
        if not pushed:
            break
        delivered += sum(p.delivered for p in pushed)
        done += 1
    return delivered


# --- status and reconciliation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UpstreamStatus:
    upstream: Upstream
    waiting: int
    oldest_waiting: datetime | None
    failed_attempts_last_day: int
    stopped: int  # rejected or failed: waiting for a person


def statuses(now: datetime | None = None) -> list[UpstreamStatus]:
    now = now or timezone.now()
    result = []
    for upstream in Upstream.objects.all():
        waiting = OutboxItem.objects.of(upstream).waiting().aggregate(n=Count("id"), oldest=Min("created_at"))
        result.append(
            UpstreamStatus(
                upstream=upstream,
                waiting=waiting["n"],
                oldest_waiting=waiting["oldest"],
                failed_attempts_last_day=Attempt.objects.filter(
                    upstream=upstream, started_at__gte=now - timedelta(days=1)
                )
                .exclude(failure="")
                .count(),
                stopped=OutboxItem.objects.of(upstream).filter(status__in=(Status.REJECTED, Status.FAILED)).count(),
            )
        )
    return result


class Problem:
    NOT_QUEUED = "not_queued"  # a public record: no item for its current version (see `unqueued`)
    NOT_ACKNOWLEDGED = "not_acknowledged"
    ACCEPTED_TWICE = "accepted_twice"
    REJECTED = "rejected"
    FAILED = "failed"


def problems(upstream: Upstream, *, now: datetime | None = None):
    """The items to look at for one upstream, each with its problem, oldest first.

    Not acknowledged after the upstream's ``ack_within_hours``; accepted twice (the upstream applied one
    change twice: it did not honour the idempotency key); rejected; failed (stopped after too many tries or
    a permanent error).
    """
    now = now or timezone.now()
    late = now - timedelta(hours=upstream.ack_within_hours)
    items = OutboxItem.objects.of(upstream)
    found = [
        *((item, Problem.NOT_ACKNOWLEDGED) for item in items.waiting().filter(created_at__lt=late)),
        *((item, Problem.ACCEPTED_TWICE) for item in items.filter(acceptances__gt=1)),
        *((item, Problem.REJECTED) for item in items.filter(status=Status.REJECTED)),
        *((item, Problem.FAILED) for item in items.filter(status=Status.FAILED)),
    ]
    return sorted(found, key=lambda pair: (pair[0].created_at, pair[0].pk))


@transaction.atomic
def resend(items, *, by) -> int:
    """Send these items again (rejected, failed or late ones), with the same idempotency keys."""
    ids = [item.pk for item in items]
    count = (
        OutboxItem.objects.filter(pk__in=ids)
        .exclude(status=Status.DELIVERED)
        .update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by="", claimed_at=None)
    )
    audit.record(by, "upstream.resent", None, summary=f"{count}", items=ids[:1000])
    return count


def unqueued(upstream: Upstream) -> dict:
    """Per record model, the public records with no item for their current version for ``upstream``: their
    change happened while the upstream was off (or before it was added). The upstream has never heard of them,
    so they are late from the start; `queue_unqueued` queues them."""
    found = {}
    for model in RECORD_MODELS.values():
        sent = OutboxItem.objects.of(upstream).filter(
            record_type=model._meta.model_name, record_id=OuterRef("pk"), version=OuterRef("version")
        )
        found[model] = model.objects.public().filter(~Exists(sent)).order_by("id")
    return found


@transaction.atomic
def queue_unqueued(upstream: Upstream, *, by) -> int:
    """Queue every public record `unqueued` finds for ``upstream`` (an enabled one), as its current version."""
    if not upstream.is_enabled:
        raise ValueError(f"{upstream.code} is not enabled")
    count = sum(
        outbox.records_changed(model, "t.is_public", [], upstream=upstream, queued_before=True)
        for model in RECORD_MODELS.values()
    )
    audit.record(by, "upstream.queued_unsent", None, summary=f"{upstream.name}：{count}", upstream=upstream.code)
    return count
