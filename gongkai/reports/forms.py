from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.reports import layout
from gongkai.reports.models import AnnualReport


class EditForm(forms.Form):
    """A draft's written sections and the cells the system cannot count (the service checks the values)."""

    # The sections' titles as the format writes them (layout.SECTIONS), as labels in the interface's language.
    overview = forms.CharField(label=_("一、总体情况"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
    problems = forms.CharField(
        label=_("五、存在的主要问题及改进情况"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    other = forms.CharField(
        label=_("六、其他需要报告的事项"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("应写明本年收取的信息处理费。"),
    )  # fmt: skip
    coercion = forms.CharField(
        label=_("行政强制：本年处理决定数量"), max_length=12,
        help_text=_("系统中没有行政强制记录，请按实际填写。"),
    )  # fmt: skip
    fees = forms.CharField(
        label=_("行政事业性收费：本年收费金额（单位：万元）"), max_length=20,
        help_text=_("按实际填写，可有小数。"),
    )  # fmt: skip

    @classmethod
    def for_report(cls, report: AnnualReport) -> "EditForm":
        table2 = report.figures["table2"]
        return cls(initial={**report.narrative, "coercion": table2["coercion"], "fees": table2["fees"]})

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "narrative": {key: data[key] for key in layout.NARRATIVE_SECTIONS},
            "coercion": data["coercion"],
            "fees": data["fees"],
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("已发布的年度报告"),
        help_text=_("网页（HTML）、Word（DOCX）或文本文件；2021年、2019年格式或2019年以前的报告。"),
    )
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=2008, max_value=2100, help_text=_("留空则从报告标题中读取。")
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))
