from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.admin_site import ReadOnlyAdmin
from gongkai.orgs import lockout, second_factor
from gongkai.orgs.models import Department, LoginFailure, Organization, User
from gongkai.orgs.services import save_organization


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "uscc", "parent", "is_reporting", "is_active"]
    list_filter = ["kind", "is_reporting", "is_active"]
    search_fields = ["name", "short_name", "uscc"]
    prepopulated_fields = {}
    inlines = [DepartmentInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "parent", "sort_order", "is_active"]}),
        (_("代码"), {"fields": ["uscc", "region_code", "is_reporting"]}),
        (_("联系方式"), {"fields": ["address", "postcode", "phone", "fax", "email", "office_hours"]}),
        (_("网站备案"), {"fields": ["site_id_code", "icp_record", "police_record"]}),
    ]

    def save_model(self, request, obj, form, change):
        save_organization(obj, by=request.user, changed_fields=form.changed_data if change else ())


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_disclosure_office"]
    list_filter = ["organization"]
    search_fields = ["name"]


# Second factors are removed only through the users' action below, which writes the audit log.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "organization", "department", "is_active", "is_staff"]
    list_filter = ["organization", "groups", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("机构"), {"fields": ["display_name", "organization", "department"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("机构"), {"fields": ["display_name", "organization", "department"]}),
    ]
    actions = ["remove_second_factor"]

    @admin.action(description=_("移除所选用户的两步验证（手机丢失时）"))
    def remove_second_factor(self, request, queryset):
        removed = [user.username for user in queryset if second_factor.remove(user, by=request.user)]
        self.message_user(request, _("已移除两步验证：%(names)s") % {"names": "、".join(removed) or "—"})


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    """Failed logins that still count towards a lock-out; an administrator unlocks a name from here (audited)."""

    list_display = ["username", "address", "at"]
    search_fields = ["username", "address"]
    actions = ["unlock"]

    @admin.action(description=_("解除所选用户名的登录锁定"))
    def unlock(self, request, queryset):
        names = sorted(set(queryset.values_list("username", flat=True)))
        for name in names:
            lockout.unlock(name, by=request.user)
        self.message_user(request, _("已解除锁定：%(names)s") % {"names": "、".join(names)})
