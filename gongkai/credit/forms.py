"""The forms of 双公示: the department portal's upload and its choice of organisation and year; the credit repair
application and its status page; a credit officer's steps. Errors are Chinese, then English, and name the field;
the repair forms leave the rules to `gongkai.credit.repairs`, so that the form and the service say the same."""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.credit.models import RepairApplication, Severity
from gongkai.lib.forms import required

SUFFIXES = (".csv", ".xlsx")
FIRST_YEAR = 2015  # 国办发〔2015〕51号: 双公示 starts


class UploadForm(forms.Form):
    organization = forms.TypedChoiceField(
        label=_("报送单位"),
        coerce=int,
        error_messages={
            **required("报送单位", "the organisation"),
            "invalid_choice": "请从列表中选择报送单位 / choose the organisation from the list",
        },
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_("按模板填写的CSV（UTF-8或GBK）或XLSX文件；自动识别行政许可或行政处罚。"),
        error_messages={
            **required("文件", "the file"),
            "empty": "文件是空的 / the file is empty",
            "invalid": "请选择要上传的文件 / choose a file to upload",
        },
    )
    accept_valid = forms.BooleanField(
        label=_("保留正确的行"), required=False, help_text=_("不勾选时，只要有一行错误，整个文件退回。")
    )
    dry_run = forms.BooleanField(
        label=_("仅检查，不报送"), required=False, help_text=_("只给出检查结果，不保存任何记录。")
    )

    def __init__(self, *args, organizations: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {organization.pk: organization for organization in organizations}
        self.fields["organization"].choices = [(organization.pk, organization.name) for organization in organizations]
        if len(organizations) == 1:
            del self.fields["organization"]  # a department's submitter uploads for their own organisation

    def clean_organization(self):
        return self.organizations[self.cleaned_data["organization"]]

    def clean(self):
        cleaned = super().clean()
        if "organization" not in self.fields:
            cleaned["organization"] = next(iter(self.organizations.values()))
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(
                f"文件“{upload.name}”不是CSV或XLSX文件（旧版.xls请另存为.xlsx） / the file '{upload.name}' is "
                "neither CSV nor XLSX (save .xls as .xlsx)",
                code="suffix",
            )
        return upload


class DepartmentForm(forms.Form):
    """Which organisation's page, and the year of its on-time rates (``?org=&year=``)."""

    org = forms.TypedChoiceField(label=_("报送单位"), coerce=int, required=False)
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        error_messages={"invalid": "年度应为数字，如 2026 / the year must be a number such as 2026"},
    )

    def __init__(self, *args, organizations: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {organization.pk: organization for organization in organizations}
        self.fields["org"].choices = [(organization.pk, organization.name) for organization in organizations]
        self.fields["year"].initial = timezone.localdate().year
        self.fields["org"].error_messages["invalid_choice"] = (
            "请从列表中选择报送单位 / choose the organisation from the list"
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if year is not None and not FIRST_YEAR <= year <= this_year:
            raise forms.ValidationError(
                f"年度“{year}”应在{FIRST_YEAR}至{this_year}之间 / the year {year} must be between {FIRST_YEAR} "
                f"and {this_year}",
                code="range",
            )
        return year

    def _valid(self, name: str):
        if not self.is_bound:
            return None
        self.is_valid()  # a wrong year leaves the organisation chosen, and the other way round
        return self.cleaned_data.get(name)

    def chosen_organization(self):
        """The chosen organisation, else the first the user may see (None if there is none)."""
        return self.organizations.get(self._valid("org")) or next(iter(self.organizations.values()), None)

    def chosen_year(self) -> int:
        return self._valid("year") or timezone.localdate().year


# --- 信用修复 ------------------------------------------------------------------------------------------------------

MAX_FILES = 5  # in one file field that takes several


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): a list, empty when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if len(uploads) > MAX_FILES:
            raise ValidationError(f"最多{MAX_FILES}个文件 / at most {MAX_FILES} files", code="too_many")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


FILE_HELP = _("PDF、图片或Word文档，每个文件不超过10MB。")


class RepairApplicationForm(forms.Form):
    """信用修复申请 from the public site, with a one-time key (sent twice: one application) and a honeypot field,
    ``website``, that people never see and robots fill in."""

    decision_number = forms.CharField(label=_("行政处罚决定书文号"), max_length=128, required=False)
    identity = forms.CharField(
        label=_("统一社会信用代码或身份证号码"),
        max_length=30,
        required=False,
        help_text=_("法人、非法人组织和个体工商户填统一社会信用代码，自然人填居民身份证号码，须与行政处罚决定书一致。"),
    )
    applicant_kind = forms.ChoiceField(
        label=_("申请人身份"),
        choices=RepairApplication.ApplicantKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人身份 / choose who is applying"},
    )
    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=200, required=False)
    contact = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("查询办理进度时需要填写。")
    )
    commitment = forms.FileField(label=_("信用承诺书"), required=False, help_text=FILE_HELP)
    evidence = MultipleFileField(
        label=_("已履行行政处罚的证明"),
        required=False,
        help_text=_("如罚款缴纳凭证、整改完成的证明，可以选择多个文件。PDF、图片或Word文档，每个文件不超过10MB。"),
    )
    authorization = forms.FileField(label=_("授权委托书（代理人申请的）"), required=False, help_text=FILE_HELP)
    note = forms.CharField(
        label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    website = forms.CharField(required=False, label="Website")
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    @classmethod
    def blank(cls, number: str = ""):
        return cls(initial={"submission_key": secrets.token_urlsafe(32), "decision_number": number[:128]})

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError("提交未被接受 / the form was not accepted")
        return data


class RepairTrackingForm(forms.Form):
    """The applicant's own status page: the tracking code plus the phone number given."""

    code = forms.CharField(
        label=_("查询码"), max_length=16, error_messages={"required": "请填写查询码 / the tracking code is required"}
    )
    contact = forms.CharField(
        label=_("申请时填写的联系电话"),
        max_length=30,
        error_messages={"required": "请填写联系电话 / the phone number is required"},
    )


class RepairMaterialsForm(RepairTrackingForm):
    """Materials the credit officer asked for, sent from the status page (which carries the code and phone)."""

    files = MultipleFileField(label=_("补充材料"), required=False, help_text=FILE_HELP)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()
        self.fields["contact"].widget = forms.HiddenInput()


TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ApproveRepairForm(forms.Form):
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False)


class RejectRepairForm(forms.Form):
    reasons = forms.CharField(
        label=_("不予修复的理由"), widget=TEXTAREA, error_messages=required("不予修复的理由", "the reasons")
    )


class AskForMoreForm(forms.Form):
    needed = forms.CharField(
        label=_("需要补充的材料"), widget=TEXTAREA, error_messages=required("需要补充的材料", "what is needed")
    )


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("失信严重程度"),
        choices=Severity.choices,
        error_messages={"required": "请选择失信严重程度 / choose the class"},
    )
    reason = forms.CharField(
        label=_("调整理由"), widget=TEXTAREA, error_messages=required("调整理由", "the reason")
    )
