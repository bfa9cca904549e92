"""Forms of the 依申请公开 pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gongkai.lib.forms import BilingualDateField
from gongkai.requests import services
from gongkai.requests.clock import MAX_EXTENSION_DAYS
from gongkai.requests.models import ApplicantKind, Delivery, FormWanted

PAUSE_ROWS = 3  # spans not counted that the calculator takes

# The labels BilingualDateField translates, for makemessages.
LABELS = (
    gettext_noop("收到申请之日"),
    gettext_noop("收到补正后申请之日"),
    gettext_noop("不计入期间的开始日"),
    gettext_noop("不计入期间的结束日"),
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


class ApplicationForm(forms.Form):
    """The public online application (条例第二十九条). ``website`` is a honeypot: people never see it."""

    organization = forms.ModelChoiceField(
        label=_("向哪个机关申请"),
        queryset=None,
        empty_label=_("——请选择——"),
        error_messages={
            "required": "请选择受理机关 / choose the agency",
            "invalid_choice": "所选机关不存在或未开通网上申请 / that agency does not take applications online",
        },
    )
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
    website = forms.CharField(required=False, label="Website")  # the honeypot
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def applicant_values(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in services.APPLICANT_FIELDS}


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
