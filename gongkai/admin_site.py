from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GongkaiAdminSite(admin.AdminSite):
    site_header = _("公开 Gongkai 系统管理")
    site_title = _("公开 Gongkai")
    index_title = _("系统管理")

    @property
    def login_form(self):
        from gongkai.orgs.lockout import AdminLoginForm  # the app registry is not ready when the site is made

        return AdminLoginForm

    def each_context(self, request):
        from gongkai.workdays.services import calendar_warnings

        context = super().each_context(request)
        # Only those who can enter the calendar are told it is missing (not the login page's visitors).
        if request.user.is_active and request.user.has_perm("workdays.change_calendaryear"):
            context["calendar_warnings"] = calendar_warnings(timezone.localdate())
        return context


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows only the application writes (the audit log, findings, the outbox, reports): the admin looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GongkaiAdminConfig(AdminConfig):
    default_site = "gongkai.admin_site.GongkaiAdminSite"
