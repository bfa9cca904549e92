"""The catalogue (政府信息公开目录): publications, their classification and attachments.

Columns, topics and genres are data: seeded by migrations, editable by administrators.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    DISCLOSURE = "disclosure", _("政府信息公开")
    CREDIT = "credit", _("信用网站")


class ColumnQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def roots(self, section: str):
        return self.active().filter(section=section, parent__isnull=True)


class Column(models.Model):
    """A column (栏目) of the site. One tree for every organisation: 统一名称、统一格式 (国办公开办函〔2019〕61号)."""

    section = models.CharField(_("所属网站"), max_length=20, choices=Section.choices, default=Section.DISCLOSURE)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级栏目"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField(_("代码"), max_length=60, unique=True, help_text=_("稳定的英文代码，用于网址和订阅。"))
    name = models.CharField(_("名称"), max_length=60)
    column_type = models.CharField(
        _("栏目类型"), max_length=30, blank=True, help_text=_("ColumnType 标签的值，如 信息公开指南、政策文件。")
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ColumnQuerySet.as_manager()

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["section", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def descendant_ids(self) -> list[int]:
        """This column and every column below it (trees here are two or three levels deep)."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Column.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Topic(models.Model):
    """主题分类."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Genre(models.Model):
    """体裁分类. ``report_category`` says which row of annual-report table 二 counts it.

    ``needs_interpretation`` marks the policy documents (政策文件) that call for a 政策解读 (国办发〔2016〕80号:
    政策性文件与解读材料同步组织、同步审签、同步部署). Seeded for 规章 and 行政规范性文件; an administrator may
    tick others (规划, say). The office head's list of policy documents not yet interpreted reads this flag.
    """

    class ReportCategory(models.TextChoices):
        NONE = "", _("不单列")
        REGULATION = "regulation", _("规章")
        NORMATIVE = "normative", _("行政规范性文件")

    name = models.CharField(_("名称"), max_length=60, unique=True)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    report_category = models.CharField(
        _("年报统计类别"), max_length=20, choices=ReportCategory.choices, blank=True, default=ReportCategory.NONE
    )
    needs_interpretation = models.BooleanField(
        _("须解读的政策文件"),
        default=False,
        help_text=_("勾选后，这一体裁的文件发布后须有政策解读，未解读的列入“尚未解读的政策文件”。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("体裁分类")
        verbose_name_plural = _("体裁分类")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class IndexNumberScope(models.TextChoices):
    ORGANIZATION_YEAR = "organization_year", _("本机关每年重新编号")
    ORGANIZATION = "organization", _("本机关连续编号")
    SITE = "site", _("全站连续编号")


class IndexNumberPolicy(models.Model):
    """How an organisation's index numbers (索引号) are formed: ``<USCC>/<year>-<serial>`` (STATUTES §4.4)."""

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="index_number_policy"
    )
    serial_width = models.PositiveSmallIntegerField(_("序号位数"), default=5)
    scope = models.CharField(
        _("编号范围"), max_length=20, choices=IndexNumberScope.choices, default=IndexNumberScope.ORGANIZATION_YEAR
    )

    class Meta:
        verbose_name = _("索引号规则")
        verbose_name_plural = _("索引号规则")

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_scope_display()}, {self.serial_width}"


class IndexCounter(models.Model):
    """The last serial handed out in one scope (``site``, ``org:7`` or ``org:7:2026``). Only ever goes up."""

    scope_key = models.CharField(max_length=60, unique=True)
    last_serial = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("索引号计数器")
        verbose_name_plural = _("索引号计数器")

    def __str__(self) -> str:
        return f"{self.scope_key}: {self.last_serial}"


# The genre and column codes that make a publication a 政策解读 (catalog/seed.py; codes are stable).
INTERPRETATION_GENRE = "interpretation"
INTERPRETATIONS_COLUMN = "interpretations"


class PublicationQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published and not withdrawn."""
        return self.filter(status=Publication.Status.PUBLISHED)

    def by(self, organization):
        return self.filter(publisher=organization)

    def in_column(self, column: Column):
        return self.filter(column_id__in=column.descendant_ids())

    def due_for_publication(self, now):
        return self.filter(status=Publication.Status.APPROVED, scheduled_at__isnull=False, scheduled_at__lte=now)

    def interpretations(self):
        """What counts as a 政策解读: the genre or the column says so, or it already interprets a document."""
        return self.filter(
            Q(genre__code=INTERPRETATION_GENRE)
            | Q(column__code=INTERPRETATIONS_COLUMN)
            | Exists(Interpretation.objects.filter(interpretation=OuterRef("pk")))
        )

    def policy_documents(self):
        """Documents of a genre that calls for an interpretation (``Genre.needs_interpretation``)."""
        return self.filter(genre__needs_interpretation=True)

    def awaiting_interpretation(self):
        """Policy documents still in force that no published interpretation interprets yet.

        Expired and repealed documents are left out: nobody interprets a rule that no longer applies.
        """
        interpreted = Interpretation.objects.filter(
            policy=OuterRef("pk"), interpretation__status=Publication.Status.PUBLISHED
        )
        return (
            self.policy_documents()
            .exclude(validity__in=(Publication.Validity.EXPIRED, Publication.Validity.REPEALED))
            .exclude(Exists(interpreted))
        )


class Publication(models.Model):
    """One item of government information (政府信息)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Validity(models.TextChoices):
        NONE = "", _("不适用")
        VALID = "valid", _("有效")
        EXPIRED = "expired", _("失效")
        REPEALED = "repealed", _("废止")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    publisher = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="publications"
    )
    title = models.CharField(_("标题"), max_length=300)
    doc_no = models.CharField(_("文号"), max_length=100, blank=True, help_text=_("无文号的留空，页面显示“无文号”。"))
    issued_on = models.DateField(_("发文日期"))
    summary = models.TextField(_("内容概述"), blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("保存前清理：不允许脚本、事件属性和外部资源。"))
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    column = models.ForeignKey(Column, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="publications")
    topic = models.ForeignKey(
        Topic, verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    genre = models.ForeignKey(
        Genre, verbose_name=_("体裁分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, blank=True, default="")
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    expired_on = models.DateField(_("失效日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    index_no = models.CharField(_("索引号"), max_length=80, unique=True, null=True, blank=True)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True, db_index=True)
    scheduled_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撰稿人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    interprets = models.ManyToManyField(
        "self",
        verbose_name=_("解读的文件"),
        through="Interpretation",
        through_fields=("interpretation", "policy"),
        symmetrical=False,
        related_name="interpreted_by",
        blank=True,
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_at", "-id"]
        indexes = [
            # Covers the catalogue's page query (ids in order under any filter) without reading rows.
            models.Index(
                fields=["status", "-published_at", "-id", "column", "publisher", "topic", "genre"],
                name="publication_catalog",
            ),
            # The same for one organisation's catalogue (its own site, or ?publisher= in the district's): its
            # count and pages walk only its entries (issue 10: 50 organisations, 500,000 publications).
            models.Index(
                fields=["publisher", "status", "-published_at", "-id", "column", "topic", "genre"],
                name="publication_publisher_catalog",
            ),
            models.Index(fields=["column", "status", "-published_at"], name="publication_by_column"),
            models.Index(fields=["doc_no"], name="publication_doc_no"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organization(self):
        """The organisation the publication belongs to (its publisher), for scoping and the audit log."""
        return self.publisher

    @property
    def doc_no_display(self) -> str:
        return self.doc_no or str(_("无文号"))

    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def is_interpretation(self) -> bool:
        """The row-level twin of ``Publication.objects.interpretations()``."""
        return (
            (self.genre_id is not None and self.genre.code == INTERPRETATION_GENRE)
            or self.column.code == INTERPRETATIONS_COLUMN
            or self.policy_links.exists()
        )


class InterpretationQuerySet(models.QuerySet):
    def public(self):
        """Links the public sees: both the interpretation and the document it interprets are published."""
        return self.filter(
            interpretation__status=Publication.Status.PUBLISHED, policy__status=Publication.Status.PUBLISHED
        )


class Interpretation(models.Model):
    """A publication that interprets a policy document (政策解读 → 解读的文件), and the form it takes.

    The rules (not itself, not an interpretation, another organisation's document only once public) live in
    ``services.set_interpreted``; the database keeps the two that need no lookup.
    """

    class Form(models.TextChoices):
        TEXT = "text", _("文字解读")
        GRAPHIC = "graphic", _("图解")
        VIDEO = "video", _("视频")
        PRESS_CONFERENCE = "press_conference", _("新闻发布会")

    interpretation = models.ForeignKey(
        Publication, verbose_name=_("政策解读"), on_delete=models.CASCADE, related_name="policy_links"
    )
    policy = models.ForeignKey(
        Publication, verbose_name=_("解读的文件"), on_delete=models.CASCADE, related_name="interpretation_links"
    )
    form = models.CharField(_("解读形式"), max_length=20, choices=Form.choices, default=Form.TEXT)
    url = models.URLField(
        _("链接"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("视频、新闻发布会等外部页面的地址（可选）。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = InterpretationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策解读关联")
        verbose_name_plural = _("政策解读关联")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["interpretation", "policy"], name="interpretation_once_per_policy"),
            models.CheckConstraint(condition=~Q(interpretation=models.F("policy")), name="interpretation_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.interpretation} → {self.policy}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # Stored under a random name: the original name is kept in a field, never trusted as a path.
    return f"attachments/{timezone.now():%Y/%m}/{attachment.sha256[:2]}/{attachment.sha256}{attachment.extension}"


class Attachment(models.Model):
    publication = models.ForeignKey(
        Publication, verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10)
    content_type = models.CharField(_("内容类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("提取的文字"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["publication", "sort_order", "id"]

    def __str__(self) -> str:
        return self.original_name


class Guide(models.Model):
    """The editable part of an organisation's 政府信息公开指南; the rest is generated from its data (条例第十二条)."""

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="guide"
    )
    text = models.TextField(_("补充内容"), blank=True, help_text=_("显示在自动生成的指南之后；保存前清理HTML。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def __str__(self) -> str:
        return f"{self.organization} 指南"
