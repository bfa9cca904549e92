"""Staff roles. Each role is a Django group; which permissions it carries is declared here, as data.

Later capabilities add their permissions to these lists; ``sync_roles()`` runs after every migrate.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str  # the Chinese name the group carries in the admin
    label: str
    permissions: tuple[str, ...] = field(default=())  # "app_label.codename"


PUBLISHER = "publisher"
REVIEWER = "reviewer"
REQUEST_HANDLER = "request_handler"
OFFICE_HEAD = "office_head"
CREDIT_OFFICER = "credit_officer"
DEPARTMENT_SUBMITTER = "department_submitter"
ADMINISTRATOR = "administrator"

ROLES: dict[str, Role] = {
    role.code: role
    for role in [
        Role(PUBLISHER, "信息发布员", _("信息发布员")),
        Role(REVIEWER, "保密审查员", _("保密审查员")),
        Role(REQUEST_HANDLER, "依申请公开经办人", _("依申请公开经办人")),
        Role(OFFICE_HEAD, "公开办负责人", _("公开办负责人"), ("audit.view_auditevent",)),
        Role(CREDIT_OFFICER, "信用管理员", _("信用管理员")),
        Role(DEPARTMENT_SUBMITTER, "报送单位填报员", _("报送单位填报员")),
        Role(
            ADMINISTRATOR,
            "系统管理员",
            _("系统管理员"),
            (
                "orgs.add_organization",
                "orgs.change_organization",
                "orgs.view_organization",
                "orgs.add_department",
                "orgs.change_department",
                "orgs.view_department",
                "orgs.delete_department",
                "orgs.add_user",
                "orgs.change_user",
                "orgs.view_user",
                "orgs.view_loginfailure",
                "auth.view_group",
                "audit.view_auditevent",
                "workdays.add_calendaryear",
                "workdays.change_calendaryear",
                "workdays.view_calendaryear",
                "workdays.add_calendarday",
                "workdays.change_calendarday",
                "workdays.view_calendarday",
                "workdays.delete_calendarday",
                "catalog.add_column", "catalog.change_column", "catalog.view_column",
                "catalog.add_topic", "catalog.change_topic", "catalog.view_topic",
                "catalog.add_genre", "catalog.change_genre", "catalog.view_genre",
                "catalog.add_indexnumberpolicy", "catalog.change_indexnumberpolicy", "catalog.view_indexnumberpolicy",
                "catalog.add_guide", "catalog.change_guide", "catalog.view_guide",
                "catalog.view_publication", "catalog.view_attachment",
                "portal.change_sitesettings",
                "portal.view_sitesettings",
                "disclosure_requests.add_requestsettings",
                "disclosure_requests.change_requestsettings",
                "disclosure_requests.view_requestsettings",
                "authtoken.add_tokenproxy",
                "authtoken.view_tokenproxy",
                "authtoken.delete_tokenproxy",
                "credit.add_creditsettings", "credit.change_creditsettings", "credit.view_creditsettings",
                "credit.add_submissiontoken", "credit.change_submissiontoken", "credit.view_submissiontoken",
                "credit.add_fieldrequirement", "credit.change_fieldrequirement", "credit.view_fieldrequirement",
                "credit.delete_fieldrequirement",
                "credit.add_codelistentry", "credit.change_codelistentry", "credit.view_codelistentry",
                "credit.delete_codelistentry",
                "credit.add_publicityrule", "credit.change_publicityrule", "credit.view_publicityrule",
                "upstream.add_upstream", "upstream.change_upstream", "upstream.view_upstream",
                "upstream.view_outboxitem", "upstream.view_attempt",
                "reports.add_reportsettings", "reports.change_reportsettings", "reports.view_reportsettings",
                "reports.view_annualreport", "reports.view_reportreminder",
                "reports.add_rollup", "reports.change_rollup", "reports.view_rollup", "reports.delete_rollup",
            ),
        ),
    ]
}

# Roles whose holders work in the Django admin.
STAFF_ROLES = {ADMINISTRATOR}
