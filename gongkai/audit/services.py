from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from gongkai.audit.models import GENESIS_HASH, AuditEvent, ChainHead

SYSTEM_ACTOR_LABEL = "系统"


def _actor_label(actor) -> str:
    if actor is None:
        return SYSTEM_ACTOR_LABEL
    name = getattr(actor, "display_name", "") or ""
    username = actor.get_username()
    return f"{name} ({username})" if name else username


def _organization_of(actor, obj):
    from gongkai.orgs.models import Organization

    if isinstance(obj, Organization):
        return obj
    organization = getattr(obj, "organization", None) if obj is not None else None
    if isinstance(organization, Organization):
        return organization
    return getattr(actor, "organization", None)


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    organization=None,
    summary: str = "",
    **data,
) -> AuditEvent:
    """Append one event to the audit log, in the caller's transaction.

    ``actor`` is the acting user, or None for the system (worker, migration, command without a user).
    The organisation defaults to the object's, then the actor's.
    """
    with transaction.atomic():
        # 1. Lock the chain head so that concurrent writers append one after the other.
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        # 2. Build the event on top of the head.
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_label=_actor_label(actor),
            organization=organization or _organization_of(actor, obj),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            summary=summary[:500],
            data=data,
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        # 3. Move the head.
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Recompute every hash in order. The first event whose content, link or position is wrong is named."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(
                False,
                count,
                prev_hash,
                event.seq,
                f"事件 #{expected_seq} 缺失 / event #{expected_seq} is missing (next found: #{event.seq})",
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                False,
                count,
                prev_hash,
                event.seq,
                f"事件 #{event.seq} 与前一事件的链接不符 / event #{event.seq} does not link to the previous event",
            )
        if event.compute_hash() != event.hash:
            return ChainReport(
                False,
                count,
                prev_hash,
                event.seq,
                f"事件 #{event.seq} 的内容已被改动 / the content of event #{event.seq} has been changed",
            )
        prev_hash = event.hash
        expected_seq += 1
        count += 1
    head = ChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (count, prev_hash):
        return ChainReport(
            False,
            count,
            prev_hash,
            count + 1,
            f"链头记录了 {head_seq} 个事件，实际只有 {count} 个：末尾事件被删除 / "
            f"the chain head records {head_seq} events but {count} remain: events were removed from the end",
        )
    return ChainReport(True, count, prev_hash)
