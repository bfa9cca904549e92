"""双公示 records: 行政许可 (`Licence`) and 行政处罚 (`Penalty`), each version kept, and the submissions they came in.

A record is identified by its authority's USCC and its decision number (决定文书号): a later submission of the same
pair updates the record and adds a `RecordVersion`. Every field of the standard is kept in ``data`` (field code →
text, as checked and normalised by `gongkai.credit.rows`); the columns beside it are the ones lists, search,
timeliness and publication need. Rows are written only by `gongkai.credit.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    LICENCE = "licence", _("行政许可")
    PENALTY = "penalty", _("行政处罚")


class Submission(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("全部接收")
        PARTIAL = "partial", _("部分接收")
        REJECTED = "rejected", _("退回")
        DRY_RUN = "dry_run", _("仅检查")

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="credit_submissions"
    )
    record_type = models.CharField(_("类型"), max_length=10, choices=RecordType.choices, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    channel = models.CharField(_("报送方式"), max_length=20, default="command")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    accepted = models.PositiveIntegerField(_("接收"), default=0)
    rejected = models.PositiveIntegerField(_("退回"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)  # the first errors, as the report shows them

    class Meta:
        verbose_name = _("双公示报送")
        verbose_name_plural = _("双公示报送")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.file_name} {self.submitted_at:%Y-%m-%d %H:%M}"


class CreditRecord(models.Model):
    authority_uscc = models.CharField(_("决定机关统一社会信用代码"), max_length=18)
    decision_number = models.CharField(_("决定文书号"), max_length=128)
    subject_name = models.CharField(_("行政相对人名称"), max_length=200)
    name_norm = models.CharField(max_length=200, editable=False)  # normalize_text(subject_name), for search
    subject_kind = models.CharField(_("行政相对人类别"), max_length=20)
    subject_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    decision_date = models.DateField(_("决定日期"))
    status = models.CharField(_("当前状态"), max_length=10)
    data = models.JSONField(_("全部字段"))
    source = models.ForeignKey(
        "orgs.Organization", verbose_name=_("数据来源单位"), on_delete=models.PROTECT, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("最近一次报送"), on_delete=models.PROTECT, related_name="+"
    )
    publicity_due = models.DateField(_("公示期限"), help_text=_("决定之日起7个工作日（国办发〔2015〕51号）。"))
    is_public = models.BooleanField(_("公示中"), default=False)
    first_published_at = models.DateTimeField(_("首次公示时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.decision_number} {self.subject_name}"


class CreditRecordQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def of(self, organization):
        return self.filter(source=organization)


class Licence(CreditRecord):
    category = models.CharField(_("许可类别"), max_length=20)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        constraints = [
            models.UniqueConstraint(fields=["authority_uscc", "decision_number"], name="one_licence_per_decision")
        ]
        indexes = [models.Index(fields=["is_public", "-decision_date", "-id"], name="licence_public_list")]


class Penalty(CreditRecord):
    categories = models.CharField(_("处罚类别"), max_length=200)  # labels joined by 、
    fine = models.DecimalField(_("罚款金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True)
    confiscated = models.DecimalField(
        _("没收违法所得、没收非法财物的金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True
    )

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政处罚")
        verbose_name_plural = _("行政处罚")
        constraints = [
            models.UniqueConstraint(fields=["authority_uscc", "decision_number"], name="one_penalty_per_decision")
        ]
        indexes = [models.Index(fields=["is_public", "-decision_date", "-id"], name="penalty_public_list")]


class RecordVersion(models.Model):
    """Every version of a record, with the submission it came in (a record's history)."""

    record_type = models.CharField(max_length=10, choices=RecordType.choices)
    record_id = models.BigIntegerField()
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("记录版本")
        verbose_name_plural = _("记录版本")
        indexes = [models.Index(fields=["record_type", "record_id"], name="credit_version_record")]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} {self.created_at:%Y-%m-%d}"


class CreditSettings(models.Model):
    """An organisation's rules for publishing its 双公示 records."""

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="credit_settings"
    )
    hold_for_review = models.BooleanField(
        _("报送后先由信用管理员审核再公示"), default=False, help_text=_("不勾选则报送接收后即公示。")
    )
    publish_warnings = models.BooleanField(
        _("公示仅给予警告的行政处罚"), default=False, help_text=_("市场监管领域仅警告的处罚不予公示（2021年规定）。")
    )

    class Meta:
        verbose_name = _("双公示设置")
        verbose_name_plural = _("双公示设置")

    def __str__(self) -> str:
        return str(self.organization)

    @classmethod
    def of(cls, organization) -> CreditSettings:
        return cls.objects.filter(organization=organization).first() or cls(organization=organization)


class SubmissionToken(models.Model):
    """An organisation's key for submitting 双公示 data from its own system (POST /api/v1/credit/submissions/)."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("报送单位"), on_delete=models.CASCADE, related_name="credit_tokens"
    )
    name = models.CharField(_("用途"), max_length=100, help_text=_("如“市场监管局业务系统”。"))
    key = models.CharField(_("密钥"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked = models.BooleanField(_("已停用"), default=False)

    class Meta:
        verbose_name = _("报送密钥")
        verbose_name_plural = _("报送密钥")

    def __str__(self) -> str:
        return f"{self.organization} · {self.name}"

    def save(self, *args, **kwargs):
        if not self.key:
            import secrets

            self.key = secrets.token_hex(32)
        super().save(*args, **kwargs)
