"""Who may submit 双公示 data for an organisation, see its submissions, release held ones, change the class of a
penalty and decide on credit repairs.

A department's submitters (报送单位填报员) and the credit officers (信用管理员) of an organisation upload for it
and see its submissions, late records and on-time rates; administrators act for every organisation. The credit
office works for the whole district: a credit officer sees every organisation's submissions, releases the
ones held for review, sets the 失信严重程度 of penalties and reviews the applications for credit repair.
"""

from gongkai.credit.models import Submission
from gongkai.orgs.auth import can_act_as, has_role, is_administrator, organizations_for
from gongkai.orgs.models import Organization
from gongkai.orgs.roles import CREDIT_OFFICER, DEPARTMENT_SUBMITTER


def can_submit(user, organization) -> bool:
    """Upload a file for ``organization`` and see its submissions."""
    if is_administrator(user):
        return True
    if can_act_as(user, DEPARTMENT_SUBMITTER, organization):
        return True
    return can_act_as(user, CREDIT_OFFICER, organization)


def can_release(user) -> bool:
    """Release a held submission of any organisation (the credit office works for the whole district)."""
    return has_role(user, CREDIT_OFFICER)


def submitting_organizations(user) -> list:
    """The organisations the user may upload for."""
    return [organization for organization in organizations_for(user) if can_submit(user, organization)]


def can_view(user, organization) -> bool:
    """See an organisation's submissions, late records and on-time rates."""
    return can_submit(user, organization) or can_release(user)


def viewable_submissions(user):
    """The submissions the user may open: the credit office sees them all, a department its own."""
    if can_release(user):
        return Submission.objects.all()
    return Submission.objects.filter(organization__in=submitting_organizations(user))


def viewable_organizations(user) -> list:
    """The organisations whose department page the user may open: every reporting one for the credit office."""
    if can_release(user):
        reporting = Organization.objects.filter(is_active=True, is_reporting=True)
        own = submitting_organizations(user)
        return own + [organization for organization in reporting if organization not in own]
    return submitting_organizations(user)


def can_set_severity(user) -> bool:
    """Change the 失信严重程度 of any penalty (and so its publicity period): the credit office."""
    return has_role(user, CREDIT_OFFICER)


def can_review_repairs(user) -> bool:
    """Approve, refuse or ask for more on any credit repair application: the credit office."""
    return has_role(user, CREDIT_OFFICER)
