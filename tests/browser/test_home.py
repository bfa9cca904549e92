"""The public site in a real browser: Chinese with the footer facts, 长辈版 and 高对比度 that persist,
a phone-width layout, keyboard use, axe, and no request to any other host."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = ["/", "/gongkai/", "/gongkai/zdqfzhggj/", "/yishenqing/", "/xinyong/", "/hudong/"]

BODY_TEXT = "main :is(p, dd)"  # the first paragraph or fact of the page's content

FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        text: (el.textContent || "").trim(),
        inNav: Boolean(el.closest("nav.site-nav")),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
    };
}"""


def bureau():
    from gongkai.orgs.models import Organization

    return Organization.objects.get(uscc="1137030300421716XM")


def font_size(page, selector: str = BODY_TEXT) -> float:
    return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")


def computed(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_home_page_renders_in_chinese_with_the_footer_facts(demo_site, page):
    host = bureau()

    page.goto("/")

    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator(".brand-name").inner_text() == "张店区发展和改革局"
    nav = page.get_by_role("navigation", name="主导航")
    assert nav.get_by_role("link").all_inner_texts() == ["首页", "政府信息公开", "依申请公开", "信用张店", "互动交流"]
    footer = page.locator("footer").inner_text()
    assert "张店区新村西路226号张店区政务中心1024室" in footer
    assert "255000" in footer
    assert "0533-2869859" in footer
    for value in (host.name, host.site_id_code, host.icp_record, host.police_record):
        assert value and value in footer, value
    assert page.locator('meta[name="SiteIDCode"]').get_attribute("content") == host.site_id_code
    assert page.get_by_role("link", name="进入政府信息公开").is_visible()


def test_the_english_switch_changes_the_interface_and_persists(demo_site, page):
    page.goto("/yishenqing/")

    page.get_by_role("button", name="English").click()

    page.wait_for_url("**/yishenqing/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Disclosure on request"
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Home").click()
    assert page.get_by_role("link", name="Go to government information disclosure").is_visible()
    page.get_by_role("button", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_large_text_mode_enlarges_the_text_and_persists_across_pages_and_visits(demo_site, page, context):
    page.goto("/")
    normal = font_size(page)
    normal_nav = font_size(page, ".site-nav-list a")

    page.get_by_role("button", name="长辈版").click()

    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") == "mode-large"
    assert font_size(page) >= 1.3 * normal
    assert font_size(page, ".site-nav-list a") >= 1.3 * normal_nav
    assert page.get_by_role("button", name="长辈版").get_attribute("aria-pressed") == "true"

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="依申请公开").click()
    page.wait_for_url("**/yishenqing/")
    assert font_size(page) >= 1.3 * normal
    page.reload()
    assert font_size(page) >= 1.3 * normal

    later_visit = context.new_page()
    later_visit.goto("/hudong/")
    assert font_size(later_visit) >= 1.3 * normal
    later_visit.close()

    page.get_by_role("button", name="标准版").click()
    page.wait_for_load_state()
    assert font_size(page) == normal


def test_high_contrast_mode_is_black_with_white_and_yellow_and_persists(demo_site, page, context):
    page.goto("/")
    assert computed(page, "body", "backgroundColor") != "rgb(0, 0, 0)"

    page.get_by_role("button", name="高对比度").click()

    page.wait_for_load_state()

    def assert_high_contrast(page):
        assert page.locator("html").get_attribute("class") == "mode-contrast"
        for selector in ("body", ".site-header", ".site-nav", "main", ".site-footer", ".feature, .card"):
            if page.locator(selector).count():
                assert computed(page, selector, "backgroundColor") == "rgb(0, 0, 0)", selector
        assert computed(page, BODY_TEXT, "color") == "rgb(255, 255, 255)"
        assert computed(page, "main a", "color") == "rgb(255, 255, 0)"
        assert computed(page, ".site-footer a", "color") == "rgb(255, 255, 0)"

    assert_high_contrast(page)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息公开").click()
    page.wait_for_url("**/gongkai/")
    assert_high_contrast(page)
    page.reload()
    assert_high_contrast(page)
    later_visit = context.new_page()
    later_visit.goto("/gongkai/zdqfzhggj/")
    assert_high_contrast(later_visit)
    later_visit.close()


@pytest.mark.parametrize("modes", ["", "large", "contrast", "contrast.large"])
def test_every_page_fits_a_360_pixel_wide_phone(demo_site, page, context, modes):
    if modes:
        context.add_cookies([{"name": "gongkai_display", "value": modes, "url": demo_site}])
    page.set_viewport_size({"width": 360, "height": 740})
    for path in PAGES:
        page.goto(path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 360, (path, modes, scroll_width)
        assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="互动交流").is_visible()


def test_the_keyboard_reaches_the_skip_link_first_then_the_navigation_with_visible_focus(demo_site, page):
    page.goto("/")

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    assert first["text"] == "跳到主要内容"
    assert first["visible"], "the skip link shows when focused"
    assert first["outlineStyle"] != "none" and first["outlineWidth"] >= 2

    reached_nav = []
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, focused
        if focused["inNav"]:
            reached_nav.append(focused["text"])
            if len(reached_nav) == 2:
                break
    assert reached_nav == ["首页", "政府信息公开"]

    # The skip link moves the keyboard past the header.
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_STYLE)["text"] == "进入政府信息公开"


def test_the_display_buttons_work_from_the_keyboard(demo_site, page):
    page.goto("/")
    page.get_by_role("button", name="长辈版").focus()

    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("html").get_attribute("class") == "mode-large"


@pytest.mark.parametrize("modes", ["", "large", "contrast"])
def test_axe_finds_no_serious_or_critical_violation_on_the_home_page(demo_site, page, context, modes):
    if modes:
        context.add_cookies([{"name": "gongkai_display", "value": modes, "url": demo_site}])
    page.goto("/")
    assert page.locator("html").get_attribute("class") == (f"mode-{modes}" if modes else None)

    assert serious_violations(page) == []


def test_axe_finds_no_serious_or_critical_violation_on_the_other_pages(demo_site, page):
    found = {}
    for path in PAGES[1:]:
        page.goto(path)
        violations = serious_violations(page)
        if violations:
            found[path] = violations

    assert found == {}


def test_every_request_the_pages_make_goes_to_the_live_server(demo_site, page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    server = urlsplit(demo_site).netloc

    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="高对比度").click()
    page.wait_for_load_state("networkidle")

    assert any(url.endswith("/static/portal/site.css") for url in requests)
    elsewhere = [url for url in requests if urlsplit(url).netloc != server]
    assert elsewhere == []
