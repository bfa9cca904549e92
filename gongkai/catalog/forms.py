"""Forms of the staff screens. They only parse: every rule about publications lives in the services.

Every message a person can see names the field and, where there is one, the value, in Chinese and English.
"""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Column, Genre, Interpretation, Publication, Topic
from gongkai.lib import files
from gongkai.lib.forms import BilingualDateField, required

SHANGHAI = ZoneInfo("Asia/Shanghai")

Validity = Publication.Validity


def _unavailable(chinese: str, english: str) -> dict[str, str]:
    return {
        "invalid_choice": f"所选{chinese}（%(value)s）不存在或已停用，请重新选择 / the chosen {english} (%(value)s) "
        "does not exist or is no longer in use"
    }


class ShanghaiDateTimeField(forms.Field):
    """A local time in Asia/Shanghai as ``<input type="datetime-local">`` sends it (``2026-05-01T09:30``)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, label: str, english: str, **kwargs):
        self.english = english
        kwargs.setdefault("error_messages", required(label, f"the {english}"))
        super().__init__(label=_(label), **kwargs)

    def to_python(self, value) -> datetime.datetime | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            naive = datetime.datetime.fromisoformat(value)
        except ValueError as error:
            raise ValidationError(
                f"{self.label}“{value}”不是有效时间，请按 年-月-日 时:分 填写 / the {self.english} '{value}' "
                "is not a valid date and time",
                code="invalid",
            ) from error
        if naive.tzinfo is not None:
            return naive.astimezone(SHANGHAI)
        return naive.replace(tzinfo=SHANGHAI)


class ColumnChoiceField(forms.ModelChoiceField):
    """Active columns grouped under their first-level column (an ``<optgroup>`` each).

    A first-level column with sub-columns is a heading only; one without is chosen itself.
    """

    def __init__(self, **kwargs):
        super().__init__(queryset=Column.objects.active().select_related("parent"), **kwargs)

    def _get_choices(self):
        # Lazy, like ModelChoiceField's own iterator: the form class is built at import, before any database.
        return CallableChoiceIterator(self._grouped_choices)

    def _grouped_choices(self) -> list:
        columns = list(self.queryset)
        children: dict[int | None, list[Column]] = {}
        for column in columns:
            children.setdefault(column.parent_id, []).append(column)
        active_ids = {column.pk for column in columns}

        def descendants(column: Column, depth: int):
            for child in children.get(column.pk, []):
                yield child.pk, "　" * (depth - 1) + child.name
                yield from descendants(child, depth + 1)

        choices: list = [("", _("——请选择栏目——"))]
        roots = sorted(
            children.get(None, []), key=lambda root: root.section != "disclosure"
        )  # stable: keeps order
        for root in roots:
            below = list(descendants(root, 1))
            section = "" if root.section == "disclosure" else f"{root.get_section_display()} › "
            choices.append((f"{section}{root.name}", below or [(root.pk, root.name)]))
        # Columns whose parent was switched off are still usable: list them on their own.
        orphans = [column for column in columns if column.parent_id and column.parent_id not in active_ids]
        if orphans:
            choices.append((_("其他栏目"), [(column.pk, str(column)) for column in orphans]))
        return choices

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def clean(self, value):
        column = super().clean(value)
        if column is not None and self.queryset.filter(parent=column).exists():
            raise ValidationError(
                f"栏目“{column.name}”下设子栏目，请选择其中一个 / the column {column.name} has sub-columns: "
                "choose one of them",
                code="has_children",
            )
        return column


class PublicationForm(forms.Form):
    """The editor's metadata and body. ``values()`` gives the keyword arguments of the drafting services."""

    title = forms.CharField(label=_("标题"), max_length=300, error_messages=required("标题", "the title"))
    no_doc_no = forms.BooleanField(
        label=_("无文号"), required=False, help_text=_("没有文号的文件请勾选，页面显示“无文号”。")
    )
    doc_no = forms.CharField(
        label=_("文号"), max_length=100, required=False, help_text=_("如：张发改字〔2026〕12号。")
    )
    issued_on = BilingualDateField(label="发文日期", english="date of issue")
    column = ColumnChoiceField(
        label=_("栏目"),
        error_messages={"required": "请选择栏目 / choose a column", **_unavailable("栏目", "column")},
    )
    topic = forms.ModelChoiceField(
        label=_("主题分类"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("——不选——"),
        error_messages=_unavailable("主题分类", "topic"),
    )
    genre = forms.ModelChoiceField(
        label=_("体裁分类"),
        queryset=Genre.objects.all(),
        required=False,
        empty_label=_("——不选——"),
        error_messages=_unavailable("体裁分类", "genre"),
    )
    validity = forms.ChoiceField(
        label=_("有效性"),
        choices=Validity.choices,
        required=False,
        error_messages={
            "invalid_choice": "有效性“%(value)s”不在可选范围内 / the validity '%(value)s' is not one of the choices"
        },
        help_text=_("规范性文件填写；年报按此统计规范性文件的制发、废止和现行有效数量。"),
    )
    effective_on = BilingualDateField(label="施行日期", english="effective date", required=False)
    expired_on = BilingualDateField(label="失效日期", english="expiry date", required=False)
    repealed_on = BilingualDateField(label="废止日期", english="date of repeal", required=False)
    summary = forms.CharField(label=_("内容概述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "code-input"}),
        help_text=_(
            "可直接粘贴HTML（段落、标题、列表、表格、链接）。保存时自动清理：脚本、事件属性和外部资源会被去除。"
            " / HTML is accepted and sanitised on save: scripts, event handlers and external resources are removed."
        ),
    )
    keywords = forms.CharField(
        label=_("关键词"), max_length=200, required=False, help_text=_("多个关键词用空格或逗号分隔。")
    )

    @classmethod
    def for_publication(cls, publication: Publication) -> "PublicationForm":
        initial = {name: getattr(publication, name) for name in cls.service_fields()}
        initial["no_doc_no"] = not publication.doc_no
        return cls(initial=initial)

    @staticmethod
    def service_fields() -> tuple[str, ...]:
        from gongkai.catalog.services import EDITABLE_FIELDS

        return EDITABLE_FIELDS

    def clean(self):
        cleaned = super().clean()
        doc_no = (cleaned.get("doc_no") or "").strip()
        if cleaned.get("no_doc_no"):
            if doc_no and doc_no != "无文号":
                self.add_error(
                    "doc_no",
                    f"已勾选“无文号”，文号“{doc_no}”应留空 / 'no document number' is ticked but the number "
                    f"'{doc_no}' was entered",
                )
            cleaned["doc_no"] = ""
        elif not doc_no and "doc_no" not in self.errors:
            self.add_error(
                "doc_no", "请填写文号，或勾选“无文号” / enter the document number or tick 'no number'"
            )
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.service_fields()}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"),
        help_text=format_lazy(
            _(
                "PDF、Word（DOCX）、Excel（XLSX）文件或PNG、JPEG、GIF、WebP图片，按内容识别类型，每个不超过{size} MB。"
            ),
            size=files.DEFAULT_MAX_BYTES // (1024 * 1024),
        ),
        error_messages={
            "required": "请选择要上传的文件 / choose a file to upload",
            "empty": "上传的文件是空的 / the uploaded file is empty",
            "invalid": "没有收到文件，请检查表单 / no file was received",
        },
    )


class ReasonForm(forms.Form):
    """退回 and 撤回. Whether a reason is there is the service's rule; the form only carries it."""

    reason = forms.CharField(
        label=_("理由（必填）"), required=False, widget=forms.Textarea(attrs={"rows": 3, "required": True})
    )


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见（可选）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(forms.Form):
    at = ShanghaiDateTimeField(label="发布时间", english="publication time")

    def __init__(self, *args, now: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["at"].widget.attrs["min"] = timezone.localtime(self.now, SHANGHAI).strftime(
            "%Y-%m-%dT%H:%M"
        )

    def clean_at(self) -> datetime.datetime:
        at = self.cleaned_data["at"]
        # The service publishes at once when the time has passed; a schedule form must not do that silently.
        if at <= self.now:
            shown = f"{at:%Y-%m-%d %H:%M}"
            raise ValidationError(
                f"定时发布时间 {shown} 已过，请选择今后的时间，或使用“立即发布” / the time {shown} has passed: "
                "choose a later time or publish now"
            )
        return at


class ValidityForm(forms.Form):
    """失效 / 废止 of a published 规范性文件."""

    validity = forms.ChoiceField(
        label=_("有效性"),
        choices=[(Validity.EXPIRED, Validity.EXPIRED.label), (Validity.REPEALED, Validity.REPEALED.label)],
        error_messages={
            "required": "请选择失效或废止 / choose expired or repealed",
            "invalid_choice": "有效性“%(value)s”不在可选范围内 / the validity '%(value)s' is not one of the choices",
        },
    )
    on = BilingualDateField(label="日期", english="date")


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, publication: Publication) -> str:
        return f"{publication.title}（{publication.index_no or _('未发布')}）"


class InterpretedForm(forms.Form):
    """One document the publication interprets: the organisation's own policy document, or another's index number."""

    policy = PolicyChoiceField(
        label=_("本机关的政策文件"),
        queryset=Publication.objects.none(),
        required=False,
        empty_label=_("——不选——"),
        error_messages=_unavailable("政策文件", "policy document"),
    )
    index_no = forms.CharField(
        label=_("或其他机关文件的索引号"),
        max_length=80,
        required=False,
        help_text=_("解读其他机关已公开的文件时填写，如 113703030042240015/2026-00012。"),
    )
    form = forms.ChoiceField(
        label=_("解读形式"),
        choices=Interpretation.Form.choices,
        initial=Interpretation.Form.TEXT,
        error_messages={
            "invalid_choice": "解读形式“%(value)s”不在可选范围内 / the form '%(value)s' is not one of the choices"
        },
    )
    url = forms.URLField(
        label=_("链接（视频、新闻发布会，可选）"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "链接不是有效网址 / the link is not a valid web address"},
    )

    def __init__(self, *args, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if policies is not None:
            self.fields["policy"].queryset = policies

    def clean(self):
        cleaned = super().clean()
        policy, index_no = cleaned.get("policy"), " ".join((cleaned.get("index_no") or "").split())
        if index_no:
            found = Publication.objects.filter(index_no=index_no).first()
            if found is None:
                self.add_error(
                    "index_no",
                    f"索引号“{index_no}”没有对应的政府信息 / no publication has the index number '{index_no}'",
                )
            elif policy is not None and policy.pk != found.pk:
                self.add_error(
                    "index_no",
                    f"所选文件与索引号“{index_no}”不是同一份，请只填一项 / the chosen document and the index number "
                    f"'{index_no}' differ: fill in only one",
                )
            else:
                policy = found
        elif policy is None and "policy" not in self.errors and (cleaned.get("url") or "").strip():
            self.add_error(
                "policy",
                "填写了链接，请选择解读的文件或填写索引号 / a link was given: choose the document or its index number",
            )
        cleaned["document"] = policy
        return cleaned


class BaseInterpretedFormSet(forms.BaseFormSet):
    """The documents a publication interprets, one row each; rows left empty are ignored."""

    PREFIX = "interprets"

    @classmethod
    def get_default_prefix(cls) -> str:
        return cls.PREFIX

    @classmethod
    def build(cls, organization, publication: Publication | None = None, data=None) -> "BaseInterpretedFormSet":
        """The rows for ``publication`` (or a new draft of ``organization``); bound to ``data`` when given."""
        linked = list(publication.policy_links.select_related("policy")) if publication else []
        # The organisation's public policy documents, and whatever is linked now, so that saving keeps it.
        policies = Publication.objects.filter(
            Q(pk__in=[link.policy_id for link in linked])
            | Q(pk__in=Publication.objects.published().by(organization).policy_documents().values("pk"))
        ).order_by("-issued_on", "-id")
        if publication is not None:
            policies = policies.exclude(pk=publication.pk)
        initial = [{"policy": link.policy_id, "form": link.form, "url": link.url} for link in linked]
        return cls(data, initial=initial, form_kwargs={"policies": policies})

    def documents(self) -> list:
        from gongkai.catalog.services import InterpretedDocument

        return [
            InterpretedDocument(policy=form.cleaned_data["document"], form=form.cleaned_data["form"],
                                url=form.cleaned_data.get("url") or "")
            for form in self.forms
            if form.cleaned_data.get("document") is not None
        ]  # fmt: skip

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """The service's rules apply to the whole list: shown above the rows."""
        self.non_form_errors()  # cleans the rows first if that has not happened yet
        self._non_form_errors.extend(errors.values())


InterpretedFormSet = forms.formset_factory(
    InterpretedForm, formset=BaseInterpretedFormSet, extra=2, max_num=20, validate_max=True
)
