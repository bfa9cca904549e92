"""Form fields shared by the apps: errors in Chinese, then English, naming the field and quoting the input."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.lib.errors import FieldErrors


def add_service_errors(form: forms.Form, error: Exception) -> None:
    """Put a service's refusal on its form: field errors (`FieldErrors`) beside their fields, the rest at the top."""
    if isinstance(error, FieldErrors):
        for name, message in error.errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, str(error))


def required(chinese: str, english: str) -> dict[str, str]:
    return {"required": f"请填写{chinese} / {english} is required"}


class BilingualDateField(forms.DateField):
    """A ``YYYY-MM-DD`` date (what ``<input type="date">`` sends); the error quotes what was typed."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *, label: str, english: str, **kwargs):
        self.english = english
        kwargs.setdefault("error_messages", required(label, f"the {english}"))
        super().__init__(label=_(label), input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid":
                raise
            raise ValidationError(
                f"{self.label}“{value}”不是有效日期，请按 年-月-日 填写 / the {self.english} '{value}' "
                "is not a valid date (YYYY-MM-DD)",
                code="invalid",
            ) from error
