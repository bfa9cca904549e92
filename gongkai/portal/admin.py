from django.contrib import admin

from gongkai.portal.models import SiteSettings
from gongkai.portal.services import save_site_settings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["title", "domain", "host", "credit_site_name"]

    def has_add_permission(self, request) -> bool:
        # One row only; it is created on first use and edited, never added or deleted.
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        save_site_settings(obj, by=request.user, changed_fields=form.changed_data)
