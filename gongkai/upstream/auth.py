"""Who watches the pushes upstream and re-sends: the credit office (信用管理员), which works for the district."""

from gongkai.orgs.auth import has_role, is_administrator
from gongkai.orgs.roles import CREDIT_OFFICER


def can_watch(user) -> bool:
    return is_administrator(user) or has_role(user, CREDIT_OFFICER)


def can_resend(user) -> bool:
    return can_watch(user)
