"""先审核、后公开 in a real browser: 赵敏 drafts and submits, 李四 approves and publishes, and the public finds
the publication on its page, in the catalogue and by a search typed in traditional characters."""

import datetime
import re
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from steps import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser

TITLE = "张店区2026年重点项目建设计划"
TRADITIONAL_QUERY = "張店區2026年重點項目"


def fact(page, label: str):
    """The value of one row of a ``<dl>`` metadata block."""
    return page.locator("main dl div").filter(has=page.locator("dt", has_text=label)).locator("dd").first


def test_a_publisher_drafts_a_reviewer_approves_and_the_public_finds_it(demo_site, page):
    issued_on = timezone.localdate() - datetime.timedelta(days=2)

    # 赵敏 drafts and submits.
    log_in(page, "publisher")
    page.goto("/staff/")
    page.get_by_role("link", name="新建信息").click()
    page.fill("#id_title", TITLE)
    page.fill("#id_doc_no", "张发改字〔2026〕12号")
    page.fill("#id_issued_on", issued_on.isoformat())
    page.select_option("#id_column", label="重大建设项目")
    page.select_option("#id_topic", label="国民经济管理、国有资产监管")
    page.select_option("#id_genre", label="规划")
    page.fill("#id_summary", "全区2026年市级、区级重点项目的建设安排和责任单位。")
    page.fill("#id_body", "<p>2026年全区安排重点项目86个，总投资312亿元。</p>")
    page.fill("#id_keywords", "重点项目 建设计划")
    assert serious_violations(page) == []
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".status-line")).to_contain_text("待审核")
    log_out(page)

    # 李四 finds it in the queue, approves and publishes it.
    log_in(page, "reviewer")
    page.goto("/staff/")
    page.get_by_role("link", name="审核队列").click()
    page.get_by_role("link", name=TITLE).click()
    assert serious_violations(page) == []
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".status-line")).to_contain_text("已审核")
    page.get_by_role("button", name="立即发布").click()
    expect(page.locator(".status-line")).to_contain_text("已发布")
    index_no = fact(page, "索引号").inner_text().strip()
    assert re.fullmatch(rf"1137030300421716XM/{timezone.localdate().year}-\d{{5}}", index_no), index_no
    history = page.locator("table.history tbody")
    for step in ("起草", "提交审核", "审核通过", "发布"):
        expect(history).to_contain_text(step)

    # The public page: the index number and the metadata block.
    page.get_by_role("link", name="查看公开页面").click()
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(fact(page, "索引号")).to_have_text(index_no)
    expect(fact(page, "文号")).to_have_text("张发改字〔2026〕12号")
    expect(fact(page, "发文日期")).to_contain_text(f"{issued_on:%Y}")
    expect(fact(page, "发布机构")).to_have_text("张店区发展和改革局")
    expect(fact(page, "主题分类")).to_have_text("国民经济管理、国有资产监管")
    expect(page.locator("main")).to_contain_text("总投资312亿元")

    # The catalogue lists it; a search in traditional characters finds it.
    page.goto("/gongkai/catalog/")
    expect(page.locator("main").get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator("main")).to_contain_text(index_no)
    page.goto(f"/gongkai/search/?q={quote(TRADITIONAL_QUERY)}")
    expect(page.locator("main").get_by_role("link", name=TITLE)).to_be_visible()
