"""Writing changes into the outbox, in the caller's transaction (the transaction of the change itself).

`record_changed` is for one record (the end of its publicity, a repair); `records_changed` is the set-based
form the import uses for a whole chunk: one ``INSERT … SELECT`` per chunk, whatever the number of upstreams.
Both write one item per enabled upstream, keyed ``gongkai:<type>:<record id>:<version>:<action>``: one item
per change and upstream (a unique index). Neither copies the record's fields: the sender reads them for the
version (`gongkai.upstream.services.fill_payloads`), which keeps the outbox's cost in the import's transaction
low.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from gongkai.upstream.models import Action, OutboxItem, Upstream, idempotency_key

__all__ = ["idempotency_key", "record_changed", "records_changed"]


def _record_type(record) -> str:
    return record._meta.model_name  # "licence" or "penalty" (credit.models.RecordType values)


def record_changed(record, *, action: str) -> int:
    """Queue one change of one record (a credit record: Licence or Penalty) for every enabled upstream."""
    now = timezone.now()
    record_type = _record_type(record)
    items = [
        OutboxItem(
            upstream=upstream,
            record_type=record_type,
            record_id=record.pk,
            version=record.version,
            action=action,
            payload=None,  # read when sent (`services.fill_payloads`)
            next_attempt_at=now,
            created_at=now,
        )
        for upstream in Upstream.objects.enabled()
    ]
    return len(OutboxItem.objects.bulk_create(items, ignore_conflicts=True))


def records_changed(model, where: str, params: list, *, upstream=None, queued_before: bool = False) -> int:
    """Queue the changes of the records of ``model`` that ``where`` selects (SQL over the alias ``t``), for
    every enabled upstream or only ``upstream``. Returns how many items were queued.

    The import and the release queue versions their transaction has just written, which no item can name yet:
    a plain insert. ``queued_before`` is for a selection that may include changes already queued (queuing
    what an upstream never received): those are skipped.

    A public record is pushed as a new version (``upsert``); one that was public once and no longer is (a
    status of 撤销/无效, a warning-only penalty) as a withdrawal; one never public (a held submission) not at
    all — its release pushes it.
    """
    record_type = model._meta.model_name
    table = model._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    action = f"CASE WHEN t.is_public THEN '{Action.UPSERT}' ELSE '{Action.WITHDRAW}' END"
    only = "" if upstream is None else f"AND u.id = {int(upstream.pk)} "
    skip = " ON CONFLICT (record_type, record_id, version, action, upstream_id) DO NOTHING" if queued_before else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OutboxItem._meta.db_table} (upstream_id, record_type, record_id, version, action, "
            "payload, status, attempts, next_attempt_at, claimed_by, receipt, acceptances, error, created_at) "
            f"SELECT u.id, %s, t.id, t.version, {action}, NULL, '{OutboxItem.Status.PENDING}', 0, %s, '', '', 0, "
            f"'', %s FROM {table} t CROSS JOIN {Upstream._meta.db_table} u "
            f"WHERE u.is_enabled {only}AND (t.is_public OR t.first_published_at IS NOT NULL) AND ({where}){skip}",
            [record_type, now, now, *params],
        )
        return cursor.rowcount
