"""The public site shell: a Chinese government website with the statutory meta tags and footer facts,
large-text and high-contrast modes that persist, Chinese by default with English, and nothing that
loads from another host."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Department, Organization, OrganizationKind, User
from gongkai.portal import display
from gongkai.portal.directory import organization_directory
from gongkai.portal.models import SiteSettings
from gongkai.portal.services import save_site_settings

pytestmark = pytest.mark.django_db

# What a browser sends with a form's POST from a page of this site (see gongkai.lib.origin).
FROM_THIS_SITE = {"HTTP_ORIGIN": "http://testserver"}
BUREAU_FACTS = {
    "address": "张店区新村西路226号张店区政务中心1024室",
    "postcode": "255000",
    "phone": "0533-2869859",
    "fax": "0533-2869858",
    "email": "zdfgj@zhangdian.gov.cn",
    "office_hours": "工作日 上午8:30—12:00，下午13:30—17:30",
    "site_id_code": "3703030011",
    "icp_record": "鲁ICP备05004876号",
    "police_record": "鲁公网安备 37030302000123号",
}

PAGES = [
    # (url name, args, ColumnName, ColumnType)
    ("portal:home", [], "首页", "首页"),
    ("portal:disclosure", [], "政府信息公开", "信息公开目录"),
    ("portal:organization", ["zdqfzhggj"], "政府信息公开", "信息公开目录"),
    ("portal:requests", [], "依申请公开", "依法申请公开"),
    ("portal:credit", [], "信用张店", "工作动态"),
    ("portal:interaction", [], "互动交流", "咨询投诉"),
]


@pytest.fixture
def bureau(db):
    """张店区发展和改革局 as the host (主办单位) of the site, with its disclosure office."""
    bureau = Organization.objects.create(
        name="张店区发展和改革局",
        short_name="区发改局",
        slug="zdqfzhggj",
        kind=OrganizationKind.DEPARTMENT,
        uscc="1137030300421716XM",
        is_reporting=True,
        sort_order=20,
        **BUREAU_FACTS,
    )
    Department.objects.create(organization=bureau, name="办公室", is_disclosure_office=True, phone="0533-2869857")
    Department.objects.create(organization=bureau, name="价格管理科")
    site = SiteSettings.current()
    site.name = "张店区发展和改革局"
    site.domain = "fgj.zhangdian.gov.cn"
    site.host = bureau
    site.save()
    return bureau


@pytest.fixture
def district(bureau):
    """The bureau and its neighbours: a government, an affiliate, a street office and an inactive agency."""
    government = Organization.objects.create(
        name="张店区人民政府",
        slug="zdqrmzf",
        kind=OrganizationKind.GOVERNMENT,
        uscc="113703030042240015",
        address="淄博市张店区人民西路86号",
        sort_order=10,
    )
    affiliate = Organization.objects.create(
        name="张店区重点项目服务中心",
        slug="zdqzdxmfwzx",
        kind=OrganizationKind.INSTITUTION,
        uscc="12370303MB2859011N",
        parent=bureau,
        phone="0533-2869860",
        sort_order=30,
    )
    street = Organization.objects.create(
        name="体育场街道办事处",
        slug="zdqtycjdbsc",
        kind=OrganizationKind.STREET_OFFICE,
        uscc="11370303004224175E",
        is_reporting=True,
        sort_order=60,
    )
    closed = Organization.objects.create(
        name="张店区已撤销局",
        slug="closed",
        kind=OrganizationKind.DEPARTMENT,
        uscc="11370303MB2858350L",
        is_active=False,
        is_reporting=True,
        sort_order=40,
    )
    return {"government": government, "affiliate": affiliate, "street": street, "closed": closed}


def get(client, name, *args, **headers):
    response = client.get(reverse(name, args=args), **headers)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


class Tags(HTMLParser):
    """Every start tag of a page, as (tag, attrs dict), plus the text of each inline script."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def meta(self, name: str) -> str | None:
        for tag, attrs in self.tags:
            if tag == "meta" and attrs.get("name") == name:
                return attrs.get("content")
        return None

    def first(self, tag_name: str) -> dict:
        return next(attrs for tag, attrs in self.tags if tag == tag_name)


# --- Meta tags and footer (《政府网站发展指引》) -------------------------------------------------------


@pytest.mark.parametrize(("name", "args", "column_name", "column_type"), PAGES)
def test_every_page_carries_the_site_and_column_meta_tags(client, district, name, args, column_name, column_type):
    tags = Tags(get(client, name, *args))

    assert tags.meta("SiteName") == "张店区发展和改革局"
    assert tags.meta("SiteDomain") == "fgj.zhangdian.gov.cn"
    assert tags.meta("SiteIDCode") == "3703030011"
    assert tags.meta("ColumnName") == column_name
    assert tags.meta("ColumnType") == column_type
    assert tags.meta("ColumnDescription")
    assert tags.meta("ColumnKeywords")


def test_the_credit_page_takes_its_name_from_the_site_settings(client, bureau):
    site = SiteSettings.current()
    site.credit_site_name = "信用淄川"
    site.save()

    html = get(client, "portal:credit")

    assert Tags(html).meta("ColumnName") == "信用淄川"
    assert "<h1>信用淄川</h1>" in html
    assert "信用张店" not in html


@pytest.mark.parametrize(("name", "args", "column_name", "column_type"), PAGES)
def test_the_footer_shows_every_fact_of_the_host_organisation(client, district, name, args, column_name, column_type):
    html = get(client, name, *args)
    footer = html[html.index('<footer class="site-footer">') :]

    assert "张店区发展和改革局" in footer
    for field in ("address", "postcode", "phone", "site_id_code", "icp_record", "police_record"):
        assert BUREAU_FACTS[field] in footer, field
    for label in ("主办单位", "地址", "邮编", "电话", "网站标识码", "ICP备案号", "公安备案号"):
        assert f"<dt>{label}</dt>" in footer, label


def test_the_footer_follows_the_host_when_the_administrator_changes_it(client, district):
    site = SiteSettings.current()
    site.host = district["government"]
    site.save()

    footer = get(client, "portal:home").split('<footer class="site-footer">')[1]

    assert "张店区人民政府" in footer
    assert "淄博市张店区人民西路86号" in footer
    assert BUREAU_FACTS["address"] not in footer
    assert "<dt>网站标识码</dt>" not in footer  # the government has none on record: no empty label


def test_the_header_names_the_host_when_the_site_has_another_name(client, district):
    site = SiteSettings.current()
    site.name = "张店区政务公开平台"
    site.save()

    html = get(client, "portal:home")

    header = html[html.index("<header") : html.index("</header>")]
    assert "张店区政务公开平台" in header
    assert "主办单位：张店区发展和改革局" in header


def test_a_fresh_installation_renders_without_settings_or_organisations(client):
    html = get(client, "portal:home")

    assert "本站尚未登记任何机构。" in html
    assert SiteSettings.objects.get().pk == 1


# --- Language -------------------------------------------------------------------------------------


def test_pages_are_in_simplified_chinese_by_default(client, district):
    html = get(client, "portal:home")

    assert Tags(html).first("html")["lang"] == "zh-Hans"
    assert ">跳到主要内容</a>" in html
    assert ">首页</a>" in html
    assert ">依申请公开</a>" in html
    assert 'lang="en">English</button>' in html


def test_set_language_switches_the_site_to_english(client, district):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/gongkai/"}, **FROM_THIS_SITE)
    assert response.status_code == 302
    assert response["Location"] == "/gongkai/"

    html = get(client, "portal:disclosure")

    assert Tags(html).first("html")["lang"] == "en"
    assert ">Skip to main content</a>" in html
    assert "<h1>Government information disclosure</h1>" in html
    assert ">Large text</button>" in html
    assert 'lang="zh-hans">简体中文</button>' in html
    # The statutory meta values are an enumeration in Chinese, whatever the interface language.
    assert Tags(html).meta("ColumnType") == "信息公开目录"


def test_a_browser_asking_for_english_gets_english(client, district):
    html = get(client, "portal:home", HTTP_ACCEPT_LANGUAGE="en")

    assert Tags(html).first("html")["lang"] == "en"
    assert ">Home</a>" in html


@pytest.mark.parametrize(("name", "args"), [(name, args) for name, args, _n, _t in PAGES])
def test_the_english_pages_have_no_untranslated_chinese_interface_text(client, name, args):
    """With data in Latin letters, any Chinese left on an English page is a missing translation."""
    host = Organization.objects.create(
        name="Zhangdian DRC",
        slug="zdqfzhggj",
        kind=OrganizationKind.DEPARTMENT,
        uscc="1137030300421716XM",
        is_reporting=True,
        address="Room 1024, 226 Xincun West Road",
        postcode="255000",
        phone="0533-2869859",
        fax="0533-2869858",
        email="zdfgj@zhangdian.gov.cn",
        office_hours="8:30-12:00",
        site_id_code="3703030011",
        icp_record="ICP 05004876",
        police_record="PSB 37030302000123",
    )
    Department.objects.create(organization=host, name="Office", is_disclosure_office=True, phone="0533-1")
    Organization.objects.create(
        name="Project Centre",
        slug="centre",
        kind=OrganizationKind.INSTITUTION,
        uscc="12370303MB2859011N",
        parent=host,
    )
    for kind, code in [
        (OrganizationKind.GOVERNMENT, "113703030042240015"),
        (OrganizationKind.STREET_OFFICE, "11370303004224175E"),
        (OrganizationKind.TOWN, "11370303MB2858350L"),
        (OrganizationKind.OTHER, "113703030042181891"),
    ]:
        Organization.objects.create(name=f"Org {kind}", slug=f"org-{kind}".replace("_", "-"), kind=kind, uscc=code)
    site = SiteSettings.current()
    site.name, site.domain, site.host, site.credit_site_name = (
        "Zhangdian",
        "fgj.zhangdian.gov.cn",
        host,
        "Credit",
    )
    site.save()
    client.cookies[display.COOKIE_NAME] = "large"  # also shows the 标准版 (reset) button
    user = User.objects.create_user("wang", password="x", organization=host)
    client.force_login(user)

    html = get(client, name, *args, HTTP_ACCEPT_LANGUAGE="en")

    body = html[html.index("<body>") :]
    body = body.replace('lang="zh-hans">简体中文</button>', "")
    assert re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", body) == []


# --- Display modes (长辈版, 高对比度) -------------------------------------------------------------------


def test_the_large_text_cookie_puts_its_class_on_the_html_element(client, bureau):
    client.cookies[display.COOKIE_NAME] = "large"

    tags = Tags(get(client, "portal:requests"))

    assert tags.first("html")["class"] == "mode-large"
    large = next(attrs for tag, attrs in tags.tags if attrs.get("value") == "large")
    assert large["aria-pressed"] == "true"


def test_without_a_cookie_the_html_element_has_no_mode_class(client, bureau):
    tags = Tags(get(client, "portal:home"))

    assert "class" not in tags.first("html")
    large = next(attrs for tag, attrs in tags.tags if attrs.get("value") == "large")
    assert large["aria-pressed"] == "false"


def test_an_unknown_cookie_value_is_ignored(client, bureau):
    client.cookies[display.COOKIE_NAME] = 'large" onload="x'

    assert "class" not in Tags(get(client, "portal:home")).first("html")


def test_choosing_large_text_sets_a_long_lived_cookie_and_goes_back(client, bureau):
    response = client.post(
        reverse("portal:display"), {"mode": "large", "next": "/yishenqing/?page=2"}, **FROM_THIS_SITE
    )

    assert response.status_code == 302
    assert response["Location"] == "/yishenqing/?page=2"
    cookie = response.cookies[display.COOKIE_NAME]
    assert cookie.value == "large"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert Tags(get(client, "portal:credit")).first("html")["class"] == "mode-large"


def test_the_two_modes_combine_and_each_toggles_off(client, bureau):
    client.post(reverse("portal:display"), {"mode": "large", "next": "/"}, **FROM_THIS_SITE)
    client.post(reverse("portal:display"), {"mode": "contrast", "next": "/"}, **FROM_THIS_SITE)
    assert Tags(get(client, "portal:home")).first("html")["class"] == "mode-contrast mode-large"

    client.post(reverse("portal:display"), {"mode": "large", "next": "/"}, **FROM_THIS_SITE)
    assert Tags(get(client, "portal:home")).first("html")["class"] == "mode-contrast"


def test_reset_returns_to_the_standard_view(client, bureau):
    client.cookies[display.COOKIE_NAME] = "contrast.large"

    response = client.post(reverse("portal:display"), {"mode": "reset", "next": "/"}, **FROM_THIS_SITE)

    assert response.cookies[display.COOKIE_NAME]["max-age"] == 0
    assert "class" not in Tags(get(client, "portal:home")).first("html")


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/phish",
        "http://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_the_display_endpoint_never_redirects_off_site(client, bureau, next_url):
    response = client.post(reverse("portal:display"), {"mode": "large", "next": next_url}, **FROM_THIS_SITE)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_the_display_endpoint_rejects_an_unknown_mode_by_name(client, bureau):
    response = client.post(reverse("portal:display"), {"mode": "huge", "next": "/"}, **FROM_THIS_SITE)

    assert response.status_code == 400
    assert "huge" in response.content.decode()
    assert display.COOKIE_NAME not in response.cookies


def test_the_display_endpoint_only_accepts_post(client, bureau):
    assert client.get(reverse("portal:display"), {"mode": "large"}).status_code == 405


@pytest.mark.parametrize("switch, data", [("portal:display", {"mode": "large"}), ("set_language", {"language": "en"})])
@pytest.mark.parametrize(
    "headers",
    [
        {},  # a browser sends Origin or Sec-Fetch-Site with every form's POST; a forger's script may send neither
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # a sibling host is another site
    ],
)
def test_the_switches_refuse_a_post_from_another_site(bureau, switch, data, headers):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse(switch), {**data, "next": "/"}, **headers)

    assert response.status_code == 403
    assert "此设置只接受本网站页面提交的请求" in response.content.decode()
    assert not response.cookies


@pytest.mark.parametrize("switch, data", [("portal:display", {"mode": "large"}), ("set_language", {"language": "en"})])
@pytest.mark.parametrize(
    "headers", [FROM_THIS_SITE, {"HTTP_SEC_FETCH_SITE": "same-origin"}, {"HTTP_ORIGIN": "https://gongkai.example"}]
)
def test_the_switches_take_a_post_from_this_site_without_a_csrf_token(bureau, settings, switch, data, headers):
    from django.test import Client

    settings.CSRF_TRUSTED_ORIGINS = ["https://gongkai.example"]  # the address readers use, behind a proxy
    response = Client(enforce_csrf_checks=True).post(reverse(switch), {**data, "next": "/"}, **headers)

    assert response.status_code == 302 and response.cookies


# --- Pages and their data ----------------------------------------------------------------------------


def test_the_home_page_lists_organisations_by_kind_with_affiliates_under_their_parent(client, district):
    html = get(client, "portal:home")
    directory = html[html.index('id="directory-heading"') :]

    positions = [
        directory.index(text)
        for text in (
            "区政府",
            "张店区人民政府",
            "区政府部门",
            "张店区发展和改革局",
            "所属事业单位",
            "张店区重点项目服务中心",
            "街道办事处",
            "体育场街道办事处",
        )
    ]
    assert positions == sorted(positions)
    assert '<a href="/gongkai/zdqzdxmfwzx/">张店区重点项目服务中心</a>' in directory
    assert "张店区已撤销局" not in html
    # The affiliate is not listed a second time under 事业单位.
    assert ">事业单位<" not in directory


def test_the_home_page_places_the_disclosure_column_prominently(client, district):
    html = get(client, "portal:home")
    main = html[html.index("<main") :]

    assert main.index('id="feature-disclosure"') < main.index('id="directory-heading"')
    assert '<a class="button" href="/gongkai/">' in main


def test_the_navigation_marks_the_current_section(client, district):
    def main_nav(html: str) -> Tags:
        start = html.index('<nav class="site-nav"')
        return Tags(html[start : html.index("</nav>", start)])

    home = main_nav(get(client, "portal:home"))
    org_html = get(client, "portal:organization", "zdqfzhggj")
    org_page = main_nav(org_html)

    assert [a["href"] for tag, a in home.tags if tag == "a" and a.get("aria-current") == "page"] == ["/"]
    assert [a["href"] for tag, a in org_page.tags if tag == "a" and a.get("aria-current") == "true"] == ["/gongkai/"]
    assert not [a for tag, a in org_page.tags if tag == "a" and a.get("aria-current") == "page"]
    # The organisation's own site menu marks its home page.
    marked = [a["href"] for tag, a in Tags(org_html).tags if tag == "a" and a.get("aria-current") == "page"]
    assert marked == ["/gongkai/zdqfzhggj/"]


def test_the_organisation_page_shows_its_contact_facts_and_disclosure_office(client, district):
    html = get(client, "portal:organization", "zdqfzhggj")

    assert "<h1>张店区发展和改革局</h1>" in html
    main = html[html.index("<main") : html.index("</main>")]
    for field in ("address", "postcode", "phone", "fax", "email", "office_hours"):
        assert BUREAU_FACTS[field] in main, field
    assert "办公室（电话 0533-2869857）" in main
    assert "价格管理科" not in main
    assert "1137030300421716XM" in main
    assert '<a href="/gongkai/zdqzdxmfwzx/">张店区重点项目服务中心</a>' in main


def test_an_affiliate_page_links_to_its_parent(client, district):
    html = get(client, "portal:organization", "zdqzdxmfwzx")

    assert '<a href="/gongkai/zdqfzhggj/">张店区发展和改革局</a>' in html
    assert "本机关尚未登记政府信息公开工作机构。" in html


def test_an_organisation_without_contact_facts_says_so(client, district):
    html = get(client, "portal:organization", "zdqtycjdbsc")

    assert "本机关尚未登记联系方式。" in html


@pytest.mark.parametrize("slug", ["nosuchagency", "closed"])
def test_an_unknown_or_inactive_organisation_is_not_found(client, district, slug):
    response = client.get(reverse("portal:organization", args=[slug]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>页面不存在</h1>" in html
    assert BUREAU_FACTS["site_id_code"] in html  # the page keeps the site's header, footer and meta tags


def test_the_server_error_page_needs_neither_the_database_nor_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "<h1>服务器错误</h1>" in html and "Server error" in html


def test_the_requests_page_says_where_to_send_an_application_to_each_organisation(client, district):
    html = get(client, "portal:requests")

    assert "第二十九条" in html
    assert BUREAU_FACTS["address"] in html and BUREAU_FACTS["office_hours"] in html
    assert "淄博市张店区人民西路86号" in html
    assert "张店区重点项目服务中心" in html and "张店区发展和改革局所属事业单位" in html
    assert "张店区已撤销局" not in html


def test_the_credit_page_lists_the_active_reporting_organisations_only(client, district):
    html = get(client, "portal:credit")
    main = html[html.index("<main") : html.index("</main>")]

    assert "共 2 个报送单位。" in main
    assert "张店区发展和改革局" in main and "体育场街道办事处" in main
    assert "张店区人民政府" not in main
    assert "张店区已撤销局" not in main


def test_the_interaction_page_gives_each_organisations_channels(client, district):
    html = get(client, "portal:interaction")

    assert 'href="mailto:zdfgj@zhangdian.gov.cn"' in html
    assert BUREAU_FACTS["fax"] in html
    assert "0533-2869860" in html


# --- Staff bar ---------------------------------------------------------------------------------------


def test_visitors_see_a_login_link(client, bureau):
    html = get(client, "portal:home")

    assert f'<a href="{reverse("login")}">登录</a>' in html
    assert reverse("logout") not in html


def test_signed_in_staff_see_the_workbench_and_a_logout_form(client, bureau):
    user = User.objects.create_user("zhangsan", password="x", display_name="张三", organization=bureau)
    client.force_login(user)

    html = get(client, "portal:home")

    assert "张三（区发改局）" in html
    assert f'<a href="{reverse("orgs:workbench")}">工作台</a>' in html
    assert f'<form class="inline-form" method="post" action="{reverse("logout")}">' in html


def test_messages_are_shown_in_the_shell(rf, bureau):
    from django.contrib import messages
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from gongkai.portal import views

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.success(request, "站点设置已保存。")

    html = views.home(request).content.decode()

    assert '<div role="status"><ul class="messages">' in html  # a role on the list would hide its items (axe)
    assert '<li class="message message-success">站点设置已保存。</li>' in html


# --- Nothing loads from another host; CSP-friendly markup ---------------------------------------------


def all_pages(client) -> list[str]:
    pages = [get(client, name, *args) for name, args, _n, _t in PAGES]
    client.cookies[display.COOKIE_NAME] = "contrast.large"
    pages += [get(client, name, *args) for name, args, _n, _t in PAGES]
    return pages


def test_no_page_has_inline_script_style_or_event_handlers(client, district):
    for html in all_pages(client):
        for tag, attrs in Tags(html).tags:
            assert "style" not in attrs, (tag, attrs)
            assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
            if tag == "script":
                assert attrs.get("src"), "inline <script>"
            assert tag != "style", "inline <style>"


def test_no_page_loads_a_font_script_style_or_image_from_another_host(client, district):
    for html in all_pages(client):
        for tag, attrs in Tags(html).tags:
            if tag not in ("link", "script", "img", "source", "iframe", "object", "embed"):
                continue
            for attr in ("src", "href", "srcset", "data"):
                url = attrs.get(attr)
                if url:
                    parts = urlsplit(url)
                    assert not parts.scheme and not parts.netloc, (tag, attr, url)
    css = (Path(__file__).resolve().parent.parent / "gongkai/portal/static/portal/site.css").read_text()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


# --- Site settings -----------------------------------------------------------------------------------


def test_there_is_one_site_settings_row(db):
    first = SiteSettings.current()
    again = SiteSettings(name="另一个")
    again.save()

    assert SiteSettings.objects.count() == 1
    assert SiteSettings.current().name == "另一个"
    assert first.pk == again.pk == 1


def test_saving_the_site_settings_is_audited(bureau):
    admin = User.objects.create_user("admin", password="x", organization=bureau)
    site = SiteSettings.current()
    site.domain = "www.zhangdian.gov.cn"

    save_site_settings(site, by=admin, changed_fields=["domain"])

    event = AuditEvent.objects.get(action="site.settings_changed")
    assert event.actor == admin
    assert event.data == {"changes": {"domain": "www.zhangdian.gov.cn"}}
    assert SiteSettings.current().domain == "www.zhangdian.gov.cn"


def test_the_admin_saves_site_settings_through_the_audited_service(client, bureau):
    admin = User.objects.create_superuser("root", password="x", organization=bureau)
    client.force_login(admin)
    url = reverse("admin:portal_sitesettings_change", args=[1])

    response = client.post(
        url,
        {
            "name": "张店区发展和改革局",
            "domain": "fgj.zhangdian.gov.cn",
            "host": bureau.pk,
            "credit_site_name": "信用淄博",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert SiteSettings.current().credit_site_name == "信用淄博"
    event = AuditEvent.objects.get(action="site.settings_changed")
    assert event.data["changes"] == {"credit_site_name": "信用淄博"}
    assert client.get(reverse("admin:portal_sitesettings_add")).status_code == 403
    assert client.get(reverse("admin:portal_sitesettings_delete", args=[1])).status_code == 403


# --- The directory of organisations -------------------------------------------------------------------


def org(pk: int, name: str, kind: str = OrganizationKind.DEPARTMENT, parent: int | None = None) -> Organization:
    return Organization(pk=pk, name=name, slug=f"org{pk}", kind=kind, parent_id=parent)


def listed(groups) -> list[tuple[str, str, list[str]]]:
    return [
        (group.kind, entry.organization.name, [affiliate.name for affiliate in entry.affiliates])
        for group in groups
        for entry in group.entries
    ]


def test_the_directory_follows_the_order_of_kinds_and_keeps_the_given_order_within_a_kind():
    groups = organization_directory(
        [
            org(1, "乙局"),
            org(2, "街道", OrganizationKind.STREET_OFFICE),
            org(3, "甲局"),
            org(4, "区政府", OrganizationKind.GOVERNMENT),
        ]
    )

    assert listed(groups) == [
        ("government", "区政府", []),
        ("department", "乙局", []),
        ("department", "甲局", []),
        ("street_office", "街道", []),
    ]
    assert [group.label for group in groups] == ["区政府", "区政府部门", "街道办事处"]


def test_an_affiliate_of_an_affiliate_is_listed_under_the_topmost_parent():
    groups = organization_directory(
        [
            org(3, "中心下属站", OrganizationKind.INSTITUTION, parent=2),
            org(1, "发改局"),
            org(2, "项目中心", OrganizationKind.INSTITUTION, parent=1),
        ]
    )

    assert listed(groups) == [("department", "发改局", ["中心下属站", "项目中心"])]


def test_an_affiliate_whose_parent_is_not_listed_stands_under_its_own_kind():
    groups = organization_directory([org(2, "项目中心", OrganizationKind.INSTITUTION, parent=1)])

    assert listed(groups) == [("institution", "项目中心", [])]


def test_a_cycle_of_parents_hides_no_organisation():
    groups = organization_directory([org(1, "甲", parent=2), org(2, "乙", parent=1), org(3, "丙", parent=2)])

    names = [each for _kind, name, affiliates in listed(groups) for each in (name, *affiliates)]
    assert sorted(names) == sorted(["甲", "乙", "丙"])


def test_an_unknown_kind_is_listed_under_other():
    groups = organization_directory([org(1, "旧数据", kind="abolished")])

    assert listed(groups) == [("other", "旧数据", [])]


def test_the_home_page_lists_an_affiliate_of_an_inactive_parent_under_its_kind(client, district):
    Organization.objects.filter(pk=district["government"].pk).update(is_active=False)
    Organization.objects.filter(slug="zdqfzhggj").update(is_active=False)

    html = get(client, "portal:home")

    assert '<h3 id="kind-institution">事业单位</h3>' in html
    assert "张店区重点项目服务中心" in html
