"""Administrators edit the catalogue's reference data here: columns, topics, genres, index-number policies
and the editable part of each guide. Publications are read-only: their state changes only through the
staff screens (gongkai.catalog.services), which check who acts and write the audit log.

Changes made here are recorded in the audit log too, in the admin's own transaction.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from gongkai import audit
from gongkai.catalog.models import (
    Attachment,
    Column,
    Genre,
    Guide,
    IndexNumberPolicy,
    IndexNumberScope,
    Publication,
    Topic,
)
from gongkai.lib.html import sanitize


class AuditedAdmin(admin.ModelAdmin):
    """Writes ``catalog.<model>_added|_changed|_deleted`` with the changed fields."""

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        name = obj._meta.model_name
        audit.record(
            request.user,
            f"catalog.{name}_{'changed' if change else 'added'}",
            obj,
            organization=getattr(obj, "organization", None),
            summary=str(obj),
            fields=list(form.changed_data),
        )

    def delete_model(self, request: HttpRequest, obj) -> None:
        summary, name = str(obj), obj._meta.model_name
        audit.record(request.user, f"catalog.{name}_deleted", obj, summary=summary)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ColumnForm(forms.ModelForm):
    class Meta:
        model = Column
        fields = [
            "section",
            "parent",
            "code",
            "name",
            "column_type",
            "description",
            "sort_order",
            "is_active",
        ]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and parent.pk in self.instance.descendant_ids():
            raise ValidationError(
                f"上级栏目“{parent.name}”是本栏目或其下级，栏目不能成环 / the parent column {parent.name} is this "
                "column or one below it"
            )
        return parent


@admin.register(Column)
class ColumnAdmin(AuditedAdmin):
    form = ColumnForm
    list_display = ["name", "parent", "section", "code", "column_type", "sort_order", "is_active"]
    list_filter = ["section", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["section", "parent__sort_order", "sort_order", "id"]
    list_select_related = ["parent"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Publications and feed URLs refer to columns: switch one off (启用) instead of deleting it.
        return False


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(Genre)
class GenreAdmin(AuditedAdmin):
    list_display = ["name", "code", "report_category", "needs_interpretation", "sort_order"]
    list_filter = ["report_category", "needs_interpretation"]
    search_fields = ["name", "code"]


class IndexNumberPolicyForm(forms.ModelForm):
    class Meta:
        model = IndexNumberPolicy
        fields = ["organization", "serial_width", "scope"]

    def clean_serial_width(self) -> int:
        width = self.cleaned_data["serial_width"]
        if not 1 <= width <= 12:
            raise ValidationError(
                f"序号位数须在1到12之间，而不是{width} / the serial width must be 1 to 12, not {width}"
            )
        return width

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        # On the change page the organisation is read-only, so it is not in the form's data.
        organization = cleaned.get("organization") or getattr(self.instance, "organization", None)
        before = self.instance.scope if self.instance.pk else IndexNumberScope.ORGANIZATION_YEAR
        if organization is None or scope is None or scope == before:
            return cleaned
        # A new scope starts from its own counter: mid-year it would hand out serials this organisation
        # already used this year (…/2026-00001 again). Index numbers are never reused, so wait for January.
        year = timezone.localdate().year
        prefix = f"{organization.uscc}/{year}-"
        if Publication.objects.filter(index_no__startswith=prefix).exists():
            raise ValidationError(
                {
                    "scope": f"{organization.name}今年已有索引号（{prefix}…），年内改变编号范围会产生重复的索引号；"
                    f"请在明年发布第一条信息前修改 / {organization.name} already has index numbers this year "
                    f"({prefix}…): changing the scope now would repeat them; change it before the first "
                    "publication of next year"
                }
            )
        return cleaned


@admin.register(IndexNumberPolicy)
class IndexNumberPolicyAdmin(AuditedAdmin):
    form = IndexNumberPolicyForm
    list_display = ["organization", "scope", "serial_width"]
    list_select_related = ["organization"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ["organization"] if obj is not None else []


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = ["organization", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 20})}

    def clean_text(self) -> str:
        return sanitize(self.cleaned_data.get("text") or "")


@admin.register(Guide)
class GuideAdmin(AuditedAdmin):
    form = GuideForm
    list_display = ["organization", "updated_at"]
    list_select_related = ["organization"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ["organization"] if obj is not None else []


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["original_name", "kind", "size", "sha256", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only: drafting, review, publication and withdrawal happen on the staff screens (/staff/publications/)."""

    list_display = ["title", "publisher", "status", "index_no", "column", "published_at"]
    list_filter = ["status", "publisher", "column", "genre"]
    search_fields = ["title", "index_no", "doc_no"]
    list_select_related = ["publisher", "column", "column__parent"]
    date_hierarchy = "published_at"
    inlines = [AttachmentInline]
    exclude = ["body"]
    readonly_fields = [
        "title", "publisher", "status", "index_no", "doc_no", "issued_on", "column", "topic", "genre",
        "validity", "effective_on", "expired_on", "repealed_on", "summary", "keywords", "author",
        "approved_by", "approved_at", "return_reason", "published_at", "scheduled_at", "withdrawn_at",
        "withdrawal_reason", "created_at", "updated_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
