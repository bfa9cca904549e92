"""Steps the browser tests share: logging in and out as a demo user, and the accessibility check."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from gongkai.orgs.demo import DEMO_PASSWORD


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.locator(".toolbar-account")).to_contain_text("退出")


def log_out(page) -> None:
    page.locator(".toolbar-account").get_by_role("button", name="退出").click()
    expect(page.locator(".toolbar-account")).to_contain_text("登录")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
