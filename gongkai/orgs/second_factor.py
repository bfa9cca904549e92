"""An optional second factor for staff (issue 9): a time-based code (TOTP, RFC 6238) from an authenticator app.

A member of staff turns it on for their own account (`enable`: the app scans the code shown, and the first code it
gives confirms it); from then on a login with the password alone reaches nothing but the page that asks for the
code (`SecondFactorMiddleware`), and the session counts as verified once a code matches (django-otp's
``otp_login``). A wrong code counts as a failed login of that name (gongkai.orgs.lockout), so guessing codes locks
the name like guessing passwords does; django-otp also slows each device down after each failure. A person who
lost their phone asks an administrator, who removes the factor (`remove`); every change is in the audit log.

The devices are django-otp's ``TOTPDevice`` (30-second steps, six digits, one step of drift either way).
"""

from __future__ import annotations

import base64

from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai import audit
from gongkai.orgs import lockout

DEVICE_NAME = "authenticator"
# What a signed-in person who still owes the code may reach: the page that asks for it (that page only: setting up
# or turning off the factor needs the code first), logging out, the language and display switches, static files.
VERIFY_PATH = "/accounts/second-factor/"
OPEN_PREFIXES = ("/accounts/logout/", "/i18n/", "/display/", "/static/", "/ping/")


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being set up for ``user``: one unconfirmed device, made on first use, with a new secret."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key in base 32, in groups of four, for typing into an app that cannot scan."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _code(token: str) -> str:
    return "".join(token.split())


@transaction.atomic
def enable(request: HttpRequest, token: str) -> bool:
    """Confirm the pending device with the first code the app shows; the session counts as verified."""
    user = request.user
    device = pending_device(user)
    if not device.verify_token(_code(token)):
        return False
    TOTPDevice.objects.devices_for_user(user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit.record(user, "account.second_factor_enabled", user, summary=f"启用两步验证：{user.username}")
    return True


def verify(request: HttpRequest, token: str) -> str | None:
    """Check a code at login. None when it matches (the session is verified now); otherwise why not, in Chinese
    and English. A wrong code is a failed login of the name."""
    user = request.user
    address = lockout.client_address(request)
    until = lockout.locked_until(user.username, address)
    if until is not None:
        return lockout.lockout_message(until)
    device = confirmed_device(user)
    if device is None:
        return None
    if device.verify_token(_code(token)):
        otp_login(request, device)
        lockout.forget(user.username)
        return None
    lockout.record_failure(user.username, address)
    return (
        "验证码不正确或已过期，请输入验证器当前显示的6位数字。 / "
        "The code is wrong or has expired: enter the six digits the app shows now."
    )


@transaction.atomic
def disable(request: HttpRequest, token: str) -> bool:
    """The person turns the factor off, proving it with a current code."""
    user = request.user
    device = confirmed_device(user)
    if device is None or not device.verify_token(_code(token)):
        return False
    TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
    audit.record(user, "account.second_factor_disabled", user, summary=f"关闭两步验证：{user.username}")
    return True


@transaction.atomic
def remove(user, *, by) -> bool:
    """An administrator removes ``user``'s second factor (a lost phone); True when there was one."""
    removed, _ = TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
    if removed:
        audit.record(by, "account.second_factor_removed", user, summary=f"管理员移除两步验证：{user.username}")
    return bool(removed)


def owes_code(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return False
    return user_has_device(user, confirmed=True)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a session whose user has a second factor but has not given a code reaches
    only the code's page and `OPEN_PREFIXES`; a page asks for the code (and comes back after), the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path == VERIFY_PATH or request.path.startswith(OPEN_PREFIXES) or not owes_code(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "需要两步验证码 / the second factor's code is required: sign in again on the site"},
                status=403,
            )
        return HttpResponseRedirect(f"{reverse('second_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
