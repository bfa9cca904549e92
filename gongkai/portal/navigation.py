"""The main navigation bar: 首页 / 政府信息公开 / 依申请公开 / 信用张店 / 互动交流."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    # The value of aria-current: "page" on the item's own page, "true" anywhere else in its section
    # (the catalogue and forms that later apps put under /gongkai/, /yishenqing/ …), else "".
    current: str


def main_navigation(path: str, credit_site_name: str) -> list[NavItem]:
    """The navigation items, marking the one whose section contains ``path``."""
    items = [
        (gettext("首页"), reverse("portal:home")),
        (gettext("政府信息公开"), reverse("portal:disclosure")),
        (gettext("依申请公开"), reverse("portal:requests")),
        (credit_site_name or gettext("信用网站"), reverse("portal:credit")),
        (gettext("互动交流"), reverse("portal:interaction")),
    ]
    return _marked(items, path)


def _marked(items: list[tuple[str, str]], path: str) -> list[NavItem]:
    """The items with ``current`` set: "page" on the item's own page, "true" below it (never below the first,
    the home page, which every path is below)."""
    home_url = items[0][1]
    nav = []
    for label, url in items:
        if path == url:
            current = "page"
        elif url != home_url and path.startswith(url):
            current = "true"
        else:
            current = ""
        nav.append(NavItem(label=label, url=url, current=current))
    return nav


# The pages of an organisation's own disclosure site (/gongkai/<slug>/…): they carry its header and site menu.
ORGANIZATION_SITE_PAGES = frozenset(
    {
        "portal:organization",
        "portal:organization_requests",
        "portal:organization_questions",
        "catalog:guide",
        "catalog:organization_catalog",
        "catalog:column",
        "catalog:detail",
    }
)


def organization_navigation(organization, path: str) -> list[NavItem]:
    """An organisation site's menu (站群: every organisation has its own 政府信息公开 site): its home, guide,
    rules, statutory content, catalogue, annual reports, requests and inquiries."""
    slug = organization.slug
    items = [
        (gettext("首页"), reverse("portal:organization", args=[slug])),
        (gettext("公开指南"), reverse("catalog:guide", args=[slug])),
        (gettext("公开制度"), reverse("catalog:column", args=[slug, "rules"])),
        (gettext("法定主动公开内容"), reverse("catalog:column", args=[slug, "statutory"])),
        (gettext("公开目录"), reverse("catalog:organization_catalog", args=[slug])),
        (gettext("公开年报"), reverse("catalog:column", args=[slug, "annual-reports"])),
        (gettext("依申请公开"), reverse("portal:organization_requests", args=[slug])),
        (gettext("咨询"), reverse("portal:organization_questions", args=[slug])),
    ]
    return _marked(items, path)
