"""A government's annual report as the sum of its parts (issue 10, item B): the sum in the format's shape, whose
figures are added up (configurable, with the government's own), the report prepared and signed off as any other,
and the consistency view for the government's office head: each member's share of every cell and the members
whose own report disagrees with the system's data."""

import datetime
import itertools

import pytest
import time_machine

from gongkai.orgs import roles
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import grant_role
from gongkai.reports import checks, figures, layout, rollup, services
from gongkai.reports.models import AnnualReport, RollUp
from gongkai.requests.models import DisclosureRequest
from tests.report_files import figures_2019, figures_2021

pytestmark = pytest.mark.django_db
D = datetime.date
serial = itertools.count(1)

GOVERNMENT_USCC = "113703030042240015"  # 张店区人民政府
APPROVAL_USCC = "11370303MB2858350L"  # 张店区行政审批服务局
MARKET_USCC = "113703030042181891"  # 张店区市场监督管理局
STREET_USCC = "11370303004224175E"  # 体育场街道办事处
CENTRE_USCC = "12370303MB2859011N"  # 张店区重点项目服务中心 (an institution: not a default member)
NEW_TOTAL = "表三「一、本年新收政府信息公开申请数量」×「总计」"
NEW_NATURAL = "表三「一、本年新收政府信息公开申请数量」×「自然人」"


def application(organization, received, *, kind="natural", outcome="", closed=None) -> DisclosureRequest:
    return DisclosureRequest.objects.create(
        organization=organization, tracking_code=f"R{next(serial):08d}", channel="online", received_on=received,
        applicant_kind=kind, applicant_name="申请人", identity_number="x", phone="13905330000", description="…",
        form_wanted="electronic", delivery="email", outcome=outcome, closed_on=closed,
    )  # fmt: skip


def org(uscc: str) -> Organization:
    return Organization.objects.get(uscc=uscc)


def staff_of(organization, *role_codes) -> User:
    user = User.objects.create_user(f"staff{next(serial)}", organization=organization)
    for code in role_codes:
        grant_role(user, code, by=None)
    return user


@pytest.fixture
def government(demo):
    return org(GOVERNMENT_USCC)


@pytest.fixture
def government_head(government):
    """The head of the 区政府办公室's disclosure office, who prepares and signs off the government's report."""
    return staff_of(government, roles.OFFICE_HEAD, roles.PUBLISHER)


@pytest.fixture
def admin(demo):
    return User.objects.get(username="admin")


@pytest.fixture
def year_of_applications(government, bureau):
    """2025's applications: the government's own office, three members, and an institution (not a member)."""
    application(government, D(2025, 2, 1), kind="natural", outcome="1", closed=D(2025, 2, 10))
    application(bureau, D(2024, 12, 20), kind="commercial", outcome="2", closed=D(2025, 1, 8))  # carried in
    application(bureau, D(2025, 3, 1), kind="natural", outcome="3.4", closed=D(2025, 3, 9))
    application(bureau, D(2025, 12, 30), kind="research")  # carried forward
    application(org(APPROVAL_USCC), D(2025, 5, 1), kind="legal_services", outcome="6.3", closed=D(2025, 5, 2))
    application(org(STREET_USCC), D(2025, 6, 1), kind="natural", outcome="1", closed=D(2025, 6, 3))
    application(org(CENTRE_USCC), D(2025, 7, 1), kind="natural", outcome="1", closed=D(2025, 7, 3))


# --- the sum -----------------------------------------------------------------------------------------------


def test_the_sum_adds_every_cell_and_the_amounts_in_wan_yuan_as_decimals():
    one, two = figures_2021(seed=1), figures_2021(seed=2)
    one["table2"]["fees"], two["table2"]["fees"] = "0.35", "12.5"

    summed = rollup.total([one, two])

    assert summed["table3"]["new"] == [a + b for a, b in zip(one["table3"]["new"], two["table3"]["new"], strict=True)]
    assert summed["table4"]["after"][4] == one["table4"]["after"][4] + two["table4"]["after"][4]
    assert summed["table2"]["normative"]["in_force"] == (
        one["table2"]["normative"]["in_force"] + two["table2"]["normative"]["in_force"]
    )
    assert summed["table2"]["licence"] == one["table2"]["licence"] + two["table2"]["licence"]
    assert summed["table2"]["fees"] == "12.85"  # not 12.850000000000001, not "0.3512.5"
    assert rollup.total([]) == layout.empty_figures()


@pytest.mark.parametrize("seeds", [(1, 2), (3, 4, 5), (7,)])
def test_the_sum_of_reports_that_add_up_adds_up(seeds):
    parts = [figures_2021(seed=seed) for seed in seeds]
    assert all(checks.check(part) == [] for part in parts)

    assert checks.check(rollup.total(parts)) == []


def test_a_2019_format_report_cannot_be_added_to_a_2021_one():
    with pytest.raises(ValueError, match="2021"):
        rollup.total([figures_2021(), figures_2019()])


# --- whose figures -----------------------------------------------------------------------------------------


def test_by_default_the_government_adds_up_its_own_figures_and_every_active_department_street_and_town(
    government, bureau
):
    org(MARKET_USCC).__class__.objects.filter(uscc=MARKET_USCC).update(is_active=False)

    members = rollup.membership(government)

    assert members.include_own and not members.configured
    assert {member.uscc for member in members.members} == {bureau.uscc, APPROVAL_USCC, STREET_USCC}


def test_the_government_report_is_the_sum_of_the_members_counts_and_is_signed_off_as_any_report(
    client, government, government_head, bureau, year_of_applications
):
    members = [bureau, org(APPROVAL_USCC), org(MARKET_USCC), org(STREET_USCC)]

    with time_machine.travel("2026-02-20 10:00 +0800", tick=False):
        report = services.prepare(government, 2025, by=government_head)

    expected = rollup.total([figures.count(government, 2025), *(figures.count(m, 2025) for m in members)])
    assert report.figures == expected
    #                                   自然人 商业 科研 公益 法律 其他 总计
    assert report.figures["table3"]["new"] == [3, 0, 1, 0, 1, 0, 5]  # not the institution's
    assert report.figures["table3"]["carried_in"] == [0, 1, 0, 0, 0, 0, 1]
    assert report.figures["table3"]["1"] == [2, 0, 0, 0, 0, 0, 2]
    assert report.figures["table3"]["carried_out"] == [0, 0, 1, 0, 0, 0, 1]
    assert services.problems(report) == []
    report = services.sign_off(report, by=government_head)
    assert report.status == "signed_off" and report.title == "张店区人民政府2025年政府信息公开工作年度报告"
    client.force_login(government_head)
    page = client.get(f"/staff/reports/{government.pk}/2025/").content.decode()
    assert f'href="/staff/reports/{government.pk}/2025/roll-up/"' in page  # the consistency view, from the report


def test_the_administrator_narrows_the_membership_and_leaves_out_the_governments_own_figures(
    client, government, government_head, bureau, year_of_applications, admin
):
    from gongkai.audit.models import AuditEvent
    from gongkai.orgs.demo import DEMO_PASSWORD

    client.login(username="admin", password=DEMO_PASSWORD)
    response = client.post(
        "/admin/reports/rollup/add/", {"government": government.pk, "members": [bureau.pk, org(STREET_USCC).pk]}
    )  # include_own unticked

    assert response.status_code == 302
    members = rollup.membership(government)
    assert members.configured and not members.include_own
    assert [member.pk for member in members.members] == [bureau.pk, org(STREET_USCC).pk]
    report = services.prepare(government, 2025, by=government_head)
    assert report.figures == rollup.total([figures.count(bureau, 2025), figures.count(org(STREET_USCC), 2025)])
    assert AuditEvent.objects.filter(action="report.roll_up_configured", actor=admin).exists()

    configured = RollUp.objects.get(government=government)
    response = client.post(f"/admin/reports/rollup/{configured.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not rollup.membership(government).configured


def test_the_government_cannot_be_its_own_member_nor_a_department_add_up_others_than_its_institutions(
    client, government, bureau, admin
):
    from gongkai.lib.errors import FieldErrors
    from gongkai.orgs.demo import DEMO_PASSWORD

    with pytest.raises(FieldErrors) as itself:
        services.configure_roll_up(government, members=[government, bureau], include_own=True, by=admin)
    assert set(itself.value.errors) == {"members"}
    with pytest.raises(FieldErrors) as department:
        services.configure_roll_up(bureau, members=[org(STREET_USCC)], include_own=True, by=admin)
    assert set(department.value.errors) == {"members"} and "体育场街道办事处" in department.value.errors["members"]
    with pytest.raises(FieldErrors) as without_itself:
        services.configure_roll_up(bureau, members=[org(CENTRE_USCC)], include_own=False, by=admin)
    assert set(without_itself.value.errors) == {"include_own"}
    with pytest.raises(FieldErrors) as street:
        services.configure_roll_up(org(STREET_USCC), members=[org(CENTRE_USCC)], include_own=True, by=admin)
    assert set(street.value.errors) == {"government"}
    client.login(username="admin", password=DEMO_PASSWORD)
    response = client.post("/admin/reports/rollup/add/", {"government": government.pk, "members": [government.pk]})
    assert response.status_code == 200 and "include" in response.content.decode()
    assert not RollUp.objects.exists()


def test_a_departments_report_covers_the_affiliated_institutions_the_administrator_lists(
    client, government, bureau, admin, year_of_applications
):
    """The reference bureau's report also covers its 所属事业单位: listed in its roll-up, their figures are part of
    its report, and its office head sees each one's share; without a row the bureau's report is its own alone."""
    centre = org(CENTRE_USCC)  # 张店区重点项目服务中心, affiliated to the bureau
    bureau_head = staff_of(bureau, roles.OFFICE_HEAD, roles.PUBLISHER)
    assert not rollup.rolls_up(bureau)
    assert services.counted_now(bureau, 2025).figures == figures.count(bureau, 2025)

    services.configure_roll_up(bureau, members=[centre], include_own=True, by=admin)

    assert rollup.rolls_up(bureau)
    with time_machine.travel("2026-01-20 10:00 +0800", tick=False):
        report = services.prepare(bureau, 2025, by=bureau_head)
    assert report.figures == rollup.total([figures.count(bureau, 2025), figures.count(centre, 2025)])
    #                                   自然人 商业 科研 公益 法律 其他 总计
    assert report.figures["table3"]["new"] == [2, 0, 1, 0, 0, 0, 3]  # the bureau's two and the centre's one
    client.force_login(bureau_head)
    page = client.get(f"/staff/reports/{bureau.pk}/2025/").content.decode()
    assert f'href="/staff/reports/{bureau.pk}/2025/roll-up/"' in page
    response = client.get(f"/staff/reports/{bureau.pk}/2025/roll-up/")
    assert [part.organization for part in response.context["parts"]] == [bureau, centre]
    assert "所属事业单位" in response.content.decode()
    # The government adds up the bureau's report as it is, the centre within it (and not again on its own).
    assert centre not in rollup.membership(government).members
    bureau_part = next(part for part in rollup.parts(government, 2025) if part.organization == bureau)
    assert bureau_part.figures == report.figures
    with time_machine.travel("2026-01-25 10:00 +0800", tick=False):
        services.sign_off(report, by=bureau_head)
    bureau_part = next(part for part in rollup.parts(government, 2025) if part.organization == bureau)
    assert bureau_part.checked and bureau_part.differences == []
    assert services.counted_now(government, 2025).figures["table3"]["new"] == [4, 0, 1, 0, 1, 0, 6]  # with the centre's


def test_a_department_without_a_roll_up_has_no_consistency_view(client, bureau, head):
    client.force_login(head)
    assert client.get(f"/staff/reports/{bureau.pk}/2025/roll-up/").status_code == 404


def test_only_an_administrator_configures_the_roll_up(government, government_head, bureau):
    from gongkai.lib.errors import Refused

    with pytest.raises(Refused):
        services.configure_roll_up(government, members=[bureau], include_own=True, by=government_head)
    assert not RollUp.objects.exists()


# --- hand-entered cells ------------------------------------------------------------------------------------


def test_the_members_hand_entered_cells_are_added_up_and_the_governments_own_edits_survive_a_recount(
    government, government_head, bureau, handler
):
    street = org(STREET_USCC)
    street_staff = staff_of(street, roles.PUBLISHER)
    services.edit(services.prepare(bureau, 2025, by=handler), by=handler, coercion="2", fees="0.35")
    services.edit(services.prepare(street, 2025, by=street_staff), by=street_staff, coercion="1", fees="1.2")

    report = services.prepare(government, 2025, by=government_head)
    assert (report.figures["table2"]["coercion"], report.figures["table2"]["fees"]) == (3, "1.55")

    services.edit(report, by=government_head, coercion="4", fees="1.6")  # the office head's own reckoning
    report = services.prepare(government, 2025, by=government_head)
    assert (report.figures["table2"]["coercion"], report.figures["table2"]["fees"]) == (4, "1.6")


# --- the consistency view ----------------------------------------------------------------------------------


def test_the_consistency_view_shows_each_members_share_of_each_cell(
    client, government, government_head, bureau, year_of_applications
):
    client.force_login(government_head)

    response = client.get(f"/staff/reports/{government.pk}/2025/roll-up/")

    assert response.status_code == 200
    parts = response.context["parts"]
    assert [part.organization.uscc for part in parts] == [
        GOVERNMENT_USCC, bureau.uscc, APPROVAL_USCC, MARKET_USCC, STREET_USCC
    ]  # fmt: skip
    new_total = next(share for share in response.context["shares"] if share.cell == NEW_TOTAL)
    assert (new_total.values, new_total.total, new_total.reported) == ((1, 2, 1, 0, 1), 5, None)
    assert NEW_TOTAL in response.content.decode()


def test_a_member_whose_signed_off_report_no_longer_matches_the_data_is_flagged_cell_by_cell(
    client, government, government_head, bureau, handler, head, year_of_applications
):
    street = org(STREET_USCC)
    street_staff = staff_of(street, roles.PUBLISHER)
    services.sign_off(services.prepare(bureau, 2025, by=handler), by=head)
    services.prepare(street, 2025, by=street_staff)  # a draft: still being worked on, not held to the data
    services.prepare(government, 2025, by=government_head)
    application(bureau, D(2025, 9, 1), kind="natural", outcome="1", closed=D(2025, 9, 5))  # entered late
    application(street, D(2025, 9, 1), kind="natural", outcome="1", closed=D(2025, 9, 5))
    client.force_login(government_head)

    response = client.get(f"/staff/reports/{government.pk}/2025/roll-up/")
    page = response.content.decode()

    assert [part.organization for part in response.context["disagreeing"]] == [bureau]
    changes = {change.cell: (change.earlier, change.later) for change in response.context["disagreeing"][0].differences}
    assert changes[NEW_NATURAL] == (1, 2) and changes[NEW_TOTAL] == (2, 3)  # its 2025 report said 2
    assert "表三「（一）予以公开」×「自然人」" in changes
    assert f'id="disagreeing-{bureau.pk}"' in page and NEW_NATURAL in page
    new_total = next(share for share in response.context["shares"] if share.cell == NEW_TOTAL)
    assert (new_total.total, new_total.reported, new_total.differs) == (7, 5, True)  # the report was counted before


def test_an_imported_published_report_is_held_against_the_data_too(client, government, government_head):
    street = org(STREET_USCC)
    published = figures_2021(seed=5)  # what the street office published on its former site
    AnnualReport.objects.create(organization=street, year=2025, title="体育场街道2025年报", figures=published,
                                status="published", source="imported")  # fmt: skip
    client.force_login(government_head)

    response = client.get(f"/staff/reports/{government.pk}/2025/roll-up/")

    [part] = response.context["disagreeing"]
    changes = {change.cell: (change.earlier, change.later) for change in part.differences}
    assert part.organization == street
    assert changes[NEW_TOTAL] == (published["table3"]["new"][-1], 0)  # the system has none of its applications
    assert "表二「行政许可」" in changes and "表二「行政强制」" not in changes  # entered by hand: nothing to count


def test_a_member_whose_report_matches_is_not_flagged(client, government, government_head, bureau, handler, head):
    application(bureau, D(2025, 3, 1), kind="natural", outcome="1", closed=D(2025, 3, 9))
    services.sign_off(services.prepare(bureau, 2025, by=handler), by=head)
    client.force_login(government_head)

    response = client.get(f"/staff/reports/{government.pk}/2025/roll-up/")

    assert response.context["disagreeing"] == []
    assert next(part for part in response.context["parts"] if part.organization == bureau).checked


def test_another_organisations_staff_cannot_see_the_consistency_view(client, government, head, admin, bureau):
    government_handler = staff_of(government, roles.REQUEST_HANDLER)  # the government's, but not its office head
    url = f"/staff/reports/{government.pk}/2025/roll-up/"
    client.force_login(head)  # the bureau's office head
    assert client.get(url).status_code == 403
    client.force_login(government_handler)
    assert client.get(url).status_code == 403
    client.force_login(admin)
    assert client.get(url).status_code == 200
    assert client.get(f"/staff/reports/{bureau.pk}/2025/roll-up/").status_code == 404  # not a government
    assert client.get(f"/staff/reports/{government.pk}/2099/roll-up/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
