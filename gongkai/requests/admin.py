from django.contrib import admin

from gongkai.requests.models import RequestSettings


@admin.register(RequestSettings)
class RequestSettingsAdmin(admin.ModelAdmin):
    """Administrators say which channels an agency has opened and how its reply letters are numbered."""

    list_display = ["organization", "online", "fax", "email", "letter_prefix"]
    list_select_related = ["organization"]
