from django.contrib import admin

from gongkai.admin_site import ReadOnlyAdmin
from gongkai.upstream.models import Attempt, OutboxItem, Upstream


@admin.register(Upstream)
class UpstreamAdmin(admin.ModelAdmin):
    """Administrators enter each platform's endpoint and credentials, and switch it on. A platform switched on
    has not heard of what was published before: its reconciliation page (上级平台报送) lists those records and
    queues them (全部报送)."""

    list_display = ("name", "code", "endpoint", "mapping_version", "batch_size", "is_enabled")
    list_editable = ("is_enabled",)


@admin.register(OutboxItem)
class OutboxItemAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "upstream", "status", "attempts", "receipt", "created_at", "delivered_at")
    list_filter = ("upstream", "status", "action", "record_type")
    search_fields = ("receipt",)


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "upstream", "records", "delivered", "http_status", "failure", "duration_ms")
    list_filter = ("upstream", "failure")
