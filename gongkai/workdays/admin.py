"""Administrators enter next year's calendar here: a year with its special days, a CSV import, and the
action that marks a year complete. Every save goes through `gongkai.workdays.services`."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from gongkai.workdays import services
from gongkai.workdays.models import CalendarDay, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "is_working_day", "name", "source"]
    extra = 3
    ordering = ["date"]


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV文件"),
        help_text=_("UTF-8编码，表头 date,type,name[,source]；type 为“休”或“班”。"),
    )
    source = forms.CharField(
        label=_("依据"),
        max_length=200,
        required=False,
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）"),
    )
    complete = forms.BooleanField(label=_("导入后标记为完整"), required=False)
    replace = forms.BooleanField(label=_("替换已完整的年份"), required=False)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "complete",
        "holiday_count",
        "make_up_count",
        "source",
        "completed_at",
        "completed_by",
    ]
    list_filter = ["complete"]
    readonly_fields = ["complete", "completed_at", "completed_by", "updated_at"]
    inlines = [CalendarDayInline]
    actions = ["mark_complete", "reopen"]

    def get_queryset(self, request: HttpRequest):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset(request)
            .select_related("completed_by")
            .annotate(
                holiday_count=Count("days", filter=Q(days__is_working_day=False)),
                make_up_count=Count("days", filter=Q(days__is_working_day=True)),
            )
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*self.readonly_fields, "year"] if obj is not None else self.readonly_fields

    @admin.display(description=_("节假日"), ordering="holiday_count")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj.holiday_count

    @admin.display(description=_("调休上班日"), ordering="make_up_count")
    def make_up_count(self, obj: CalendarYear) -> int:
        return obj.make_up_count

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A year is never deleted (deadlines were computed with it); take back its mark instead.
        return False

    # --- saving goes through the services ---------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: CalendarYear, form, change: bool) -> None:
        if change and not form.has_changed():
            return  # only the days changed; save_formset records those
        services.save_year(obj.year, source=obj.source, by=request.user)
        obj._state.adding = False
        obj.refresh_from_db()

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not CalendarDay:
            return super().save_formset(request, form, formset, change)
        # 1. Deleted rows first, so that a date removed and entered again in one save is not a duplicate.
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk is not None:
                services.delete_day(inline_form.initial["date"], by=request.user)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if not data:
                continue
            # 2. A row whose date changed leaves its old date.
            old_date = inline_form.initial.get("date") if inline_form.instance.pk is not None else None
            if old_date is not None and old_date != data["date"]:
                services.delete_day(old_date, by=request.user)
            services.set_day(
                data["date"],
                is_working_day=data["is_working_day"],
                name=data["name"],
                source=data.get("source", ""),
                by=request.user,
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    # --- actions ----------------------------------------------------------------------------------

    @admin.action(description=_("标记为完整 (mark complete)"), permissions=["change"])
    def mark_complete(self, request: HttpRequest, queryset) -> None:
        for calendar_year in queryset.order_by("year"):
            try:
                services.mark_year_complete(calendar_year.year, by=request.user)
            except services.CalendarError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{calendar_year.year}年工作日历已标记为完整。 The {calendar_year.year} calendar is now complete.",
                    messages.SUCCESS,
                )

    @admin.action(description=_("取消完整标记 (reopen)"), permissions=["change"])
    def reopen(self, request: HttpRequest, queryset) -> None:
        for calendar_year in queryset.order_by("year"):
            try:
                services.reopen_year(calendar_year.year, reason="管理界面 admin", by=request.user)
            except services.CalendarError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{calendar_year.year}年工作日历已取消完整标记。 The {calendar_year.year} calendar is reopened.",
                    messages.WARNING,
                )

    # --- CSV import screen ------------------------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="workdays_calendaryear_import",
            )
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        errors: list[str] = []
        if request.method == "POST":
            form = CalendarImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    rows = services.read_calendar_csv(form.cleaned_data["file"].read())
                    result = services.import_year(
                        rows,
                        source=form.cleaned_data["source"],
                        complete=form.cleaned_data["complete"],
                        replace=form.cleaned_data["replace"],
                        by=request.user,
                    )
                except services.CalendarError as exc:
                    errors = exc.errors
                    form.add_error(None, ValidationError(_("导入失败，未做任何修改。 Nothing was imported.")))
                else:
                    self.message_user(
                        request,
                        f"已导入{result.year}年：{result.holidays}个节假日、"
                        f"{result.make_up_working_days}个调休上班日。 "
                        f"Imported {result.year}: {result.holidays} holidays, "
                        f"{result.make_up_working_days} make-up working days.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(f"{self.admin_site.name}:workdays_calendaryear_change", args=[result.year])
                    )
        else:
            form = CalendarImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("导入工作日历"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/import.html", context)
