"""双公示 records: 行政许可 (`Licence`) and 行政处罚 (`Penalty`), each version kept, and the submissions they came in.

A record is identified by its authority's USCC and its decision number (决定文书号): a later submission of the same
pair updates the record and adds a `RecordVersion`. Every field of the standard is kept in ``data`` (field code →
text, as checked and normalised by `gongkai.credit.rows`); the columns beside it are the ones lists, search,
timeliness and publication need. Rows are written only by `gongkai.credit.services`.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.credit import periods, standard


class RecordType(models.TextChoices):
    LICENCE = "licence", _("行政许可")
    PENALTY = "penalty", _("行政处罚")


class Severity(models.TextChoices):
    """失信严重程度 of a penalty (STATUTES §3.5): the submitter gives it, a credit officer may change it."""

    MINOR = standard.MINOR, _("轻微")
    GENERAL = standard.GENERAL, _("一般")
    SERIOUS = standard.SERIOUS, _("严重")


class SubmissionQuerySet(models.QuerySet):
    def of(self, organization):
        return self.filter(organization=organization)

    def awaiting_release(self):
        return self.filter(held=True, released_at__isnull=True, accepted__gt=0)


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
    late = models.JSONField(_("逾期公示的记录"), default=list, blank=True)  # the first ones, as the report shows them
    original = models.FileField(_("原始文件"), upload_to="credit/submissions/%Y/%m/", blank=True, max_length=200)
    held = models.BooleanField(
        _("待信用管理员审核"), default=False, help_text=_("接收的记录在信用管理员审核通过后才公示。")
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    released_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("双公示报送")
        verbose_name_plural = _("双公示报送")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.file_name} {self.submitted_at:%Y-%m-%d %H:%M}"


class CreditRecordQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def shown(self):
        """What the public detail page answers for (a penalty's adds those whose publicity has ended: 410)."""
        return self.public()

    def of(self, organization):
        return self.filter(source=organization)


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
    # 1 for a new record, one more each time a submission replaces it (`bulk`); the replaced versions keep theirs.
    version = models.PositiveIntegerField(_("版本"), default=1, db_default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.decision_number} {self.subject_name}"

    def history(self) -> list[tuple[int, dict]]:
        """Every version of the record, oldest first, as (submission id, fields): the versions it replaced
        (`RecordVersion`), then the current one."""
        record_type = RecordType.LICENCE if isinstance(self, Licence) else RecordType.PENALTY
        earlier = RecordVersion.objects.filter(record_type=record_type, record_id=self.pk).order_by("id")
        return [*earlier.values_list("submission_id", "data"), (self.submission_id, self.data)]


def _record_table(record_type: str) -> tuple[list, list]:
    """The constraint and indexes of a records table (the same for both types, named after the type)."""
    constraints = [
        # Decision number first: the same index finds a decision number alone (the public search).
        models.UniqueConstraint(fields=["decision_number", "authority_uscc"], name=f"one_{record_type}_per_decision")
    ]
    indexes = [
        # The public list, newest first; it also holds the name, so that a scan for a one- or two-character
        # name reads only this index (`gongkai.credit.search`). Partial: SQLite uses an index on a boolean
        # column only when the query's condition is the index's own (Django writes ``WHERE is_public``).
        models.Index(
            fields=["-decision_date", "-id", "name_norm"],
            condition=Q(is_public=True),
            name=f"{record_type}_public_names",
        ),
        models.Index(fields=["subject_uscc"], name=f"{record_type}_subject_uscc"),
    ]
    return constraints, indexes


class Licence(CreditRecord):
    category = models.CharField(_("许可类别"), max_length=20)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))

    class Meta:
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        constraints, indexes = _record_table("licence")


class PenaltyQuerySet(CreditRecordQuerySet):
    def in_publicity(self, *, on):
        """Public and within their 公示截止期 on ``on``."""
        return self.public().filter(Q(publicity_max_until__isnull=True) | Q(publicity_max_until__gte=on))

    def past_publicity(self, *, on):
        """Still public although their 公示截止期 was before ``on``: the daily job takes them down."""
        return self.public().filter(publicity_max_until__lt=on)

    def shown(self):
        """What the public detail page answers for: public records, and those whose publicity has ended (410)."""
        return self.filter(Q(is_public=True) | Q(publicity_ended_at__isnull=False))


class Penalty(CreditRecord):
    class EndReason(models.TextChoices):
        EXPIRED = "expired", _("公示期满")
        REPAIRED = "repaired", _("已信用修复")
        UNPUBLISHED = "unpublished", _("依规定不予公示")  # a credit officer changed the class (2025 轻微)

    class RepairStatus(models.TextChoices):
        NONE = "", _("未修复")
        REPAIRED = "repaired", _("已修复")

    categories = models.CharField(_("处罚类别"), max_length=200)  # labels joined by 、
    fine = models.DecimalField(_("罚款金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True)
    confiscated = models.DecimalField(
        _("没收违法所得、没收非法财物的金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    # Publicity period (STATUTES §3.5), from the decision date, the class and `PublicityRule`: `periods`.
    severity = models.CharField(
        _("失信严重程度"), max_length=10, choices=Severity.choices, default=Severity.GENERAL,
        db_default=Severity.GENERAL,
    )  # fmt: skip
    publicity_min_until = models.DateField(
        _("最短公示期至"), null=True, blank=True, help_text=_("此后可以申请信用修复（如可修复）。")
    )
    publicity_max_until = models.DateField(_("公示截止期"), null=True, blank=True, help_text=_("此后停止公示。"))
    publicity_ended_at = models.DateTimeField(_("停止公示时间"), null=True, blank=True)
    publicity_end_reason = models.CharField(
        _("停止公示原因"), max_length=12, choices=EndReason.choices, blank=True, default="", db_default=""
    )
    repair_status = models.CharField(
        _("信用修复"), max_length=10, choices=RepairStatus.choices, blank=True, default="", db_default=""
    )

    objects = PenaltyQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政处罚")
        verbose_name_plural = _("行政处罚")
        constraints, indexes = _record_table("penalty")


# The records table of each record type.
RECORD_MODELS: dict[str, type[CreditRecord]] = {RecordType.LICENCE: Licence, RecordType.PENALTY: Penalty}


class RecordVersion(models.Model):
    """A version of a record that a later submission replaced, with the submission it came in. The current
    version is the record itself (`CreditRecord.history`)."""

    record_type = models.CharField(max_length=10, choices=RecordType.choices)
    record_id = models.BigIntegerField()
    version = models.PositiveIntegerField(_("版本"), default=1, db_default=1)
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


class FieldRequirement(models.Model):
    """An administrator's change to when a field of the standard must be filled (STATUTES §3.3 marks the
    required flags [R]: configurable). Fields without a row keep the default of `gongkai.credit.standard`."""

    class Rule(models.TextChoices):
        ALWAYS = "always", _("必填")
        OPTIONAL = "optional", _("选填")
        SUBJECTS = "subjects", _("对所列行政相对人类别必填")
        WHEN = "when", _("另一字段为所列值时必填")

    record_type = models.CharField(_("类型"), max_length=10, choices=RecordType.choices)
    field_code = models.CharField(_("字段代码"), max_length=20, help_text=_("如 CF_NR_FK。"))
    rule = models.CharField(_("规则"), max_length=10, choices=Rule.choices)
    subjects = models.CharField(
        _("行政相对人类别"), max_length=100, blank=True, help_text=_("用“、”分隔，如：法人及非法人组织、个体工商户。")
    )
    when_field = models.CharField(_("依据字段代码"), max_length=20, blank=True, help_text=_("如 CF_CFLB。"))
    when_values = models.CharField(_("依据字段的值"), max_length=200, blank=True, help_text=_("用“、”分隔。"))

    class Meta:
        verbose_name = _("字段必填规则")
        verbose_name_plural = _("字段必填规则")
        constraints = [models.UniqueConstraint(fields=["record_type", "field_code"], name="one_rule_per_field")]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} {self.field_code}: {self.get_rule_display()}"

    def clean(self) -> None:
        from gongkai.credit import policy

        policy.check_requirement(self)


class CodeListEntry(models.Model):
    """An entry an administrator adds to a code list, relabels, or retires (STATUTES §3.3: code lists are
    data). The built-in lists of `gongkai.credit.standard` apply where there is no row."""

    code_list = models.CharField(
        _("代码表"),
        max_length=20,
        choices=[
            ("subject_kind", _("行政相对人类别")),
            ("licence_category", _("许可类别")),
            ("penalty_category", _("处罚类别")),
            ("id_type", _("证件类型")),
            ("status", _("当前状态")),
        ],
    )
    code = models.CharField(_("代码"), max_length=10)
    label = models.CharField(_("名称"), max_length=50)
    retired = models.BooleanField(_("停用"), default=False, help_text=_("停用后该代码不再被接收。"))

    class Meta:
        verbose_name = _("代码表条目")
        verbose_name_plural = _("代码表条目")
        ordering = ["code_list", "code"]
        constraints = [models.UniqueConstraint(fields=["code_list", "code"], name="one_entry_per_code")]

    def __str__(self) -> str:
        return f"{self.get_code_list_display()} {self.code} {self.label}"


class PublicityRule(models.Model):
    """How long a penalty of one class is published under one regime, and whether it may be repaired (STATUTES
    §3.5). Seeded from `gongkai.credit.periods.SEED_RULES`; an administrator corrects the figures or adds the rows
    of a new regime here. A penalty's dates are computed when it is imported or its class is changed."""

    regime = models.CharField(_("制度代码"), max_length=20, help_text=_("如 2025。"))
    regime_name = models.CharField(_("依据（名称和文号）"), max_length=300)
    in_force_from = models.DateField(
        _("适用于此日起作出的决定"), null=True, blank=True, help_text=_("不填：更早的决定也适用。")
    )
    in_force_to = models.DateField(
        _("适用于此日及以前作出的决定"), null=True, blank=True, help_text=_("不填：现行有效。")
    )
    severity = models.CharField(_("失信严重程度"), max_length=10, choices=Severity.choices)
    min_months = models.PositiveSmallIntegerField(_("最短公示期（月）"))
    max_months = models.PositiveSmallIntegerField(_("最长公示期（月）"))
    repairable = models.BooleanField(_("可以申请信用修复"), default=True)
    published = models.BooleanField(
        _("予以公示"),
        default=True,
        help_text=_("不勾选：该类行政处罚不在网站公示（如2025年办法的轻微失信，原则上不予公示）。"),
    )

    class Meta:
        verbose_name = _("公示期规则")
        verbose_name_plural = _("公示期规则")
        ordering = ["regime", "severity"]
        constraints = [models.UniqueConstraint(fields=["regime", "severity"], name="one_rule_per_regime_severity")]

    def __str__(self) -> str:
        return f"{self.regime} {self.get_severity_display()}"

    def clean(self) -> None:
        errors = {}
        if self.min_months is not None and self.max_months is not None and self.min_months > self.max_months:
            errors["min_months"] = "最短公示期不能长于最长公示期 / the minimum period cannot exceed the maximum"
        if self.in_force_from and self.in_force_to and self.in_force_from > self.in_force_to:
            errors["in_force_to"] = "适用期间的结束早于开始 / the rule ends before it starts"
        if errors:
            raise ValidationError(errors)

    def as_rule(self) -> periods.Rule:
        return periods.Rule(**{field.name: getattr(self, field.name) for field in dataclasses.fields(periods.Rule)})


# --- 信用修复 -----------------------------------------------------------------------------------------------------


class RepairApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=(RepairApplication.Status.SUBMITTED, RepairApplication.Status.MORE_NEEDED))

    def waiting(self):
        """Waiting for a credit officer."""
        return self.filter(status=RepairApplication.Status.SUBMITTED)


class RepairApplication(models.Model):
    """信用修复申请: the subject of a penalty, or its agent, asks to end its publicity early (STATUTES §3.5).

    Every change goes through `gongkai.credit.repairs`. The applicant follows it on a private page, opened with
    the tracking code and the contact given; the public never sees it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        MORE_NEEDED = "more_needed", _("待补充材料")
        APPROVED = "approved", _("准予修复")
        REJECTED = "rejected", _("不予修复")

    class ApplicantKind(models.TextChoices):
        SUBJECT = "subject", _("本人或本单位")
        AGENT = "agent", _("代理人")

    penalty = models.ForeignKey(
        Penalty, verbose_name=_("行政处罚"), on_delete=models.PROTECT, related_name="repair_applications"
    )
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    applicant_kind = models.CharField(_("申请人身份"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    contact = models.CharField(_("联系电话"), max_length=30)
    note = models.TextField(_("申请说明"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    # A keyed hash of the address it came from (the hourly limit), and the form's one-time key (sent twice: once).
    submitted_from = models.CharField(max_length=64, blank=True, editable=False)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = RepairApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.penalty.decision_number}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.MORE_NEEDED)


class RepairEvent(models.Model):
    """One step of a repair application, as its status page lists them: who said what, and when."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交申请")
        MORE_NEEDED = "more_needed", _("要求补充材料")
        MATERIALS_ADDED = "materials_added", _("补充材料")
        APPROVED = "approved", _("准予修复")
        REJECTED = "rejected", _("不予修复")

    application = models.ForeignKey(RepairApplication, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("说明"), blank=True)  # the officer's reasons or what is needed; the applicant's note
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip  # None: the applicant

    class Meta:
        verbose_name = _("信用修复办理记录")
        verbose_name_plural = _("信用修复办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application.tracking_code} {self.get_kind_display()}"


class RepairFile(models.Model):
    """A file of a repair application: checked from its content (`gongkai.lib.files`), never public."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("信用承诺书")
        EVIDENCE = "evidence", _("已履行行政处罚的证明")
        AUTHORIZATION = "authorization", _("授权委托书")
        MORE = "more", _("补充材料")

    application = models.ForeignKey(RepairApplication, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("材料类型"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="credit/repairs/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用修复材料")
        verbose_name_plural = _("信用修复材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
