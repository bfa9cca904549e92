"""The audit log: append-only, hash-chained events.

Each event stores the SHA-256 of the previous event's hash and its own content, so changing, removing or
reordering any event breaks the chain from that point on. ``gongkai audit verify`` recomputes it.
"""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""

    def __init__(self) -> None:
        super().__init__(
            "审计日志只能追加，不能修改或删除。 The audit log is append-only: events cannot be changed or deleted."
        )


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError()

    def for_organization(self, organization):
        return self.filter(organization=organization)

    def about(self, obj: models.Model):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # The actor's name at the time of the event: the chain must not depend on a row that can change.
    actor_label = models.CharField(_("操作人名称"), max_length=150)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()

    def canonical_content(self) -> bytes:
        """The bytes the hash covers: every field but the hash itself, in a fixed JSON form."""
        content = {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organization_id": self.organization_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "summary": self.summary,
            # Round-trip through JSON so the hash is the same before saving and after loading.
            "data": json.loads(json.dumps(self.data, cls=DjangoJSONEncoder)),
            "prev_hash": self.prev_hash,
        }
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content()).hexdigest()


class ChainHead(models.Model):
    """One row holding the last sequence number and hash: writers lock it to append in order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
