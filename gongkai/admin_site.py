from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GongkaiAdminSite(admin.AdminSite):
    site_header = _("公开 Gongkai 系统管理")
    site_title = _("公开 Gongkai")
    index_title = _("系统管理")

    def each_context(self, request):
        from gongkai.workdays.services import calendar_warnings

        context = super().each_context(request)
        context["calendar_warnings"] = calendar_warnings(timezone.localdate())
        return context


class GongkaiAdminConfig(AdminConfig):
    default_site = "gongkai.admin_site.GongkaiAdminSite"
