"""Access predicates for organisations and people. Views, the API and templates all ask these."""

from gongkai.orgs.models import Organization, User
from gongkai.orgs.roles import ADMINISTRATOR, ROLES


def has_role(user, role_code: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    group_name = ROLES[role_code].group_name
    return any(group.name == group_name for group in user.groups.all())


def roles_of(user) -> list[str]:
    return [code for code in ROLES if has_role(user, code)]


def is_administrator(user) -> bool:
    return has_role(user, ADMINISTRATOR)


def belongs_to(user, organization: Organization) -> bool:
    """Staff act for their own organisation only; administrators act for every organisation."""
    if is_administrator(user):
        return True
    return user.is_authenticated and user.organization_id == organization.pk


def can_act_as(user, role_code: str, organization: Organization) -> bool:
    return has_role(user, role_code) and belongs_to(user, organization)


def organizations_for(user):
    """The organisations whose staff pages the user may see."""
    if is_administrator(user):
        return Organization.objects.all()
    if not user.is_authenticated or user.organization_id is None:
        return Organization.objects.none()
    return Organization.objects.filter(pk=user.organization_id)


def can_manage_users(user: User) -> bool:
    return is_administrator(user)
