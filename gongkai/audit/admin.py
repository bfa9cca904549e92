from django.contrib import admin

from gongkai.admin_site import ReadOnlyAdmin
from gongkai.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor_label", "organization", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "organization"]
    search_fields = ["action", "summary", "actor_label", "object_id"]
    date_hierarchy = "at"
