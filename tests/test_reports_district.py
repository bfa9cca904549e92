"""The district's list of annual reports (issue 10, item A): for one reporting year, every active organisation's
report — published on time (linked), published late, not yet due, or overdue — grouped by kind with affiliated
institutions under their parent, at /gongkai/reports/."""

import datetime
import itertools

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import resolve

from gongkai.orgs import roles
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import grant_role
from gongkai.reports import district, services
from gongkai.reports.models import AnnualReport

pytestmark = pytest.mark.django_db
D = datetime.date
serial = itertools.count(1)

APPROVAL_USCC = "11370303MB2858350L"  # 张店区行政审批服务局
MARKET_USCC = "113703030042181891"  # 张店区市场监督管理局
CENTRE_USCC = "12370303MB2859011N"  # 张店区重点项目服务中心, the bureau's institution
GOVERNMENT_USCC = "113703030042240015"  # 张店区人民政府


def staff_of(organization, *role_codes) -> User:
    """A member of ``organization``'s disclosure office with ``role_codes``."""
    user = User.objects.create_user(f"staff{next(serial)}", organization=organization)
    for code in role_codes:
        grant_role(user, code, by=None)
    return user


def publish_report(organization, year: int, on: str) -> AnnualReport:
    """Prepare, sign off and publish ``organization``'s report on ``year`` on the day ``on`` (Asia/Shanghai)."""
    person = staff_of(organization, roles.PUBLISHER, roles.OFFICE_HEAD)
    with time_machine.travel(f"{on} 10:00 +0800", tick=False):
        report = services.prepare(organization, year, by=person)
        report = services.sign_off(report, by=person)
        return services.publish(report, by=person)


def standing_of(response, name: str) -> district.Standing:
    return next(s for group in response.context["groups"] for s in group.standings if s.organization.name == name)


@pytest.fixture
def season(bureau):
    """The 2025 reports as they stand on 10 February 2026: the bureau published on 12 January, the approval bureau
    on 5 February (after 31 January), the market bureau not at all; the government's date (31 March) is to come."""
    publish_report(bureau, 2025, "2026-01-12")
    publish_report(Organization.objects.get(uscc=APPROVAL_USCC), 2025, "2026-02-05")


# --- the rule ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published_on", "elsewhere", "today", "state"),
    [
        (D(2026, 1, 31), False, D(2026, 3, 1), district.State.PUBLISHED),  # on the statutory day: in time
        (D(2026, 2, 1), False, D(2026, 3, 1), district.State.PUBLISHED_LATE),
        (None, False, D(2026, 1, 31), district.State.NOT_YET),  # the last day has not passed
        (None, False, D(2026, 2, 1), district.State.OVERDUE),
        (None, True, D(2026, 6, 1), district.State.PUBLISHED_ELSEWHERE),  # imported: published on its old site
    ],
)
def test_a_report_is_late_when_published_after_the_statutory_date_or_not_published_once_it_has_passed(
    published_on, elsewhere, today, state
):
    assert (
        district.state_of(published_on=published_on, published_elsewhere=elsewhere, deadline=D(2026, 1, 31),
                          today=today)
        == state
    )  # fmt: skip


def test_the_default_year_is_the_one_whose_reports_fall_due_this_year():
    assert district.latest_due_year(D(2026, 2, 10)) == 2025
    assert district.latest_due_year(D(2026, 12, 31)) == 2025


# --- the page ----------------------------------------------------------------------------------------------


@time_machine.travel("2026-02-10 09:00 +0800", tick=False)
def test_the_list_shows_published_reports_with_their_page_and_the_late_and_missing_ones(client, bureau, season):
    response = client.get("/gongkai/reports/")
    page = response.content.decode()

    assert response.status_code == 200 and response.context["year"] == 2025
    on_time = standing_of(response, "张店区发展和改革局")
    assert (on_time.state, on_time.published_on) == (district.State.PUBLISHED, D(2026, 1, 12))
    assert f'href="/gongkai/{bureau.slug}/doc/{on_time.report.publication.pk}/"' in page
    late = standing_of(response, "张店区行政审批服务局")
    assert (late.state, late.published_on, late.is_late) == (district.State.PUBLISHED_LATE, D(2026, 2, 5), True)
    assert standing_of(response, "张店区市场监督管理局").state == district.State.OVERDUE
    government = standing_of(response, "张店区人民政府")
    assert (government.state, government.deadline) == (district.State.NOT_YET, D(2026, 3, 31))
    assert "逾期发布" in page and "逾期未发布" in page and "尚未发布" in page


@time_machine.travel("2026-02-10 09:00 +0800", tick=False)
def test_a_withdrawn_report_is_no_longer_shown_as_published(client, bureau, publisher, season):
    from gongkai.catalog import services as catalog

    report = AnnualReport.objects.get(organization=bureau, year=2025)
    catalog.withdraw(report.publication, by=publisher, reason="附件有误，更正后重新发布")

    response = client.get("/gongkai/reports/")

    assert standing_of(response, "张店区发展和改革局").state == district.State.OVERDUE
    assert f"/doc/{report.publication_id}/" not in response.content.decode()


@time_machine.travel("2026-02-10 09:00 +0800", tick=False)
def test_organisations_are_grouped_by_kind_with_institutions_under_their_parent_and_inactive_ones_left_out(
    client, bureau
):
    Organization.objects.filter(uscc=MARKET_USCC).update(is_active=False)

    groups = client.get("/gongkai/reports/").context["groups"]

    assert [group.kind for group in groups] == ["government", "department", "street_office"]
    departments = [(s.organization.uscc, s.affiliate) for s in groups[1].standings]
    assert departments == [(bureau.uscc, False), (CENTRE_USCC, True), (APPROVAL_USCC, False)]


@time_machine.travel("2026-02-10 09:00 +0800", tick=False)
def test_an_earlier_year_is_chosen_with_the_selector(client, bureau):
    AnnualReport.objects.create(organization=bureau, year=2023, title="2023年报", status="published",
                                source="imported")  # fmt: skip

    response = client.get("/gongkai/reports/", {"year": "2023"})
    page = response.content.decode()

    assert response.context["year"] == 2023 and response.context["years"] == [2025, 2024, 2023]
    assert '<option value="2023" selected>' in page
    assert standing_of(response, "张店区发展和改革局").state == district.State.PUBLISHED_ELSEWHERE
    assert standing_of(response, "张店区行政审批服务局").state == district.State.OVERDUE  # due 31 January 2024
    assert "2023年报" in page


@pytest.mark.parametrize("asked", ["abc", "2030", "1999", "２０２５", "2025.0", "-1"])
@time_machine.travel("2026-02-10 09:00 +0800", tick=False)
def test_a_year_the_list_does_not_offer_falls_back_to_the_latest_with_a_bilingual_notice(client, demo, asked):
    response = client.get("/gongkai/reports/", {"year": asked})
    page = response.content.decode()

    assert response.status_code == 200 and response.context["year"] == 2025
    assert "无效" in response.context["notice"] and "is not available" in response.context["notice"]
    assert "showing 2025" in page


@time_machine.travel("2026-02-10 09:00 +0800", tick=False)
def test_the_latest_year_gives_no_notice(client, demo):
    response = client.get("/gongkai/reports/", {"year": "2025"})

    assert response.context["notice"] == "" and response.context["year"] == 2025


def test_reports_is_a_district_wide_path_no_organisation_can_take(bureau):
    assert resolve("/gongkai/reports/").view_name == "reports_public:district"
    assert resolve(f"/gongkai/{bureau.slug}/").view_name == "portal:organization"
    bureau.slug = "reports"
    with pytest.raises(ValidationError) as refused:
        bureau.full_clean()
    assert "slug" in refused.value.message_dict
