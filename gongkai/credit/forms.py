"""The department portal's forms: the upload, and the choice of organisation and year on the department page.
Errors are Chinese, then English, and name the field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
