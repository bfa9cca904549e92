"""Login throttling and lock-out (issue 9): repeated failures lock a user name, and an address, for a while.

A name is locked while it has `LOGIN_FAILURE_LIMIT` failed logins within the last `LOGIN_FAILURE_WINDOW` seconds;
an address while it has `LOGIN_ADDRESS_FAILURE_LIMIT` (one address trying many names). The lock lifts by itself
when the oldest of those failures leaves the window; a successful login forgets the name's failures, and an
administrator can unlock a name at once (`unlock`). Locking out is written to the audit log.

`LockoutBackend` applies it to every login, the staff login page's and the admin's alike; `LockoutFormMixin` tells
the person at the login form, in Chinese and English, until when they must wait.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai import audit
from gongkai.orgs.models import LoginFailure


@dataclass(frozen=True)
class Policy:
    limit: int  # failures of one name
    address_limit: int  # failures from one address, whatever the names
    window: datetime.timedelta

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            limit=settings.LOGIN_FAILURE_LIMIT,
            address_limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            window=datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW),
        )


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind the site's own proxy (BEHIND_PROXY) the address the proxy saw,
    which it appends last to X-Forwarded-For (nginx's ``proxy_add_x_forwarded_for``)."""
    if request is None:
        return None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _until(failures, limit: int, window: datetime.timedelta) -> datetime.datetime | None:
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    return times[-1] + window if len(times) >= limit else None


def locked_until(username: str | None, address: str | None, *, now=None) -> datetime.datetime | None:
    """When the lock on ``username`` or ``address`` lifts, if either is locked now."""
    policy = Policy.from_settings()
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(at__gt=now - policy.window)
    ends = []
    if username:
        ends.append(_until(recent.filter(username=username), policy.limit, policy.window))
    if address:
        ends.append(_until(recent.filter(address=address), policy.address_limit, policy.window))
    ends = [end for end in ends if end is not None and end > now]
    return max(ends) if ends else None


@transaction.atomic
def record_failure(username: str, address: str | None) -> None:
    """One more failed login; the one that reaches a limit is written to the audit log. Failures that can no
    longer count are deleted on the way."""
    policy = Policy.from_settings()
    now = timezone.now()
    LoginFailure.objects.filter(at__lte=now - policy.window).delete()
    LoginFailure.objects.create(username=username[:150], address=address, at=now)
    recent = LoginFailure.objects.filter(at__gt=now - policy.window)
    by_name = recent.filter(username=username[:150]).count()
    by_address = recent.filter(address=address).count() if address else 0
    if by_name == policy.limit or by_address == policy.address_limit:
        audit.record(
            None, "account.locked_out", summary=f"登录失败次数过多，已锁定：{username}（{address or '-'}）",
            username=username, address=address, failures_of_name=by_name, failures_from_address=by_address,
        )  # fmt: skip


def forget(username: str) -> None:
    """A successful login: the name's earlier failures no longer count."""
    LoginFailure.objects.filter(username=username).delete()


@transaction.atomic
def unlock(username: str, *, by) -> int:
    """An administrator lifts the lock on a name (its failures are deleted); returns how many were deleted."""
    deleted, _ = LoginFailure.objects.filter(username=username).delete()
    audit.record(by, "account.unlocked", summary=f"解除登录锁定：{username}", username=username, failures=deleted)
    return deleted


def lockout_message(until: datetime.datetime) -> str:
    at = timezone.localtime(until).strftime("%H:%M")
    return (
        f"登录失败次数过多，请于{at}后再试，或请系统管理员解除锁定。 "
        f"Too many failed logins: try again after {at}, or ask an administrator to unlock the account."
    )


class LockoutBackend(ModelBackend):
    """Django's own backend, refusing while the name or the address is locked and counting each failure."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        address = client_address(request)
        if locked_until(username, address) is not None:
            raise PermissionDenied  # Django stops trying other backends; the form says why
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username:
            record_failure(username, address)
        elif user is not None:
            forget(username)
        return user


class LockoutFormMixin:
    """For the login forms: a locked name or address is told until when, before the password is checked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        until = locked_until(username, client_address(self.request))
        if until is not None:
            raise forms.ValidationError(lockout_message(until), code="locked_out")
        return super().clean()


class LoginForm(LockoutFormMixin, AuthenticationForm):
    """The staff login page's form."""


class AdminLoginForm(LockoutFormMixin, AdminAuthenticationForm):
    """The admin's login form."""
