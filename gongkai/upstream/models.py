"""Upstream platforms, the outbox of changes to push to them, and every attempt with its answer.

Every change that matters upstream (a new record or version, a withdrawal, the end of publicity, a repair)
writes one `OutboxItem` per enabled upstream in the transaction of the change: a change that rolls back
leaves no item, and a committed one is never lost. The worker sends them in batches; the upstream applies
each idempotency key at most once, so a re-sent item is harmless (docs/upstream-protocol.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UpstreamQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(is_enabled=True)


class Upstream(models.Model):
    """One platform the district pushes to: 信用淄博, 信用山东, 信用中国, 市政府门户网站 (STATUTES §3.6)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    endpoint = models.URLField(_("接口地址"), blank=True, help_text=_("如 https://…/api；请求发往 {地址}/batches。"))
    token = models.CharField(_("访问令牌"), max_length=200, blank=True)
    mapping_version = models.CharField(_("字段映射版本"), max_length=40, default="2021-xk-cf-v1")
    batch_size = models.PositiveIntegerField(_("每批条数"), default=500)
    timeout_seconds = models.FloatField(_("超时（秒）"), default=10.0)
    max_attempts = models.PositiveIntegerField(_("最多尝试次数"), default=20)
    ack_within_hours = models.PositiveIntegerField(
        _("应在几小时内确认"), default=24, help_text=_("超过这个时间仍未确认接收的记录列入对账清单。")
    )
    is_enabled = models.BooleanField(_("启用"), default=False)

    objects = UpstreamQuerySet.as_manager()

    class Meta:
        verbose_name = _("上级平台")
        verbose_name_plural = _("上级平台")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


def idempotency_key(record_type: str, record_id: int, version: int, action: str) -> str:
    """``gongkai:<type>:<record id>:<version>:<action>`` (docs/upstream-protocol.md)."""
    return f"gongkai:{record_type}:{record_id}:{version}:{action}"


class Action(models.TextChoices):
    UPSERT = "upsert", _("新增或更新")
    WITHDRAW = "withdraw", _("撤销")
    END_PUBLICITY = "end_publicity", _("公示期满")
    REPAIR = "repair", _("信用修复")


class OutboxItemQuerySet(models.QuerySet):
    def of(self, upstream):
        return self.filter(upstream=upstream)

    def waiting(self):
        return self.filter(status__in=(OutboxItem.Status.PENDING, OutboxItem.Status.SENDING))

    def about(self, record_type: str, record_id: int):
        return self.filter(record_type=record_type, record_id=record_id)


class OutboxItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        DELIVERED = "delivered", _("已确认")
        REJECTED = "rejected", _("被拒收")
        FAILED = "failed", _("发送失败")

    # No database constraint and no index of its own: a deferred foreign-key check per row cost the import's
    # transaction 0.7 s at commit for 80,000 items on PostgreSQL, and `outbox_due` leads with the upstream. An
    # upstream is a configuration row the application never deletes while it has items (PROTECT, in Django).
    upstream = models.ForeignKey(
        Upstream, verbose_name=_("上级平台"), on_delete=models.PROTECT, related_name="items", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    record_type = models.CharField(_("类型"), max_length=10)
    record_id = models.BigIntegerField(_("记录"))
    version = models.PositiveIntegerField(_("版本"))
    action = models.CharField(_("变更"), max_length=20, choices=Action.choices)
    # The record's fields as they were in this version. Null for a change of a credit record: the fields are read
    # when the item is sent, from the record while this is its version, else from the `RecordVersion` that kept
    # it (`services.fill_payloads`) — so the business transaction writes no copy of every record. The row holds
    # what identifies the change and its delivery, nothing more: it is written once per record and upstream in
    # the import's transaction (issue 7: the outbox may cost at most half the transaction again).
    payload = models.JSONField(_("报送内容"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"))
    claimed_by = models.CharField(_("发送者"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    receipt = models.CharField(_("回执"), max_length=200, blank=True)
    acceptances = models.PositiveIntegerField(_("被接收次数"), default=0)  # more than 1: applied twice upstream
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"))
    delivered_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = OutboxItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("待报送变更")
        verbose_name_plural = _("待报送变更")
        ordering = ["id"]
        constraints = [
            # One item per change and upstream: the idempotency key is made of these fields (`outbox`), so this is
            # its uniqueness too; led by the record, the same index finds a record's items (its history, and
            # reconciliation's "never queued"). One index fewer to write in the business transaction.
            models.UniqueConstraint(
                fields=["record_type", "record_id", "version", "action", "upstream"], name="one_outbox_item_per_change"
            ),
        ]
        indexes = [models.Index(fields=["upstream", "status", "next_attempt_at", "id"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.upstream_id}:{self.idempotency_key} ({self.status})"

    @property
    def idempotency_key(self) -> str:
        """The same on every re-send of this change: the upstream applies it at most once."""
        return idempotency_key(self.record_type, self.record_id, self.version, self.action)


class Attempt(models.Model):
    """One batch sent to an upstream, and its answer, whatever it was."""

    upstream = models.ForeignKey(Upstream, verbose_name=_("上级平台"), on_delete=models.PROTECT, related_name="+")
    batch_id = models.CharField(_("批次"), max_length=40)
    worker = models.CharField(_("发送者"), max_length=100)
    started_at = models.DateTimeField(_("发送时间"))
    duration_ms = models.PositiveIntegerField(_("用时（毫秒）"))
    http_status = models.PositiveSmallIntegerField(_("HTTP状态"), null=True, blank=True)
    failure = models.CharField(_("失败类型"), max_length=10, blank=True)  # "", "transient", "permanent"
    error = models.TextField(_("错误"), blank=True)
    body = models.TextField(_("应答内容（节选）"), blank=True)
    records = models.PositiveIntegerField(_("条数"))
    delivered = models.PositiveIntegerField(_("确认条数"), default=0)

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["upstream", "started_at"], name="attempt_by_upstream")]

    def __str__(self) -> str:
        return f"{self.upstream_id} {self.batch_id}"


class AttemptItem(models.Model):
    """What one attempt did for one outbox item: the per-record delivery history."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("已接收")
        DUPLICATE = "duplicate", _("此前已接收")
        REJECTED = "rejected", _("拒收")
        UNANSWERED = "unanswered", _("未应答")
        FAILED = "failed", _("发送失败")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(OutboxItem, on_delete=models.CASCADE, related_name="attempts_made")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    receipt = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.outcome}"
