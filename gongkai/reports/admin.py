from django import forms
from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gongkai.admin_site import ReadOnlyAdmin
from gongkai.reports import rollup, services
from gongkai.reports.models import AnnualReport, ReportReminder, ReportSettings, RollUp


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    """Each organisation's internal deadline for last year's report, and how early its office head is reminded."""

    list_display = ("organization", "deadline_month", "deadline_day", "remind_days_before")
    autocomplete_fields = ("organization",)


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "year", "format", "source", "status", "signed_off_at")
    list_filter = ("status", "source", "year")


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdmin):
    list_display = ("organization", "year", "kind", "recipients", "sent_at")


class RollUpForm(forms.ModelForm):
    class Meta:
        model = RollUp
        fields = ["government", "include_own", "members"]

    def clean(self):
        data = super().clean()
        government = data.get("government") or getattr(self.instance, "government", None)
        if government is not None:
            errors = rollup.membership_errors(government, data.get("members") or [], data.get("include_own", True))
            for name, message in errors.items():
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(RollUp)
class RollUpAdmin(admin.ModelAdmin):
    """Whose figures a government's annual report adds up. Saving and deleting go through the services (audited);
    a government with no row, or no members, adds up the default (`rollup.membership`)."""

    form = RollUpForm
    list_display = ("government", "include_own", "member_count")
    filter_horizontal = ("members",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("汇总的机关数"), ordering="member_count")
    def member_count(self, obj: RollUp) -> int:
        return obj.member_count

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("government",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: RollUp, form, change: bool) -> None:
        saved = services.configure_roll_up(
            obj.government, members=form.cleaned_data["members"], include_own=obj.include_own, by=request.user
        )
        obj.pk, obj._state.adding = saved.pk, False

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        pass  # configure_roll_up has set the members

    def delete_model(self, request: HttpRequest, obj: RollUp) -> None:
        services.remove_roll_up(obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
