"""Organisations, people and roles: every staff user acts for one organisation in named roles."""

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai import demo as demo_module
from gongkai.audit.models import AuditEvent
from gongkai.orgs import auth, roles
from gongkai.orgs.demo import DEMO_PASSWORD
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import grant_role, revoke_role

pytestmark = pytest.mark.django_db


def snapshot() -> str:
    """Every row of every table that Gongkai owns, serialised in a stable order."""
    models = [
        model for model in apps.get_models() if model._meta.app_label in {"orgs", "audit", "portal", "jobs", "auth"}
    ]
    rows = []
    for model in models:
        rows.append(serializers.serialize("json", model.objects.order_by("pk")))
    return "\n".join(rows)


def test_the_demo_has_the_reference_bureau_with_its_published_facts(bureau):
    assert bureau.name == "张店区发展和改革局"
    assert bureau.address == "张店区新村西路226号张店区政务中心1024室"
    assert bureau.postcode == "255000"
    assert bureau.phone == "0533-2869859"
    assert bureau.departments.filter(is_disclosure_office=True).get().name == "办公室"


def test_the_demo_has_at_least_three_other_reporting_organisations_with_valid_codes(demo):
    from gongkai.lib.identifiers import check_uscc

    others = Organization.objects.reporting().exclude(uscc="1137030300421716XM")
    assert others.count() >= 2
    assert Organization.objects.exclude(uscc="1137030300421716XM").count() >= 3
    for org in Organization.objects.all():
        assert check_uscc(org.uscc).valid, org


def test_the_demo_has_one_user_per_role(demo):
    for code in roles.ROLES:
        holders = [user for user in User.objects.all() if auth.has_role(user, code)]
        assert len(holders) == 1, (code, holders)
        assert holders[0].check_password(DEMO_PASSWORD)
        assert holders[0].organization is not None


def test_loading_the_demo_twice_changes_nothing(demo):
    before = snapshot()
    assert demo_module.load_district() == []
    assert snapshot() == before


def test_the_demo_is_recorded_in_the_audit_log_once(demo):
    demo_module.load_district()
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 1


def test_every_role_is_a_group_with_the_permissions_it_declares(demo):
    for role in roles.ROLES.values():
        group = Group.objects.get(name=role.group_name)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(role.permissions), role.code


def test_an_organisation_with_an_invalid_uscc_is_refused_naming_the_check(db):
    org = Organization(name="测试局", slug="ceshi", uscc="1137030300421716XN")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "1137030300421716XN" in str(error.value)


def test_a_user_acts_only_for_their_own_organisation(demo, bureau):
    handler = User.objects.get(username="handler")
    submitter = User.objects.get(username="submitter")
    admin = User.objects.get(username="admin")
    assert auth.can_act_as(handler, roles.REQUEST_HANDLER, bureau)
    assert not auth.can_act_as(submitter, roles.DEPARTMENT_SUBMITTER, bureau)
    assert auth.can_act_as(submitter, roles.DEPARTMENT_SUBMITTER, submitter.organization)
    assert not auth.can_act_as(handler, roles.REVIEWER, bureau)
    assert auth.belongs_to(admin, submitter.organization)
    assert list(auth.organizations_for(handler)) == [bureau]
    assert auth.organizations_for(admin).count() == Organization.objects.count()


def test_an_inactive_user_has_no_role(demo):
    handler = User.objects.get(username="handler")
    handler.is_active = False
    assert not auth.has_role(handler, roles.REQUEST_HANDLER)


def test_granting_and_revoking_a_role_is_audited(demo, bureau):
    admin = User.objects.get(username="admin")
    handler = User.objects.get(username="handler")
    grant_role(handler, roles.REVIEWER, by=admin)
    assert auth.has_role(User.objects.get(pk=handler.pk), roles.REVIEWER)
    revoke_role(handler, roles.REVIEWER, by=admin)
    assert not auth.has_role(User.objects.get(pk=handler.pk), roles.REVIEWER)
    actions = list(AuditEvent.objects.about(handler).values_list("action", flat=True))
    assert actions[-2:] == ["user.role_granted", "user.role_revoked"]


def test_a_department_must_belong_to_the_users_organisation(demo):
    submitter = User.objects.get(username="submitter")
    submitter.department = User.objects.get(username="handler").department
    with pytest.raises(ValidationError):
        submitter.full_clean()


def test_staff_log_in_see_their_workbench_and_log_out(client, demo):
    response = client.post(reverse("login"), {"username": "handler", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("orgs:workbench"))
    text = page.content.decode()
    assert "张三" in text
    assert "依申请公开经办人" in text
    assert "张店区发展和改革局" in text
    client.post(reverse("logout"))
    assert client.get(reverse("orgs:workbench")).status_code == 302


def test_a_wrong_password_is_refused(client, demo):
    response = client.post(reverse("login"), {"username": "handler", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_staff_change_their_password(client, demo):
    client.login(username="reviewer", password=DEMO_PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "Zd-新密码-2026", "new_password2": "Zd-新密码-2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="reviewer").check_password("Zd-新密码-2026")


def test_the_administrator_works_in_the_admin_within_the_role_permissions(client, demo):
    client.login(username="admin", password=DEMO_PASSWORD)
    assert client.get("/admin/orgs/organization/").status_code == 200
    assert client.get("/admin/audit/auditevent/").status_code == 200
    for page in ("column", "topic", "genre", "indexnumberpolicy", "guide", "publication"):
        assert client.get(f"/admin/catalog/{page}/").status_code == 200, page
    client.login(username="handler", password=DEMO_PASSWORD)
    assert client.get("/admin/orgs/organization/").status_code == 302


def test_the_login_page_carries_the_site_header_and_footer_facts(client, demo):
    text = client.get(reverse("login")).content.decode()
    assert '<meta name="SiteName" content="张店区发展和改革局">' in text
    assert "0533-2869859" in text


@time_machine.travel("2026-11-25 10:00 +0800")
def test_administrators_are_warned_in_the_admin_that_next_years_calendar_is_missing(client, demo):
    assert "2027" not in client.get("/admin/login/").content.decode()
    client.login(username="admin", password=DEMO_PASSWORD)
    assert "2027年工作日历尚未录入" in client.get("/admin/").content.decode()
    assert "2027年工作日历尚未录入" in client.get(reverse("orgs:workbench")).content.decode()


@time_machine.travel("2026-11-25 10:00 +0800")
def test_other_staff_are_not_shown_the_calendar_warning(client, demo):
    client.login(username="handler", password=DEMO_PASSWORD)
    assert "工作日历尚未录入" not in client.get(reverse("orgs:workbench")).content.decode()


@pytest.mark.parametrize("slug", ["catalog", "search"])
def test_a_path_used_by_a_district_wide_page_is_refused(db, slug):
    org = Organization(name="测试局", slug=slug, uscc="1137030300421716XM")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "slug" in error.value.message_dict
