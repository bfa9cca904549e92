"""A whole district in a real browser (issue 10, item 7): from the district home to a bureau's own site and its
catalogue, a policy document and its interpretation both ways, then a search over every organisation."""

import pytest

from tests.browser.steps import serious_violations

pytestmark = pytest.mark.browser

POLICY = "张店区政府投资项目管理办法"
INTERPRETATION = "《张店区政府投资项目管理办法》政策解读"


@pytest.fixture
def district_site(demo_site):
    from gongkai.catalog.demo import load_publications

    load_publications()
    return demo_site


def test_from_the_district_home_to_a_bureaus_policy_and_its_interpretation_and_a_district_search(
    district_site, page
):
    page.goto("/")  # the district home lists the organisations by kind, affiliates under their parent
    page.get_by_role("main").get_by_role("link", name="张店区发展和改革局", exact=True).click()

    header = page.locator(".org-site-header")
    assert "张店区发展和改革局" in header.locator(".org-site-name").inner_text()
    assert serious_violations(page) == []

    header.get_by_role("link", name="公开目录").click()
    assert page.locator(".org-site-nav-list a[aria-current='page']").inner_text() == "公开目录"
    page.get_by_role("table").get_by_role("link", name=POLICY, exact=True).click()

    assert page.get_by_role("heading", level=1).inner_text() == POLICY
    interpretations = page.locator("section", has=page.get_by_role("heading", name="政策解读"))
    interpretations.get_by_role("link", name=INTERPRETATION).click()
    assert page.get_by_role("heading", level=1).inner_text() == INTERPRETATION
    interpreted = page.locator("section", has=page.get_by_role("heading", name="解读的文件"))
    assert interpreted.get_by_role("link", name=POLICY).is_visible()
    assert serious_violations(page) == []

    page.goto("/gongkai/search/?q=工作制度")
    results = page.get_by_role("main").inner_text()
    # The rules of several organisations, found in one search over the district.
    assert "张店区发展和改革局政府信息公开工作制度" in results
    assert "体育场街道办事处政府信息公开工作制度" in results or "张店区行政审批服务局政府信息公开工作制度" in results
