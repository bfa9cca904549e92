"""Screening findings (敏感信息筛查) and how each was resolved.

A finding is one sensitive item that the screening (gongkai.lib.screening) found in a publication: in its
title, summary, body or the text of an attachment. Nothing is approved while one is open; each is masked
(the text replaced with its masked form; for an attachment, a redacted version uploaded) or dismissed
with a written reason. Findings are kept after they are resolved: they are the review record.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class FindingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolution=Finding.Resolution.OPEN)

    def resolved(self):
        return self.exclude(resolution=Finding.Resolution.OPEN)

    def about(self, publication):
        return self.filter(publication=publication)

    def in_order(self):
        return self.order_by("publication_id", "field_order", "attachment_name", "page", "offset", "id")


class Finding(models.Model):
    class Kind(models.TextChoices):
        RESIDENT_ID = "resident_id", _("身份证号码")
        MOBILE = "mobile", _("手机号码")
        BANK_CARD = "bank_card", _("银行卡号")
        SECRET_MARKING = "secret_marking", _("密级标志")
        EMAIL = "email", _("个人电子邮箱")
        PERSONAL_NAME = "personal_name", _("个人姓名")

    class Field(models.TextChoices):
        TITLE = "title", _("标题")
        SUMMARY = "summary", _("内容概述")
        BODY = "body", _("正文")
        ATTACHMENT = "attachment", _("附件")

    class Resolution(models.TextChoices):
        OPEN = "open", _("待处理")
        MASKED = "masked", _("已遮盖")
        REDACTED = "redacted", _("已换为遮盖后的附件")
        DISMISSED = "dismissed", _("经审查不属敏感信息")
        GONE = "gone", _("修改后已不存在")

    class Stage(models.TextChoices):
        SUBMISSION = "submission", _("提交审核时")
        RESCREEN = "rescreen", _("已发布信息复查")

    FIELD_ORDER = {Field.TITLE: 0, Field.SUMMARY: 1, Field.BODY: 2, Field.ATTACHMENT: 3}

    publication = models.ForeignKey(
        "catalog.Publication", verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="findings"
    )
    attachment = models.ForeignKey(
        "catalog.Attachment",
        verbose_name=_("附件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a redacted version replaces the attachment; its findings stay on record
        related_name="findings",
    )
    stage = models.CharField(_("发现于"), max_length=12, choices=Stage.choices, default=Stage.SUBMISSION)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    field = models.CharField(_("位置"), max_length=12, choices=Field.choices)
    field_order = models.PositiveSmallIntegerField(default=0)
    attachment_name = models.CharField(_("附件名称"), max_length=200, blank=True)
    page = models.PositiveIntegerField(_("页码"), null=True, blank=True)
    offset = models.PositiveIntegerField(_("字符位置"))
    length = models.PositiveIntegerField(_("长度"))
    masked = models.CharField(_("遮盖后"), max_length=200)
    excerpt = models.CharField(_("上下文（已遮盖）"), max_length=300)
    occurrences = models.PositiveIntegerField(_("出现次数"), default=1)
    # Identifies the same sensitive item when the text is screened again (see screening.Finding.fingerprint);
    # the value itself is not stored here: it is in the publication until it is masked.
    fingerprint = models.CharField(max_length=64, db_index=True)
    resolution = models.CharField(
        _("处理结果"), max_length=12, choices=Resolution.choices, default=Resolution.OPEN, db_index=True
    )
    reason = models.TextField(_("理由"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    found_at = models.DateTimeField(_("发现时间"))

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("筛查发现")
        verbose_name_plural = _("筛查发现")
        ordering = ["publication", "field_order", "attachment_name", "page", "offset", "id"]
        indexes = [models.Index(fields=["publication", "resolution"], name="finding_by_publication")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked}"

    @property
    def is_open(self) -> bool:
        return self.resolution == self.Resolution.OPEN

    def place(self) -> dict:
        """Where it is, as data (the audit log keeps this; `describe_place` words it in the reader's language)."""
        return {"field": self.field, "attachment": self.attachment_name, "page": self.page, "offset": self.offset}

    def where(self) -> str:
        return describe_place(**self.place())


def describe_place(*, field: str, attachment: str = "", page: int | None = None, offset: int = 0) -> str:
    """Where a finding is, as the reviewer reads it: 正文，第 12 字 / 附件“x.pdf”第 2 页，第 5 字."""
    if field == Finding.Field.ATTACHMENT:
        place = gettext("附件“%(name)s”") % {"name": attachment}
        if page:
            place += gettext("第 %(page)s 页") % {"page": page}
    else:
        place = str(Finding.Field(field).label) if field in Finding.Field.values else field
    return place + gettext("，第 %(n)s 字") % {"n": offset + 1}
