"""Applications for disclosure (政府信息公开申请) and what happens to them.

A `DisclosureRequest` belongs to the organisation that received it. Its reply clock is never stored: it is
computed from its `RequestEvent` rows by `gongkai.requests.clock.reply_clock`, so the due date and the
trace shown anywhere are the same. Rows are written only by `gongkai.requests.services`.

The applicant's personal data (name, identity number, contact) is shown to the staff of the organisation
and, through the tracking code plus phone or identity number, to the applicant; never on a public page,
feed or API answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.requests import outcomes
from gongkai.requests.clock import Event, Kind


class Channel(models.TextChoices):
    """受理渠道. 条例第三十一条 fixes the day of receipt for each (see the registration form's text)."""

    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("邮寄（签收）")
    LETTER = "letter", _("平常信函")
    ONLINE = "online", _("网络")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


class ApplicantKind(models.TextChoices):
    """申请人类型: the columns of annual-report table 三."""

    NATURAL = "natural", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER = "other", _("其他")


class FormWanted(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")


class Delivery(models.TextChoices):
    PICKUP = "pickup", _("自行领取")
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    WEBSITE = "website", _("网站")


class RequestSettings(models.Model):
    """An agency's settings for applications: the channels it has opened, and how its letters are written.

    当面提交 and 邮寄 are always open: 国办公开办函〔2017〕19号 says an agency may never refuse them, and an
    agency that opens the online form, fax or e-mail must say so in its guide and is then bound by it.
    """

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="request_settings"
    )
    online = models.BooleanField(_("接受网上申请"), default=True)
    fax = models.BooleanField(_("接受传真申请"), default=False)
    email = models.BooleanField(_("接受电子邮件申请"), default=False)
    letter_prefix = models.CharField(
        _("答复书文号前缀"), max_length=30, blank=True, help_text=_("如“张发改依申”，文号为 张发改依申〔2026〕3号。")
    )
    reconsideration_body = models.CharField(
        _("行政复议机关"), max_length=100, blank=True, help_text=_("答复书告知申请人可以向其申请行政复议的机关。")
    )
    court = models.CharField(_("管辖法院"), max_length=100, blank=True)
    inquiry_flag_months = models.PositiveSmallIntegerField(
        _("咨询超过几个月未答复即提示"), default=3, help_text=_("未答复的咨询超过此期限在工作台上标出。")
    )

    class Meta:
        verbose_name = _("依申请公开设置")
        verbose_name_plural = _("依申请公开设置")

    def __str__(self) -> str:
        return str(self.organization)

    @classmethod
    def of(cls, organization) -> RequestSettings:
        return cls.objects.filter(organization=organization).first() or cls(organization=organization)

    def opened(self) -> list[str]:
        """The channels open to applicants, in Channel order."""
        extra = {Channel.ONLINE.value: self.online, Channel.FAX.value: self.fax, Channel.EMAIL.value: self.email}
        return [channel for channel in Channel.values if extra.get(channel, True)]


class DeliveryMethod(models.TextChoices):
    """How the reply reached the applicant (国办公开办函〔2016〕235号): post goes through the postal service."""

    POST = "post", _("邮政寄送（以交邮之日为准）")
    DIRECT = "direct", _("直接送达（以签收之日为准）")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上答复")


class DisclosureRequestQuerySet(models.QuerySet):
    def of(self, organization):
        return self.filter(organization=organization)

    def open(self):
        return self.filter(closed_on__isnull=True)

    def closed(self):
        return self.filter(closed_on__isnull=False)


class DisclosureRequest(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="disclosure_requests"
    )
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    channel = models.CharField(_("受理渠道"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("收到申请之日"))
    receipt_evidence = models.CharField(
        _("收到日期的依据"), max_length=300, blank=True, help_text=_("如签收单号、确认电话的时间和对象。")
    )

    applicant_kind = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=200)
    identity_number = models.CharField(
        _("身份证明号码"), max_length=30, help_text=_("自然人填居民身份证号码，法人或其他组织填统一社会信用代码。")
    )
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    description = models.TextField(_("所需政府信息的名称或特征描述"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    form_wanted = models.CharField(_("信息的形式"), max_length=20, choices=FormWanted.choices)
    delivery = models.CharField(_("获取方式"), max_length=20, choices=Delivery.choices)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_requests",
    )
    outcome = models.CharField(outcomes.VERBOSE_NAME, max_length=4, choices=outcomes.CHOICES, blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    delivered_on = models.DateField(
        _("送达日期"), null=True, blank=True, help_text=_("邮寄以交邮之日、直接送达以签收之日为准。")
    )
    delivery_method = models.CharField(_("送达方式"), max_length=20, choices=DeliveryMethod.choices, blank=True)

    # The online form's one-time key: the same form sent twice registers one application.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # A keyed hash of the address an online application came from, for the per-address limit; never shown.
    submitted_from = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organization", "closed_on", "received_on"], name="request_worklist")]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.received_on}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def outcome_label(self) -> str:
        return outcomes.BY_CODE[self.outcome].display() if self.outcome else ""

    def clock_events(self) -> list[Event]:
        return [event.as_clock_event() for event in self.events.all()]


KIND_LABELS = {
    Kind.RECEIVED: _("收到申请"),
    Kind.CORRECTION_NOTICE: _("发出补正通知"),
    Kind.CORRECTED: _("收到补正后的申请"),
    Kind.THIRD_PARTY: _("征求第三方意见"),
    Kind.OTHER_AGENCY: _("征求其他机关意见"),
    Kind.FEE: _("收费通知至缴费"),
    Kind.PAUSED: _("不计时的期间"),
    Kind.EXTENSION: _("延期答复"),
    Kind.LATER_DATE: _("延迟答复期限（第三十五条）"),
}


class RequestEvent(models.Model):
    """One thing that happened to an application that the reply clock reads (see `clock.Event`)."""

    request = models.ForeignKey(
        DisclosureRequest, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=[(kind.value, KIND_LABELS[kind]) for kind in Kind])
    on = models.DateField(_("日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("工作日数"), null=True, blank=True)
    reply_by = models.DateField(_("答复期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请办理事项")
        verbose_name_plural = _("申请办理事项")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"

    def as_clock_event(self) -> Event:
        return Event(Kind(self.kind), self.on, until=self.until, days=self.days, reply_by=self.reply_by)


class Reminder(models.Model):
    """A reminder e-mail sent about an application: one per kind and due date, whatever the worker does."""

    class Kind(models.TextChoices):
        DUE_IN_5 = "due_in_5", _("5个工作日内到期")
        DUE_IN_1 = "due_in_1", _("1个工作日内到期")
        OVERDUE = "overdue", _("已超期")

    request = models.ForeignKey(
        DisclosureRequest, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("提醒类型"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("答复期限"))
    recipients = models.TextField(_("收件人"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "due_on"], name="one_reminder_per_kind_and_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.kind} {self.due_on}"


class ReplyLetter(models.Model):
    """答复书 / 告知书: drafted when the application is decided, edited, then issued as a DOCX kept as the record."""

    request = models.OneToOneField(
        DisclosureRequest, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="letter"
    )
    title = models.CharField(_("标题"), max_length=100)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    addressee = models.CharField(_("收文人"), max_length=200)
    body = models.TextField(_("正文"))
    issued_on = models.DateField(_("出具日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("出具人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(_("答复书文件"), upload_to="letters/%Y/", blank=True)

    class Meta:
        verbose_name = _("答复书")
        verbose_name_plural = _("答复书")

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def is_issued(self) -> bool:
        return self.issued_on is not None


class LetterCounter(models.Model):
    """The last serial of an agency's reply letters in a year (张发改依申〔2026〕3号 is the third)."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_letter_counter_a_year")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}: {self.last}"


class ProcessingFee(models.Model):
    """信息处理费 of one application: one way of charging, the amount the system computed, notice and payment.

    The fee notice stops the clock until payment (a FEE `RequestEvent`); an unpaid fee after 20 working days
    ends the application as （六）2.
    """

    class Method(models.TextChoices):
        BY_ITEM = "by_item", _("按件计收")
        BY_VOLUME = "by_volume", _("按量计收")

    request = models.OneToOneField(
        DisclosureRequest, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="fee"
    )
    method = models.CharField(_("计收方式"), max_length=20, choices=Method.choices)
    quantity = models.PositiveIntegerField(_("件数或页数"))
    earlier_items = models.PositiveIntegerField(_("本月此前件数"), default=0)
    amount = models.PositiveIntegerField(_("金额（元）"))
    notice_on = models.DateField(_("收费通知日期"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    waived = models.BooleanField(_("已减免"), default=False)
    waiver_reason = models.TextField(_("减免理由"), blank=True)

    class Meta:
        verbose_name = _("信息处理费")
        verbose_name_plural = _("信息处理费")

    def __str__(self) -> str:
        return f"{self.request} {self.amount}"


class Remedy(models.Model):
    """行政复议 or 行政诉讼 about an application: annual-report table 四."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        DIRECT_LITIGATION = "direct_litigation", _("未经复议直接起诉")
        LITIGATION_AFTER_RECONSIDERATION = "after_reconsideration", _("复议后起诉")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    request = models.ForeignKey(
        DisclosureRequest, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="remedies"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    filed_on = models.DateField(_("申请或起诉日期"))
    result = models.CharField(_("结果"), max_length=20, choices=Result.choices, default=Result.PENDING)
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.request} {self.kind} {self.result}"


class InquiryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Inquiry(models.Model):
    """咨询: a question from anyone; staff answer it, and an answered question is published after review.

    The asker's name and contact are for the answer only: the public page shows the question and the answer.
    """

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("咨询对象"), on_delete=models.PROTECT, related_name="inquiries"
    )
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    name = models.CharField(_("姓名"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100, help_text=_("电话或电子邮箱，仅用于答复。"))
    subject = models.CharField(_("标题"), max_length=200)
    question = models.TextField(_("咨询内容"))
    asked_at = models.DateTimeField(_("提问时间"), auto_now_add=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    submitted_from = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.subject}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RequestAttachment(models.Model):
    """A file the applicant sent with the application (an identity document, a letter of authority, …).

    Checked from its content (`gongkai.lib.files`), never shown to the public.
    """

    request = models.ForeignKey(
        DisclosureRequest, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="requests/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.original_name
