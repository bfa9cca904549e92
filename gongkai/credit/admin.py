from django.contrib import admin

from gongkai.credit.models import CreditSettings, SubmissionToken


@admin.register(CreditSettings)
class CreditSettingsAdmin(admin.ModelAdmin):
    list_display = ["organization", "hold_for_review", "publish_warnings"]
    list_select_related = ["organization"]


@admin.register(SubmissionToken)
class SubmissionTokenAdmin(admin.ModelAdmin):
    """Administrators issue an organisation's key; it is shown here once created, and can be revoked."""

    list_display = ["organization", "name", "created_at", "revoked"]
    readonly_fields = ["key", "created_at"]
    list_select_related = ["organization"]
