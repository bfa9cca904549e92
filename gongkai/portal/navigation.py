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
