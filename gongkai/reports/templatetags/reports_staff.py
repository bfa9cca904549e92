"""The workbench's section on the annual report and the statistics."""

from django import template
from django.utils import timezone

from gongkai.orgs.auth import organizations_for
from gongkai.reports import auth

register = template.Library()


@register.simple_tag
def reports_workbench(user) -> dict:
    return {
        "may_see_reports": any(auth.can_view(user, o) for o in organizations_for(user)),
        "may_see_statistics": auth.statistics_organizations(user).exists(),
        "may_see_district": auth.can_view_district_credit(user),
        "year": timezone.localdate().year,
    }
