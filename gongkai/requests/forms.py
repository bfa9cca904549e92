"""Forms of the 依申请公开 pages."""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gongkai.lib.forms import BilingualDateField
from gongkai.requests import auth, outcomes, services
from gongkai.requests.clock import MAX_EXTENSION_DAYS, Kind
from gongkai.requests.models import ApplicantKind, Delivery, DeliveryMethod, FormWanted, ProcessingFee, Remedy

PAUSE_ROWS = 3  # spans not counted that the calculator takes

# The labels BilingualDateField and _text translate, for makemessages.
LABELS = (
    gettext_noop("收到申请之日"),
    gettext_noop("收到补正后申请之日"),
    gettext_noop("不计入期间的开始日"),
    gettext_noop("不计入期间的结束日"),
    gettext_noop("发出日期"),
    gettext_noop("需要补正的事项"),
    gettext_noop("双方确认之日"),
    gettext_noop("如何确认（电话、回执等）"),
    gettext_noop("补正期限"),
    gettext_noop("终止日期"),
    gettext_noop("开始日期"),
    gettext_noop("说明"),
    gettext_noop("结束日期（收到意见或缴费之日）"),
    gettext_noop("同意并告知申请人之日"),
    gettext_noop("延期理由"),
    gettext_noop("决定日期"),
    gettext_noop("延迟答复期限"),
    gettext_noop("理由"),
    gettext_noop("答复日期"),
    gettext_noop("理由和依据（予以公开的可不填）"),
    gettext_noop("送达日期（邮寄为交邮之日，直接送达为签收之日）"),
    gettext_noop("出具日期"),
    gettext_noop("收费通知日期"),
    gettext_noop("缴费日期"),
    gettext_noop("减免日期"),
    gettext_noop("减免理由"),
    gettext_noop("申请或起诉日期"),
    gettext_noop("审结日期"),
)


class DeadlineForm(forms.Form):
    """The public deadline calculator: the facts `gongkai deadline` takes, from a GET form."""

    received = BilingualDateField(label="收到申请之日", english="day the application was received")
    corrected = BilingualDateField(
        label="收到补正后申请之日", english="day the corrected application was received", required=False
    )
    extended = forms.IntegerField(
        label=_("延期工作日数"),
        required=False,
        min_value=0,
        max_value=MAX_EXTENSION_DAYS,
        error_messages={
            "invalid": "延期工作日数须为整数 / the extension must be a whole number of working days",
            "min_value": "延期工作日数不能为负数 / the extension cannot be negative",
            "max_value": f"延期最长{MAX_EXTENSION_DAYS}个工作日（第三十三条）/ an extension is at most "
            f"{MAX_EXTENSION_DAYS} working days (art. 33)",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, PAUSE_ROWS + 1):
            self.fields[f"paused_from_{row}"] = BilingualDateField(
                label="不计入期间的开始日", english=f"start of span {row} not counted", required=False
            )
            self.fields[f"paused_to_{row}"] = BilingualDateField(
                label="不计入期间的结束日", english=f"end of span {row} not counted", required=False
            )

    def pause_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"paused_from_{row}"], self[f"paused_to_{row}"]) for row in range(1, PAUSE_ROWS + 1)]

    def clean(self):
        data = super().clean()
        spans = []
        for row in range(1, PAUSE_ROWS + 1):
            start, end = data.get(f"paused_from_{row}"), data.get(f"paused_to_{row}")
            typed_wrong = self.has_error(f"paused_from_{row}") or self.has_error(f"paused_to_{row}")
            if (start is None) != (end is None) and not typed_wrong:
                raise ValidationError(
                    f"第{row}个不计入期间须同时填写开始日和结束日 / span {row} needs both its first and last day"
                )
            if start and end:
                spans.append((start, end))
        data["paused"] = tuple(spans)
        data["extended"] = data.get("extended") or 0
        return data


class ApplicantForm(forms.Form):
    """The applicant and the information wanted (条例第二十九条), as the public form and the staff both take them.

    The fields the law requires are checked by `services.validate_applicant`, so that both say the same.
    """

    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"),
        choices=ApplicantKind.choices,
        error_messages={"required": "请选择申请人类型 / choose the kind of applicant"},
    )
    applicant_name = forms.CharField(label=_("姓名或名称"), max_length=200, required=False)
    identity_number = forms.CharField(
        label=_("身份证明号码"),
        max_length=30,
        required=False,
        help_text=_("自然人填居民身份证号码，法人或其他组织填统一社会信用代码。"),
    )
    contact_person = forms.CharField(label=_("联系人（法人或其他组织）"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确 / not a valid e-mail address"},
    )
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    postcode = forms.RegexField(
        label=_("邮政编码"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字 / a postcode is 6 digits"},
    )
    description = forms.CharField(
        label=_("所需政府信息的名称或特征描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )
    document_number = forms.CharField(label=_("文号（如知道）"), max_length=100, required=False)
    form_wanted = forms.ChoiceField(
        label=_("所需信息的形式"),
        choices=FormWanted.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择信息的形式 / choose paper or electronic"},
    )
    delivery = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取方式 / choose how to receive it"},
    )

    def applicant_values(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in services.APPLICANT_FIELDS}


class PublicSubmissionForm(forms.Form):
    """What the public forms share: an agency chosen from ``organizations`` (each form declares its own
    ``organization`` field), a one-time key so that a form sent twice counts once, and a honeypot field,
    ``website``, that people never see and robots fill in."""

    website = forms.CharField(required=False, label="Website")
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    @classmethod
    def blank(cls, request, organizations):
        """A new form with a fresh key, the agency chosen by ``?org=<slug>`` if there is one."""
        chosen = organizations.filter(slug=request.GET.get("org", "")).first()
        return cls(
            initial={"submission_key": secrets.token_urlsafe(32), "organization": chosen}, organizations=organizations
        )

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError("提交未被接受 / the form was not accepted")
        return data


class ApplicationForm(ApplicantForm, PublicSubmissionForm):
    """The public online application."""

    organization = forms.ModelChoiceField(
        label=_("向哪个机关申请"),
        queryset=None,
        empty_label=_("——请选择——"),
        error_messages={
            "required": "请选择受理机关 / choose the agency",
            "invalid_choice": "所选机关不存在或未开通网上申请 / that agency does not take applications online",
        },
    )
    attachment = forms.FileField(
        label=_("申请材料（可选）"),
        required=False,
        help_text=_("如身份证明、授权委托书。PDF、图片或Word文档，不超过10MB。"),
        error_messages={"invalid": "没有收到文件，请重新选择 / no file was received"},
    )


class RegisterForm(ApplicantForm):
    """Staff register an application that came by post, letter, fax, e-mail or in person."""

    channel = forms.ChoiceField(label=_("受理渠道"), error_messages={"required": "请选择受理渠道 / choose the channel"})
    received_on = BilingualDateField(label="收到申请之日", english="day the application was received")
    evidence = forms.CharField(
        label=_("收到日期的依据"),
        max_length=300,
        required=False,
        help_text=_("如签收单号、确认电话的时间和对象（条例第三十一条）。"),
    )

    def __init__(self, *args, channels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channels


class TrackingForm(forms.Form):
    """The applicant's own status page: the tracking code plus the phone or identity number given."""

    code = forms.CharField(
        label=_("查询码"), max_length=16, error_messages={"required": "请填写查询码 / the tracking code is required"}
    )
    secret = forms.CharField(
        label=_("申请时填写的联系电话或身份证明号码"),
        max_length=30,
        error_messages={"required": "请填写联系电话或身份证明号码 / the phone or identity number is required"},
    )


# --- the staff's steps ---------------------------------------------------------------------------------------


def _day(label: str, english: str, **kwargs) -> BilingualDateField:
    return BilingualDateField(label=label, english=english, **kwargs)


def _text(label, *, required: bool = False, english: str = "") -> forms.CharField:
    errors = {"required": f"请填写{label} / {english} is required"} if required else {}
    return forms.CharField(
        label=_(label), required=required, widget=forms.Textarea(attrs={"rows": 3}), error_messages=errors
    )


class CorrectionNoticeForm(forms.Form):
    on = _day("发出日期", "day sent")
    note = _text("需要补正的事项", required=True, english="what to correct")
    correct_by = _day("补正期限", "last day for the correction")


class EndForNoCorrectionForm(forms.Form):
    on = _day("终止日期", "day ended")


class ConfirmReceiptForm(forms.Form):
    on = _day("双方确认之日", "day both sides confirmed")
    evidence = _text("如何确认（电话、回执等）", required=True, english="how it was confirmed")


class CorrectedForm(forms.Form):
    on = _day("收到补正后申请之日", "day the corrected application was received")


PAUSE_CHOICES = [
    (Kind.THIRD_PARTY.value, _("征求第三方意见")),
    (Kind.OTHER_AGENCY.value, _("征求其他机关意见")),
    (Kind.FEE.value, _("收费通知至缴费")),
]


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=PAUSE_CHOICES)
    on = _day("开始日期", "first day")
    note = _text("说明")


class ResumeForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=PAUSE_CHOICES)
    until = _day("结束日期（收到意见或缴费之日）", "last day (the answer or payment received)")


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("延长工作日数"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        error_messages={
            "required": "请填写延长的工作日数 / the number of working days is required",
            "min_value": "延长至少1个工作日 / at least 1 working day",
            "max_value": f"延期最长{MAX_EXTENSION_DAYS}个工作日（第三十三条）/ "
            f"at most {MAX_EXTENSION_DAYS} working days",
        },
    )
    on = _day("同意并告知申请人之日", "day approved and the applicant told")
    note = _text("延期理由", required=True, english="the reason")


class LaterDateForm(forms.Form):
    on = _day("决定日期", "day decided")
    reply_by = _day("延迟答复期限", "later reply date")
    reason = _text("理由", required=True, english="the reason")


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("办理结果"),
        choices=lambda: [("", _("——请选择——")), *outcomes.display_choices()],
        error_messages={"required": "请选择办理结果 / choose the outcome"},
    )
    on = _day("答复日期", "day of the reply")
    reasons = _text("理由和依据（予以公开的可不填）")


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)
    on = _day("送达日期（邮寄为交邮之日，直接送达为签收之日）", "day delivered (posted, or signed for)")


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("经办人"),
        queryset=None,
        error_messages={"required": "请选择经办人 / choose a handler", "invalid_choice": "经办人无效 / not a handler"},
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = auth.handlers_of(organization)


class LetterForm(forms.Form):
    addressee = forms.CharField(
        label=_("收文人"), max_length=200, error_messages={"required": "请填写收文人 / the addressee is required"}
    )
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "请填写正文 / the text is required"},
    )


class IssueForm(forms.Form):
    on = _day("出具日期", "day issued")


class FeeNoticeForm(forms.Form):
    method = forms.ChoiceField(label=_("计收方式"), choices=ProcessingFee.Method.choices)
    quantity = forms.IntegerField(
        label=_("件数或页数"),
        min_value=1,
        error_messages={
            "required": "请填写件数或页数 / the number of items or pages is required",
            "min_value": "件数或页数须至少为1 / at least 1",
        },
    )
    on = _day("收费通知日期", "day of the fee notice")


class PaymentForm(forms.Form):
    on = _day("缴费日期", "day paid")


class WaiverForm(forms.Form):
    on = _day("减免日期", "day waived")
    reason = _text("减免理由", required=True, english="the reason")


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Remedy.Kind.choices)
    filed_on = _day("申请或起诉日期", "day filed")
    note = _text("说明")


class RemedyResultForm(forms.Form):
    remedy = forms.ModelChoiceField(label=_("案件"), queryset=None)
    result = forms.ChoiceField(
        label=_("结果"), choices=[choice for choice in Remedy.Result.choices if choice[0] != Remedy.Result.PENDING]
    )
    decided_on = _day("审结日期", "day decided")

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remedy"].queryset = application.remedies.filter(result=Remedy.Result.PENDING)


class InquiryForm(PublicSubmissionForm):
    """咨询 on the public site."""

    organization = forms.ModelChoiceField(
        label=_("咨询对象"),
        queryset=None,
        empty_label=_("——请选择——"),
        error_messages={
            "required": "请选择咨询对象 / choose the agency",
            "invalid_choice": "所选机关不存在 / unknown agency",
        },
    )
    subject = forms.CharField(label=_("标题"), max_length=200, required=False)
    question = forms.CharField(
        label=_("咨询内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=3000, required=False
    )
    name = forms.CharField(label=_("姓名"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("联系方式"), max_length=100, required=False, help_text=_("电话或电子邮箱，仅用于答复，不会公开。")
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写答复 / the answer is required"},
    )
