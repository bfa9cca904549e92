from django.contrib import admin

from gongkai.upstream.models import Attempt, OutboxItem, Upstream


@admin.register(Upstream)
class UpstreamAdmin(admin.ModelAdmin):
    """Administrators enter each platform's endpoint and credentials, and switch it on."""

    list_display = ("name", "code", "endpoint", "mapping_version", "batch_size", "is_enabled")
    list_editable = ("is_enabled",)


class ReadOnly(admin.ModelAdmin):
    """Written by the worker only; an administrator looks, and re-sends from the credit portal."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxItem)
class OutboxItemAdmin(ReadOnly):
    list_display = ("idempotency_key", "upstream", "status", "attempts", "receipt", "created_at", "delivered_at")
    list_filter = ("upstream", "status", "action", "record_type")
    search_fields = ("idempotency_key", "decision_number", "receipt")


@admin.register(Attempt)
class AttemptAdmin(ReadOnly):
    list_display = ("started_at", "upstream", "records", "delivered", "http_status", "failure", "duration_ms")
    list_filter = ("upstream", "failure")
