"""保密审查 in a real browser: a draft with a resident ID number is submitted; the screening finds it; the
author cannot approve their own draft; 李四 sees the finding in context, masks it and approves; the public
page shows only the masked number."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from steps import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser

TITLE = "2026年价格监测员补贴发放名单"
ID = "370303199003071235"
ID_MASKED = "370303********1235"


def test_a_reviewer_masks_an_id_number_before_approving_and_the_public_sees_it_masked(demo_site, page):
    from gongkai.orgs import roles
    from gongkai.orgs.models import User
    from gongkai.orgs.services import grant_role

    # 赵敏 is also a reviewer here, to show that four eyes hold whatever roles the author has.
    grant_role(User.objects.get(username="publisher"), roles.REVIEWER, by=None)

    log_in(page, "publisher")
    page.goto("/staff/publications/new/")
    page.fill("#id_title", TITLE)
    page.check("#id_no_doc_no")
    page.fill("#id_issued_on", (timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.select_option("#id_column", label="重大建设项目")
    page.fill("#id_body", f"<p>监测员身份证号：{ID}，补贴1200元。</p>")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("自动筛查发现 1 项")
    findings = page.locator("#findings")
    expect(findings).to_contain_text("身份证号码")
    expect(findings).to_contain_text("待处理")

    # The author sees what was found but can neither resolve it nor approve: the draft is not in their queue.
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)
    expect(findings.get_by_role("button")).to_have_count(0)
    page.goto("/staff/review/")
    expect(page.locator("main")).not_to_contain_text(TITLE)
    log_out(page)

    # 李四 sees the finding in its context, cannot approve yet, masks it, approves and publishes.
    log_in(page, "reviewer")
    page.goto("/staff/review/")
    page.get_by_role("link", name=TITLE).click()
    expect(findings.locator("mark")).to_have_text(ID)
    expect(findings).to_contain_text("监测员身份证号：")
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("还有 1 项筛查发现未处理")
    assert serious_violations(page) == []
    findings.get_by_role("button", name=f"遮盖为 {ID_MASKED}").click()
    expect(page.locator(".messages")).to_contain_text(f"已遮盖：{ID_MASKED}")
    expect(findings).to_contain_text("已遮盖")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".status-line")).to_contain_text("已审核")
    page.get_by_role("button", name="立即发布").click()
    expect(page.locator(".status-line")).to_contain_text("已发布")
    expect(page.locator("table.history tbody")).to_contain_text("遮盖敏感信息")

    # The public page: only the masked number, and nothing of the review.
    page.get_by_role("link", name="查看公开页面").click()
    main = page.locator("main")
    expect(main).to_contain_text(f"监测员身份证号：{ID_MASKED}")
    expect(main).not_to_contain_text(ID)
    expect(main).not_to_contain_text("李四")
    expect(main).not_to_contain_text("筛查")
