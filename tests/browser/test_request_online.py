"""依申请公开 in a real browser: a citizen applies online, follows the application with the tracking code, the
handler replies, and the citizen's status page shows the reply."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from steps import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser

PHONE = "13800000000"


def test_apply_online_follow_it_get_the_reply(demo_site, page):
    today = timezone.localdate().isoformat()

    # A citizen applies.
    page.goto("/yishenqing/")
    page.locator("main").get_by_role("link", name="网上申请").click()
    assert serious_violations(page) == []
    page.select_option("#id_organization", label="张店区发展和改革局")
    page.select_option("#id_applicant_kind", label="自然人")
    page.fill("#id_applicant_name", "王小明")
    page.fill("#id_identity_number", "370303199001011239")
    page.fill("#id_phone", PHONE)
    page.fill("#id_email", "wxm@example.cn")
    page.fill("#id_description", "2026年张店区重点项目建设计划的全文")
    page.get_by_label("电子", exact=True).check()
    page.get_by_label("电子邮件", exact=True).check()
    page.get_by_role("button", name="提交申请").click()

    expect(page.locator("h1")).to_have_text("申请已提交")
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", code)
    expect(page.locator("main")).not_to_contain_text("王小明")

    # … and follows it.
    page.get_by_role("link", name="查看办理进度").click()
    expect(page.locator("#id_code")).to_have_value(code)
    page.fill("#id_secret", PHONE)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".request-status")).to_have_text("办理中")
    assert serious_violations(page) == []

    # The handler replies and records the delivery.
    log_in(page, "handler")
    page.goto("/staff/requests/")
    page.get_by_role("link", name=code).click()
    page.select_option("#id_close-outcome", label="（一）予以公开")
    page.fill("#id_close-on", today)
    page.locator(".step-close").get_by_role("button", name="答复并办结").click()
    expect(page.locator(".messages")).to_contain_text("已登记：答复并办结")
    page.select_option("#id_deliver-method", label="电子邮件")
    page.fill("#id_deliver-on", today)
    page.locator(".step-deliver").get_by_role("button", name="登记送达").click()
    expect(page.locator(".deadline-panel")).to_contain_text("按期答复")
    log_out(page)

    # The citizen sees the reply.
    page.goto(f"/yishenqing/track/?code={code}")
    page.fill("#id_secret", "370303199001011239")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".request-status")).to_have_text("已办结")
    expect(page.locator(".request-outcome")).to_have_text("（一）予以公开")
