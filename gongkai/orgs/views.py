import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.orgs import auth, second_factor
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


# --- the second factor (两步验证) ------------------------------------------------------------------------------


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else reverse("orgs:workbench")


@login_required
def second_factor_verify(request):
    """After the password: the code from the authenticator app, for an account that has a second factor."""
    if not second_factor.owes_code(request):
        return HttpResponseRedirect(_safe_next(request))
    error = ""
    if request.method == "POST":
        error = second_factor.verify(request, request.POST.get("token", ""))
        if not error:
            return HttpResponseRedirect(_safe_next(request))
    context = {"error": error, "next": _safe_next(request)}
    return render(request, "orgs/second_factor_verify.html", context, status=403 if error else 200)


@login_required
def second_factor_setup(request):
    """Turn the second factor on (scan, then confirm with a code) or see that it is on and turn it off."""
    enabled = second_factor.confirmed_device(request.user) is not None
    error = ""
    if request.method == "POST" and not enabled:
        if second_factor.enable(request, request.POST.get("token", "")):
            messages.success(request, _("两步验证已启用：以后登录时还需输入验证器中的验证码。"))
            return redirect("second_factor_setup")
        error = _("验证码不正确：请输入验证器当前显示的6位数字。")
    secret = "" if enabled else second_factor.secret_of(second_factor.pending_device(request.user))
    context = {"enabled": enabled, "secret": secret, "error": error}
    return render(request, "orgs/second_factor_setup.html", context, status=400 if error else 200)


@login_required
def second_factor_qr(request):
    """The pending device's key as a QR code for the app to scan (SVG, never kept by a cache)."""
    if second_factor.confirmed_device(request.user) is not None:
        return HttpResponse(status=404)
    buffer = io.BytesIO()
    segno.make(second_factor.pending_device(request.user).config_url, error="m").save(buffer, kind="svg", scale=5)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def second_factor_disable(request):
    if second_factor.disable(request, request.POST.get("token", "")):
        messages.success(request, _("两步验证已关闭。"))
    else:
        messages.error(request, _("验证码不正确，两步验证未关闭。"))
    return redirect("second_factor_setup")
