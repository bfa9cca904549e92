"""依申请公开's block on the staff workbench: may this user handle applications, and how many are open."""

from dataclasses import dataclass

from django import template

from gongkai.orgs import auth as orgs_auth
from gongkai.requests import auth
from gongkai.requests.models import DisclosureRequest

register = template.Library()


@dataclass(frozen=True)
class RequestLinks:
    may_handle: bool
    mine: int  # open applications the user handles
    unassigned: int  # open applications of the user's organisations with no handler yet


@register.simple_tag
def requests_workbench(user) -> RequestLinks:
    organizations = [org for org in orgs_auth.organizations_for(user) if auth.can_handle(user, org)]
    if not organizations:
        return RequestLinks(False, 0, 0)
    open_ones = DisclosureRequest.objects.filter(organization__in=organizations).open()
    return RequestLinks(True, open_ones.filter(handler=user).count(), open_ones.filter(handler=None).count())
