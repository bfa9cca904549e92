"""Who prepares, signs off and sees an organisation's annual report, and who may see its statistics.

The annual report is the organisation's: its 公开办 staff (publishers, request handlers, the office head)
prepare it, the office head signs it off (条例第四十九条), a publisher makes it public as any publication.

The office head (公开办负责人) watches the dashboards of their own organisation: applications, replies and
publications, and its 双公示 figures when it reports them. The administrator sees every organisation. The credit
office (信用管理员) works for the whole district and sees the 双公示 figures of every reporting organisation; a
department's submitters see their own organisation's (as on their submissions page).
"""

from django.db.models import Q

from gongkai.credit import auth as credit_auth
from gongkai.orgs.auth import can_act_as, has_role, is_administrator
from gongkai.orgs.models import Organization
from gongkai.orgs.roles import CREDIT_OFFICER, DEPARTMENT_SUBMITTER, OFFICE_HEAD, PUBLISHER, REQUEST_HANDLER, REVIEWER

# --- the annual report ------------------------------------------------------------------------------------


def can_prepare(user, organization) -> bool:
    """The organisation's 公开办 staff draft the report: its publishers, request handlers and office head."""
    return any(can_act_as(user, role, organization) for role in (PUBLISHER, REQUEST_HANDLER, OFFICE_HEAD))


def can_sign_off(user, organization) -> bool:
    """条例第四十九条 and the 2021 format: the report is the organisation's; its office head signs it off."""
    return can_act_as(user, OFFICE_HEAD, organization)


def can_view(user, organization) -> bool:
    return is_administrator(user) or can_prepare(user, organization)


def can_publish(user, organization) -> bool:
    """The catalogue's rule for making an approved item public (`catalog.auth.can_publish`)."""
    return can_act_as(user, PUBLISHER, organization) or can_act_as(user, REVIEWER, organization)


def can_view_roll_up(user, government) -> bool:
    """Each member's share of a government's report, and the members whose reports disagree with the data: the
    government's office head (who signs the report off), and administrators."""
    return is_administrator(user) or can_sign_off(user, government)


def can_configure_roll_up(user) -> bool:
    """Whose figures a government's report adds up is the installation's configuration: administrators."""
    return is_administrator(user)


# --- statistics -------------------------------------------------------------------------------------------


def can_view_statistics(user, organization) -> bool:
    """Applications, replies and publications of ``organization``: its office head, and administrators."""
    if is_administrator(user):
        return True
    return can_act_as(user, OFFICE_HEAD, organization)


def can_view_credit_statistics(user, organization) -> bool:
    """双公示 on-time and error rates of ``organization``: only of a reporting organisation, to whoever may see
    its dashboard or its submissions (the credit office sees every reporting organisation)."""
    if not organization.is_reporting:
        return False
    if can_view_statistics(user, organization):
        return True
    return credit_auth.can_view(user, organization)


def can_view_any_statistics(user, organization) -> bool:
    return can_view_statistics(user, organization) or can_view_credit_statistics(user, organization)


def can_view_district_credit(user) -> bool:
    """The 双公示 figures of every reporting organisation side by side: the credit office and administrators."""
    return is_administrator(user) or has_role(user, CREDIT_OFFICER)


def statistics_organizations(user):
    """The active organisations of which the user may see some statistics (`can_view_any_statistics`), in the
    site's order, in one query of the organisations however many there are."""
    organizations = Organization.objects.active()
    if is_administrator(user):
        return organizations
    if not user.is_authenticated or not user.is_active:
        return organizations.none()
    visible = Q(pk__in=[])
    own = user.organization_id
    if has_role(user, CREDIT_OFFICER):
        visible |= Q(is_reporting=True)
    if own is not None and has_role(user, OFFICE_HEAD):
        visible |= Q(pk=own)
    if own is not None and has_role(user, DEPARTMENT_SUBMITTER):
        visible |= Q(pk=own, is_reporting=True)
    return organizations.filter(visible)
