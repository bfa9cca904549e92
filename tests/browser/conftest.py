"""Browser tests: the live server driven by Debian's /usr/bin/chromium through Playwright.

Every test here is marked ``@pytest.mark.browser`` (collection fails otherwise). When a test fails, a
full-page screenshot of its page is kept in ``test-results/screenshots/<test name>.png``.
A missing Chromium fails the tests; it never skips them.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-results" / "screenshots"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [
        item.nodeid
        for item in items
        if HERE in Path(str(item.path)).resolve().parents and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "浏览器测试必须标记 @pytest.mark.browser。 Browser tests must be marked @pytest.mark.browser: "
            + ", ".join(unmarked)
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item (``item.rep_setup``, ``rep_call``) for the page fixture."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"未找到 Chromium：{CHROMIUM}。请安装 Debian 的 chromium 软件包（apt-get install chromium）。 "
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package (apt-get install chromium).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server, transactional_db) -> str:
    """The demo district loaded into the live server's database (flushed after each test); its URL."""
    from gongkai import demo

    demo.load_district()
    return live_server.url


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile (no cookies) whose browser asks for Simplified Chinese, as in China."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
    )
    yield context
    context.close()


@pytest.fixture
def page(context, request: pytest.FixtureRequest) -> Iterator:
    """A page whose test fails if the browser refuses anything under the Content-Security-Policy (an inline style
    or script slipped into a template)."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    if any(
        getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    ):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.\-\[\]]+", "_", request.node.name)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        except Exception as error:  # the page may be gone; the test's own failure is what matters
            print(f"screenshot failed: {error}")
    page.close()
    if refused:
        pytest.fail(f"内容安全策略拦截了页面的内容 / the Content-Security-Policy refused: {refused}", pytrace=False)
