"""依申请公开 and 咨询 on the staff workbench: what this user may open, and what is waiting."""

from dataclasses import dataclass

from django import template

from gongkai.orgs import auth as orgs_auth
from gongkai.orgs.roles import REVIEWER
from gongkai.requests import auth
from gongkai.requests.models import DisclosureRequest, Inquiry

register = template.Library()


@dataclass(frozen=True)
class RequestLinks:
    may_handle: bool
    mine: int = 0  # open applications the user handles
    unassigned: int = 0  # open applications of the user's organisations with no handler yet
    may_see_inquiries: bool = False
    unanswered: int = 0  # questions waiting for an answer
    to_publish: int = 0  # answered questions waiting for review


@register.simple_tag
def requests_workbench(user) -> RequestLinks:
    everything = list(orgs_auth.organizations_for(user))
    handled = [org for org in everything if auth.can_handle(user, org)]
    reviewed = [org for org in everything if orgs_auth.can_act_as(user, REVIEWER, org)]
    if not handled and not reviewed:
        return RequestLinks(False)
    open_ones = DisclosureRequest.objects.filter(organization__in=handled).open()
    questions = Inquiry.objects.filter(published_at__isnull=True)
    return RequestLinks(
        may_handle=bool(handled),
        mine=open_ones.filter(handler=user).count() if handled else 0,
        unassigned=open_ones.filter(handler=None).count() if handled else 0,
        may_see_inquiries=True,
        unanswered=questions.filter(organization__in=handled, answered_at__isnull=True).count() if handled else 0,
        to_publish=questions.filter(organization__in=reviewed, answered_at__isnull=False).count() if reviewed else 0,
    )
