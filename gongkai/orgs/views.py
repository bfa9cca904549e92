from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from gongkai.orgs import auth
from gongkai.orgs.roles import ROLES
from gongkai.workdays.services import calendar_warnings


@login_required
def workbench(request):
    """The staff home: who I am, for which organisation, in which roles, and what needs attention."""
    user = request.user
    roles = [ROLES[code] for code in auth.roles_of(user)]
    warnings = calendar_warnings(timezone.localdate()) if auth.is_administrator(user) else []
    return render(
        request,
        "orgs/workbench.html",
        {
            "roles": roles,
            "organizations": auth.organizations_for(user).select_related("parent"),
            "calendar_warnings": warnings,
            "is_administrator": auth.is_administrator(user),
        },
    )
