"""The optional second factor for staff (issue 9): a member of staff turns on a TOTP code from an authenticator app;
from then on the password alone reaches only the page that asks for the code, wrong codes count as failed logins,
turning it off needs a code, an administrator removes a lost one, and each change is in the audit log."""

import datetime

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.models import AuditEvent
from gongkai.orgs import second_factor
from gongkai.orgs.demo import DEMO_PASSWORD
from gongkai.orgs.models import User

pytestmark = pytest.mark.django_db


def _start_of_a_step() -> datetime.datetime:
    """The start of the current 30-second step: codes are computed and given within it. (Not a fixed day: a session
    saved in the past would have expired when the test returns to the present.)"""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return now - datetime.timedelta(seconds=now.second % 30)


T0 = _start_of_a_step()
VERIFY = "/accounts/second-factor/"
SETUP = "/accounts/second-factor/setup/"


def code(device: TOTPDevice, at: datetime.datetime) -> str:
    """What the authenticator app shows at ``at``."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def signed_in(username: str = "publisher") -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def with_factor(username: str = "publisher") -> TOTPDevice:
    user = User.objects.get(username=username)
    return TOTPDevice.objects.create(user=user, name=second_factor.DEVICE_NAME, confirmed=True)


def test_without_a_second_factor_the_password_is_enough(demo):
    assert signed_in().get("/staff/").status_code == 200


def test_turning_it_on_shows_a_code_to_scan_and_needs_the_first_code_from_the_app(demo):
    client = signed_in()
    with time_machine.travel(T0, tick=False):
        page = client.get(SETUP).content.decode()
        qr = client.get("/accounts/second-factor/setup/qr.svg")
        device = TOTPDevice.objects.get(user__username="publisher", confirmed=False)
        wrong = client.post(SETUP, {"token": "000000" if code(device, T0) != "000000" else "111111"})
    with time_machine.travel(T0 + datetime.timedelta(seconds=5), tick=False):  # past django-otp's 1 s slow-down
        right = client.post(SETUP, {"token": code(device, T0)})

    assert 'src="/accounts/second-factor/setup/qr.svg"' in page and second_factor.secret_of(device) in page
    assert qr["Content-Type"] == "image/svg+xml" and qr["Cache-Control"] == "no-store" and b"<svg" in qr.content
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert right.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditEvent.objects.filter(action="account.second_factor_enabled", summary__contains="publisher").exists()
    assert client.get("/staff/").status_code == 200  # this session gave the code


def test_with_a_second_factor_the_password_alone_reaches_only_the_code_page(demo):
    device = with_factor()
    client = signed_in()

    assert client.get("/staff/")["Location"] == f"{VERIFY}?next=%2Fstaff%2F"
    assert client.get("/admin/").status_code == 302
    api = client.get("/api/v1/publications/")
    assert api.status_code == 403 and "second factor" in api.json()["detail"]
    with time_machine.travel(T0, tick=False):
        given = client.post(VERIFY, {"token": code(device, T0), "next": "/staff/"})

    assert given.status_code == 302 and given["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_setting_up_or_turning_off_the_factor_needs_the_code_first(demo):
    """Someone who has only the password cannot put their own app in place of the owner's."""
    device = with_factor()
    client = signed_in()

    assert client.get(SETUP).status_code == 302
    assert client.post(SETUP, {"token": "123456"}).status_code == 302
    assert client.post("/accounts/second-factor/off/", {"token": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.values_list("pk", "confirmed")) == [(device.pk, True)]


def test_a_wrong_code_is_a_failed_login_and_five_lock_the_name(demo):
    device = with_factor()
    client = signed_in()
    with time_machine.travel(T0, tick=False):
        right = code(device, T0)
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(5):
            response = client.post(VERIFY, {"token": wrong})
            assert response.status_code == 403 and "验证码不正确或已过期" in response.content.decode()
        locked = client.post(VERIFY, {"token": right})

    assert "登录失败次数过多" in locked.content.decode()
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(action="account.locked_out").exists()


def test_turning_it_off_needs_a_current_code(demo):
    device = with_factor()
    client = signed_in()
    with time_machine.travel(T0, tick=False):
        client.post(VERIFY, {"token": code(device, T0)})
    later = T0 + datetime.timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        client.post("/accounts/second-factor/off/", {"token": "12"})
        assert TOTPDevice.objects.filter(pk=device.pk).exists()
    with time_machine.travel(later + datetime.timedelta(seconds=5), tick=False):
        client.post("/accounts/second-factor/off/", {"token": code(device, later)})

    assert not TOTPDevice.objects.exists()
    assert AuditEvent.objects.filter(action="account.second_factor_disabled").exists()
    assert signed_in().get("/staff/").status_code == 200


def test_an_administrator_removes_a_lost_factor_in_the_admin_and_it_is_audited(demo):
    with_factor("publisher")
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    publisher = User.objects.get(username="publisher")

    response = admin.post(
        "/admin/orgs/user/", {"action": "remove_second_factor", "_selected_action": [publisher.pk]}, follow=True
    )

    assert "已移除两步验证：publisher" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    event = AuditEvent.objects.get(action="account.second_factor_removed")
    assert event.actor.username == "admin" and "publisher" in event.summary
    assert signed_in().get("/staff/").status_code == 200


def test_second_factors_are_not_edited_in_the_admin_around_the_audit_log(demo):
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))

    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_the_second_factor_pages_in_english_have_no_untranslated_chinese(demo, latin_names, untranslated):
    client = signed_in()
    setup = client.get(SETUP, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with_factor("reviewer")
    owing = signed_in("reviewer")
    verify = owing.get(VERIFY, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Two-step verification" in setup and "six-digit code" in verify
    assert untranslated(setup) == [] and untranslated(verify) == []
