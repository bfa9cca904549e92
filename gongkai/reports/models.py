"""The annual report of one organisation for one year, and each organisation's internal deadline for it."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import OrganizationKind


class AnnualReportQuerySet(models.QuerySet):
    def of(self, organization):
        return self.filter(organization=organization)

    def for_year(self, organization, year: int):
        return self.filter(organization=organization, year=year).first()


class AnnualReport(models.Model):
    """政府信息公开工作年度报告 (条例第四十九、五十条; 国办公开办函〔2021〕30号).

    A report made here is counted from the system's data (`figures.count`), edited as a draft, signed off by
    the office head and published in the 政府信息公开年报 column. A report imported from a published file
    (an older year, the 2019 format, or text before 2019) is kept as it was read, for comparisons and for
    the next year's 上年结转.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SIGNED_OFF = "signed_off", _("已签发")
        PUBLISHED = "published", _("已发布")

    class Source(models.TextChoices):
        SYSTEM = "system", _("系统生成")
        IMPORTED = "imported", _("导入")

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    format = models.CharField(_("格式"), max_length=10, default="2021")  # layout.FORMAT_2021, "2019", "text"
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    # The figures in `layout`'s shape; hand-entered cells (行政强制, 行政事业性收费) survive a recount.
    figures = models.JSONField(_("统计数据"), default=dict)
    # 一、总体情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项: plain text, paragraphs by blank lines.
    narrative = models.JSONField(_("文字部分"), default=dict)
    processing_fees = models.DecimalField(
        _("本年收取信息处理费（元）"), max_digits=12, decimal_places=2, default=0,
    )  # fmt: skip
    text = models.TextField(_("全文"), blank=True)  # an imported report's text (before 2019: the whole report)
    counted_at = models.DateTimeField(_("统计时间"), null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("编制人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    publication = models.OneToOneField(
        "catalog.Publication", verbose_name=_("发布的信息"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="annual_report",
    )  # fmt: skip
    original = models.FileField(_("导入的原文件"), upload_to="reports/%Y/", blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["organization", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_report_per_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.source == self.Source.SYSTEM and self.status == self.Status.DRAFT


class ReportSettings(models.Model):
    """An organisation's own deadline for last year's report, earlier than the statutory one (STATUTES §2.1
    [D]: configurable; 31 January is only the latest date), and how early the office head is reminded."""

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="report_settings"
    )
    deadline_month = models.PositiveSmallIntegerField(_("内部期限（月）"), default=1)
    deadline_day = models.PositiveSmallIntegerField(_("内部期限（日）"), default=20)
    remind_days_before = models.PositiveSmallIntegerField(_("提前几天提醒"), default=10)

    class Meta:
        verbose_name = _("年度报告期限")
        verbose_name_plural = _("年度报告期限")

    def __str__(self) -> str:
        return f"{self.organization}: {self.deadline_month}-{self.deadline_day}"

    def clean(self) -> None:
        try:
            datetime.date(2001, self.deadline_month, self.deadline_day)  # a day every year has (not 29 February)
        except ValueError:
            raise ValidationError({"deadline_day": _("不是每年都有的日期。 Not a day every year has.")}) from None

    def internal_deadline(self, year: int) -> datetime.date:
        """The day by which the report on ``year`` is to be published (in ``year`` + 1)."""
        return datetime.date(year + 1, self.deadline_month, self.deadline_day)


class ReportReminder(models.Model):
    """A reminder sent to the office heads about an unpublished report: once per organisation, year and kind."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已过内部期限")
        STATUTORY = "statutory", _("已过法定期限")

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("提醒类型"), max_length=12, choices=Kind.choices)
    recipients = models.TextField(_("收件人"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度报告提醒")
        verbose_name_plural = _("年度报告提醒")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "kind"], name="one_report_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.kind}"


class RollUp(models.Model):
    """Which organisations' figures a government's annual report adds up (条例第四十九条: the 区政府's report covers
    the government as a whole, 国办公开办函〔2021〕30号's tables being the sum of its parts).

    A government with no row here, or a row with no members, adds up the default: every active department, street
    office and town of the installation (`rollup.membership`). ``include_own``: the government's own figures (its
    office's applications, documents, decisions) are one of the parts.

    A department's row lists its affiliated institutions (所属事业单位) whose figures its report covers, as the
    reference bureau's report does; without a row a department's report is its own figures alone.
    """

    government = models.OneToOneField(
        "orgs.Organization", verbose_name=_("报告机关"), on_delete=models.CASCADE, related_name="roll_up",
        limit_choices_to={"kind__in": [OrganizationKind.GOVERNMENT, OrganizationKind.DEPARTMENT]},
        help_text=_("区政府，或其年度报告涵盖所属事业单位的区政府部门。"),
    )  # fmt: skip
    include_own = models.BooleanField(
        _("包括本级政府自身的数据"), default=True, help_text=_("政府办公室自身收到的申请、制发的文件等计入汇总。")
    )
    members = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("汇总的机关"), blank=True, related_name="rolled_up_into",
        help_text=_("区政府不选择任何机关时，汇总全部启用的区政府部门、街道办事处和镇人民政府；区政府部门只能选择其所属事业单位。"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("年度报告汇总范围")
        verbose_name_plural = _("年度报告汇总范围")

    def __str__(self) -> str:
        return str(self.government)
