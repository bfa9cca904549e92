"""The annual report in a real browser: 张三 prepares last year's report from the system's data and enters the
hand-entered cells; the office head 钱文 signs it off; 赵敏 publishes it; the public 年报 column shows it with
the official tables. The statistics dashboard draws its charts. Each screen passes axe."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from steps import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser
TITLE = "张店区发展和改革局2025年政府信息公开工作年度报告"


@pytest.fixture
def in_january():
    with time_machine.travel(datetime.datetime(2026, 1, 15, 10, tzinfo=datetime.UTC), tick=True):
        yield


def test_a_report_is_prepared_signed_off_published_and_shown_in_the_annual_report_column(demo_site, page, in_january):
    from gongkai.orgs.models import Organization
    from gongkai.requests.models import DisclosureRequest

    bureau = Organization.objects.get(uscc="1137030300421716XM")
    DisclosureRequest.objects.create(
        organization=bureau, tracking_code="BROWSER0001", channel="online", received_on=datetime.date(2025, 5, 6),
        applicant_kind="legal_services", applicant_name="某律师事务所", identity_number="x", phone="0533-1",
        description="…", form_wanted="electronic", delivery="email", outcome="2", closed_on=datetime.date(2025, 5, 20),
    )  # fmt: skip

    log_in(page, "handler")
    page.goto("/staff/")
    page.get_by_role("link", name="政府信息公开工作年度报告").click()
    page.get_by_role("button", name="编制2025年度报告（按系统数据统计）").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("#checks-heading + p")).to_contain_text("各项勾稽关系均相符")
    assert serious_violations(page) == []
    page.fill("#id_coercion", "2")
    page.fill("#id_fees", "0.35")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.get_by_role("button", name="签发")).to_have_count(0)  # only the office head signs off
    log_out(page)

    log_in(page, "head")
    page.goto(f"/staff/reports/{bureau.pk}/2025/")
    page.get_by_role("button", name="签发").click()
    expect(page.locator(".messages")).to_contain_text("年度报告已签发")
    log_out(page)

    log_in(page, "publisher")
    page.goto(f"/staff/reports/{bureau.pk}/2025/")
    page.get_by_role("button", name="在“政府信息公开年报”栏目发布").click()
    expect(page.locator(".messages")).to_contain_text("年度报告已发布")
    page.get_by_role("link", name="1137030300421716XM/2026-").click()

    table3 = page.locator("table", has_text="（本列数据的勾稽关系为")
    row = table3.locator("tr", has_text="（二）部分公开")
    expect(row.locator("td")).to_have_text(["0", "0", "0", "0", "1", "0", "1"])
    expect(page.locator("table", has_text="本年收费金额（单位：万元）")).to_contain_text("0.35")
    expect(page.locator("main")).to_contain_text("六、其他需要报告的事项")
    assert serious_violations(page) == []


def test_the_statistics_dashboard_draws_its_charts_with_their_tables(demo_site, page):
    from gongkai.orgs.models import Organization

    bureau = Organization.objects.get(uscc="1137030300421716XM")
    log_in(page, "head")
    page.goto(f"/staff/statistics/{bureau.pk}/{timezone.localdate().year}/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert page.locator("svg[role=img]").count() >= 4
    assert serious_violations(page) == []
