"""Forms of the 依申请公开 pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gongkai.lib.forms import BilingualDateField
from gongkai.requests.clock import MAX_EXTENSION_DAYS

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
