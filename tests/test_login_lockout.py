"""Login throttling and lock-out (issue 9): five failures of one name within fifteen minutes lock it, twenty from one
address lock the address, on the staff login page and the admin's alike; the lock lifts by itself, a successful login
forgets the failures, an administrator unlocks a name; locking and unlocking are in the audit log."""

import datetime

import pytest
import time_machine
from django.contrib.auth import authenticate

from gongkai.audit.models import AuditEvent
from gongkai.orgs import lockout
from gongkai.orgs.demo import DEMO_PASSWORD
from gongkai.orgs.models import LoginFailure, User

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def log_in(client, username, password, *, address="203.0.113.7", path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_name_even_with_the_right_one_and_say_until_when(client, demo):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            response = log_in(client, "publisher", "wrong")
            assert response.status_code == 200 and "_auth_user_id" not in client.session
        assert "请于17:15后再试" not in response.content.decode()  # the fifth is an ordinary wrong password

        response = log_in(client, "publisher", DEMO_PASSWORD)

    page = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "登录失败次数过多，请于17:15后再试" in page and "try again after 17:15" in page  # 09:15 UTC in Shanghai
    event = AuditEvent.objects.get(action="account.locked_out")
    assert event.data["username"] == "publisher" and event.data["failures_of_name"] == 5


def test_the_lock_lifts_by_itself_when_the_failures_leave_the_window(client, demo):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            log_in(client, "publisher", "wrong")
    with time_machine.travel(T0 + datetime.timedelta(minutes=14, seconds=59), tick=False):
        log_in(client, "publisher", DEMO_PASSWORD)
        assert "_auth_user_id" not in client.session
    with time_machine.travel(T0 + datetime.timedelta(minutes=15, seconds=1), tick=False):
        response = log_in(client, "publisher", DEMO_PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(User.objects.get(username="publisher").pk)


def test_a_successful_login_forgets_the_earlier_failures(client, demo):
    for _ in range(4):
        log_in(client, "publisher", "wrong")
    assert log_in(client, "publisher", DEMO_PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="publisher").exists()
    client.logout()
    for _ in range(4):
        log_in(client, "publisher", "wrong")
    assert log_in(client, "publisher", DEMO_PASSWORD).status_code == 302  # four again: not five


def test_one_address_trying_many_names_is_locked_and_other_addresses_are_not(client, demo, settings):
    for number in range(20):
        log_in(client, f"guess{number}", "wrong", address="198.51.100.9")
    response = log_in(client, "publisher", DEMO_PASSWORD, address="198.51.100.9")
    assert "登录失败次数过多" in response.content.decode() and "_auth_user_id" not in client.session
    assert log_in(client, "publisher", DEMO_PASSWORD, address="192.0.2.1").status_code == 302
    assert AuditEvent.objects.get(action="account.locked_out").data["failures_from_address"] == 20


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(rf, settings):
    request = rf.post("/accounts/login/", HTTP_X_FORWARDED_FOR="10.9.8.7, 198.51.100.9", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_PROXY = False
    assert lockout.client_address(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    assert lockout.client_address(request) == "198.51.100.9"  # the client cannot choose it by sending the header


def test_the_admin_login_is_locked_the_same_way(client, demo):
    for _ in range(5):
        log_in(client, "admin", "wrong", path="/admin/login/")
    response = log_in(client, "admin", DEMO_PASSWORD, path="/admin/login/")
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_every_way_in_through_a_password_is_refused_while_locked(demo):
    for _ in range(5):
        authenticate(None, username="publisher", password="wrong")
    assert authenticate(None, username="publisher", password=DEMO_PASSWORD) is None
    assert LoginFailure.objects.filter(username="publisher").count() == 5  # refusals while locked add nothing


def test_an_administrator_unlocks_a_name_in_the_admin(client, demo):
    for _ in range(5):
        log_in(client, "publisher", "wrong")
    admin_client = client.__class__()
    assert log_in(admin_client, "admin", DEMO_PASSWORD, address="192.0.2.1", path="/admin/login/").status_code == 302
    failure = LoginFailure.objects.filter(username="publisher").first()

    response = admin_client.post(
        "/admin/orgs/loginfailure/", {"action": "unlock", "_selected_action": [failure.pk]}, follow=True
    )

    assert response.status_code == 200 and not LoginFailure.objects.filter(username="publisher").exists()
    assert AuditEvent.objects.filter(action="account.unlocked", actor__username="admin").exists()
    assert log_in(client, "publisher", DEMO_PASSWORD).status_code == 302


def test_failures_that_no_longer_count_are_deleted(demo, settings):
    with time_machine.travel(T0, tick=False):
        lockout.record_failure("someone", "192.0.2.5")
    with time_machine.travel(T0 + datetime.timedelta(hours=1), tick=False):
        lockout.record_failure("someone-else", "192.0.2.6")
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["someone-else"]
