"""Who may do what with applications for disclosure. Views, services and templates ask these."""

from gongkai.orgs.auth import can_act_as
from gongkai.orgs.models import User
from gongkai.orgs.roles import OFFICE_HEAD, REQUEST_HANDLER, ROLES


def can_handle(user, organization) -> bool:
    """Register, correct, consult, decide and deliver: the agency's request handlers and its office head."""
    return can_act_as(user, REQUEST_HANDLER, organization) or can_act_as(user, OFFICE_HEAD, organization)


def can_extend(user, organization) -> bool:
    """第三十三条第二款: an extension needs the head of the disclosure office (工作机构负责人)."""
    return can_act_as(user, OFFICE_HEAD, organization)


def handlers_of(organization):
    """The people who can be given an application of ``organization`` to handle."""
    groups = [ROLES[REQUEST_HANDLER].group_name, ROLES[OFFICE_HEAD].group_name]
    return User.objects.filter(organization=organization, is_active=True, groups__name__in=groups).distinct()
