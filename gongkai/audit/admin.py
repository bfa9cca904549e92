from django.contrib import admin

from gongkai.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["seq", "at", "actor_label", "organization", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "organization"]
    search_fields = ["action", "summary", "actor_label", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
