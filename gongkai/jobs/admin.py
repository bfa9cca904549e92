from django.contrib import admin

from gongkai.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "run_at", "attempts", "claimed_by", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "unique_key", "last_error"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False
