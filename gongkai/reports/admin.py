from django.contrib import admin

from gongkai.admin_site import ReadOnlyAdmin
from gongkai.reports.models import AnnualReport, ReportReminder, ReportSettings


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
