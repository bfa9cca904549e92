"""The public side of the catalogue: each organisation's 政府信息公开 home with the four first-level
columns, the guide generated from its data (条例第十二条), column pages, the catalogue (目录) with its
filters and capped count, the credit site's columns, the search page, Atom feeds and the sitemap.
Only published items are listed anywhere."""

import datetime
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from gongkai.catalog import query, services
from gongkai.catalog.models import Column, Genre, Guide, Publication, Topic
from gongkai.orgs import roles
from gongkai.orgs.models import Department, Organization, User
from gongkai.orgs.services import grant_role

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# --- helpers -----------------------------------------------------------------------------------------


class Tags(HTMLParser):
    """Every start tag of a page as (tag, attrs dict)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def meta(self, name: str) -> str | None:
        return next((a.get("content") for t, a in self.tags if t == "meta" and a.get("name") == name), None)


def get(client, url: str, status: int = 200, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def row_of(html: str, text: str) -> str:
    """The table row (``<tr>…</tr>``) that contains ``text``."""
    return next(row for row in html.split("<tr>") if text in row).split("</tr>")[0]


def staff_of(organization: Organization) -> tuple[User, User]:
    """A publisher and a reviewer of ``organization`` (the bureau has its demo 赵敏 and 李四)."""
    if organization.uscc == "1137030300421716XM":
        return User.objects.get(username="publisher"), User.objects.get(username="reviewer")
    accounts = []
    for role in (roles.PUBLISHER, roles.REVIEWER):
        user, made = User.objects.get_or_create(username=f"{organization.slug}-{role}", organization=organization)
        if made:
            grant_role(user, role, by=None)
        accounts.append(user)
    return accounts[0], accounts[1]


@pytest.fixture
def publish(bureau):
    """Publish through the real workflow: draft → submit → approve (another person) → publish."""

    def publish(title: str, column: str = "regulations", *, organization=None, **values) -> Publication:
        organization = organization or bureau
        writer, reviewer = staff_of(organization)
        values.setdefault("issued_on", datetime.date(2026, 3, 1))
        draft = services.create_draft(
            by=writer, publisher=organization, title=title, column=Column.objects.get(code=column), **values
        )
        services.submit(draft, by=writer)
        services.approve(draft, by=reviewer)
        return services.publish(draft, by=reviewer)

    return publish


@pytest.fixture
def other(demo):
    return Organization.objects.get(slug="zdqxzspj")


def withdraw(publication: Publication) -> Publication:
    return services.withdraw(publication, by=staff_of(publication.publisher)[0], reason="内容有误")


def draft(bureau, title: str, column: str = "plans") -> Publication:
    return services.create_draft(
        by=User.objects.get(username="publisher"),
        publisher=bureau,
        title=title,
        issued_on=datetime.date(2026, 3, 1),
        column=Column.objects.get(code=column),
    )


# --- meta tags -----------------------------------------------------------------------------------------


PAGES = [
    # (address, ColumnName, ColumnType)
    ("/gongkai/catalog/", "政府信息公开目录", "信息公开目录"),
    ("/gongkai/zdqfzhggj/catalog/", "政府信息公开目录", "信息公开目录"),
    ("/gongkai/zdqfzhggj/guide/", "政府信息公开指南", "信息公开指南"),
    ("/gongkai/zdqfzhggj/column/regulations/", "法规文件", "政策文件"),
    ("/gongkai/zdqfzhggj/column/annual-reports/", "政府信息公开年报", "信息公开年报"),
    ("/gongkai/zdqfzhggj/column/functions/", "机构职能", "机构职能"),
    ("/xinyong/credit-news/", "信用动态", "工作动态"),
    ("/xinyong/credit-policies/", "政策法规", "政策文件"),
    ("/gongkai/search/?q=办法", "站内搜索", "信息公开目录"),
]


@pytest.mark.parametrize(("url", "column_name", "column_type"), PAGES)
def test_every_page_carries_its_column_meta_tags(client, publish, url, column_name, column_type):
    publish("张店区政府投资项目管理办法")

    tags = Tags(get(client, url))

    assert tags.meta("ColumnName") == column_name
    assert tags.meta("ColumnType") == column_type
    assert tags.meta("ColumnDescription") and tags.meta("ColumnKeywords")
    assert tags.meta("SiteIDCode") == "3703030011"


def test_no_page_has_inline_script_style_or_event_handlers(client, publish):
    item = publish("张店区政府投资项目管理办法", body="<p>正文<img src='/media/x.png' alt='图'></p>")
    urls = [url for url, _name, _type in PAGES] + [
        "/gongkai/zdqfzhggj/",
        "/xinyong/",
        "/gongkai/",
        reverse("catalog:detail", args=["zdqfzhggj", item.pk]),
    ]
    for url in urls:
        for tag, attrs in Tags(get(client, url)).tags:
            assert "style" not in attrs, (url, tag, attrs)
            assert not [name for name in attrs if name.startswith("on")], (url, tag, attrs)
            assert tag != "style" and (tag != "script" or attrs.get("src")), (url, tag)


# --- the organisation's 政府信息公开 home -------------------------------------------------------------


def test_the_organisation_home_shows_the_four_columns_with_their_latest_items(client, publish):
    publish("政府信息公开工作制度", "rules")
    publish("2026年重点项目建设计划", "plans")
    publish("2025年政府信息公开工作年度报告", "annual-reports")

    html = main(get(client, "/gongkai/zdqfzhggj/"))

    headings = re.findall(r'<h2 id="column-([a-z-]+)"><a href="([^"]+)">([^<]+)</a></h2>', html)
    assert headings == [
        ("guide", "/gongkai/zdqfzhggj/guide/", "政府信息公开指南"),
        ("rules", "/gongkai/zdqfzhggj/column/rules/", "政府信息公开制度"),
        ("statutory", "/gongkai/zdqfzhggj/column/statutory/", "法定主动公开内容"),
        ("annual-reports", "/gongkai/zdqfzhggj/column/annual-reports/", "政府信息公开年报"),
    ]
    statutory = html[html.index('id="column-statutory"') : html.index('id="column-annual-reports"')]
    assert "2026年重点项目建设计划" in statutory  # a sub-column's item shows under its first-level column
    assert '<a href="/gongkai/zdqfzhggj/column/plans/">规划信息</a>' in statutory
    assert '<a href="/gongkai/zdqfzhggj/column/penalties/">行政处罚</a>' in statutory
    assert "政府信息公开工作制度" in html[html.index('id="column-rules"') : html.index('id="column-statutory"')]
    assert "2025年政府信息公开工作年度报告" in html[html.index('id="column-annual-reports"') :]


def test_the_organisation_home_lists_only_its_own_published_items(client, publish, other, bureau):
    publish("审批事项清单", "licensing", organization=other)
    withdraw(publish("撤回的规划", "plans"))
    draft(bureau, "规划草稿")
    publish("保留的规划", "plans")

    html = main(get(client, "/gongkai/zdqfzhggj/"))

    assert "保留的规划" in html
    for title in ("审批事项清单", "撤回的规划", "规划草稿"):
        assert title not in html, title


def test_the_organisation_home_links_to_its_catalogue_requests_and_search(client, bureau):
    html = main(get(client, "/gongkai/zdqfzhggj/"))

    assert 'href="/gongkai/zdqfzhggj/catalog/"' in html
    assert 'href="/gongkai/zdqfzhggj/yishenqing/"' in html  # its own 依申请公开 page
    assert 'action="/gongkai/search/"' in html
    assert '<input type="hidden" name="publisher" value="zdqfzhggj">' in html


def test_the_disclosure_page_links_to_the_district_catalogue_and_search(client, bureau):
    html = main(get(client, "/gongkai/"))

    assert 'href="/gongkai/catalog/"' in html and 'action="/gongkai/search/"' in html


# --- the catalogue (目录) --------------------------------------------------------------------------------


def test_the_catalogue_lists_index_number_title_summary_dates_and_publisher(client, publish, other):
    item = publish("张店区政府投资项目管理办法", summary="规范政府投资行为。", issued_on=datetime.date(2026, 2, 27))
    publish("审批事项清单", "licensing", organization=other)

    html = main(get(client, "/gongkai/catalog/"))

    row = row_of(html, item.index_no)
    assert f'<a href="/gongkai/zdqfzhggj/doc/{item.pk}/">张店区政府投资项目管理办法</a>' in row
    assert "规范政府投资行为。" in row
    assert "2026-02-27" in row
    assert timezone_date(item.published_at) in row
    assert "张店区发展和改革局" in row
    assert "张店区行政审批服务局" in row_of(html, "审批事项清单")
    assert "共 2 条" in html


def timezone_date(moment: datetime.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d")


def test_the_catalogue_is_newest_first(client, publish):
    first, second = publish("先发布"), publish("后发布")

    html = main(get(client, "/gongkai/catalog/"))

    assert html.index(second.title) < html.index(first.title)


def test_the_catalogue_leaves_out_drafts_withdrawn_items_and_the_credit_sites_columns(client, publish, bureau):
    publish("公开的办法")
    withdraw(publish("撤回的办法"))
    draft(bureau, "草稿办法")
    publish("信用动态一则", "credit-news")

    html = main(get(client, "/gongkai/catalog/"))

    assert "公开的办法" in html
    for title in ("撤回的办法", "草稿办法", "信用动态一则"):
        assert title not in html, title
    assert "共 1 条" in html


def test_each_filter_narrows_the_catalogue(client, publish, other):
    topic = Topic.objects.get(name="财政、金融、审计")
    genre = Genre.objects.get(code="normative")
    publish("规划甲", "plans")
    publish("法规乙", "regulations", genre=genre)
    publish("预算丙", "finance", topic=topic)
    publish("审批丁", "licensing", organization=other)
    this_year = timezone_date(Publication.objects.get(title="规划甲").published_at)[:4]

    def titles(params: str) -> set[str]:
        html = main(get(client, f"/gongkai/catalog/?{params}"))
        return {title for title in ("规划甲", "法规乙", "预算丙", "审批丁") if f">{title}</a>" in html}

    assert titles("column=plans") == {"规划甲"}
    assert titles("column=statutory") == {"规划甲", "法规乙", "预算丙", "审批丁"}
    assert titles(f"topic={topic.pk}") == {"预算丙"}
    assert titles(f"genre={genre.pk}") == {"法规乙"}
    assert titles(f"year={this_year}") == {"规划甲", "法规乙", "预算丙", "审批丁"}
    assert titles(f"year={int(this_year) - 1}") == set()
    assert titles("publisher=zdqxzspj") == {"审批丁"}
    assert titles("publisher=zdqxzspj&publisher=zdqfzhggj") == {"规划甲", "法规乙", "预算丙", "审批丁"}
    assert titles(f"column=statutory&topic={topic.pk}&publisher=zdqfzhggj") == {"预算丙"}


def test_the_filter_form_keeps_the_chosen_values(client, publish):
    topic = Topic.objects.get(name="财政、金融、审计")
    publish("预算丙", "finance", topic=topic)

    html = get(client, f"/gongkai/catalog/?column=finance&topic={topic.pk}&publisher=zdqfzhggj")

    assert '<option value="finance" selected>— 财政预决算</option>' in html
    assert f'<option value="{topic.pk}" selected>财政、金融、审计</option>' in html
    assert '<option value="zdqfzhggj" selected>张店区发展和改革局</option>' in html


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ("year=二〇二六", "二〇二六"),
        ("topic=x", "“x”"),
        ("genre=99999", "99999"),
        ("column=nosuch", "nosuch"),
        ("column=credit-news", "credit-news"),
        ("publisher=nosuch", "nosuch"),
        ("page=zz", "zz"),
        ("page=99999999999999999999999", "99999999999999999999999"),
        ("year=%01&topic=%3Cscript%3E", "&lt;script&gt;"),  # a NUL is refused outright: test_nul_character.py
    ],
)
def test_a_bad_filter_value_is_ignored_and_named_on_the_page(client, publish, params, shown):
    publish("规划甲", "plans")

    html = main(get(client, f"/gongkai/catalog/?{params}"))

    messages = html[html.index('<ul class="messages"') :]
    assert shown in messages[: messages.index("</ul>")]
    assert "规划甲" in html  # the rest of the page is the unfiltered catalogue
    assert "<script>" not in html


def test_an_organisations_catalogue_lists_only_its_own(client, publish, other):
    publish("规划甲", "plans")
    publish("审批丁", "licensing", organization=other)

    html = main(get(client, "/gongkai/zdqfzhggj/catalog/?publisher=zdqxzspj"))

    assert "规划甲" in html and "审批丁" not in html
    assert "<h1>张店区发展和改革局政府信息公开目录</h1>" in html
    assert 'id="filter-publisher"' not in html


def test_an_unknown_or_inactive_organisation_has_no_catalogue(client, demo):
    Organization.objects.filter(slug="zdqxzspj").update(is_active=False)

    assert client.get("/gongkai/nosuch/catalog/").status_code == 404
    assert client.get("/gongkai/zdqxzspj/catalog/").status_code == 404
    assert client.get("/gongkai/zdqxzspj/guide/").status_code == 404


# --- pagination --------------------------------------------------------------------------------------


@pytest.fixture
def five(publish, monkeypatch):
    """Five publications, two to a page."""
    monkeypatch.setattr(query, "PER_PAGE", 2)
    return [publish(f"第{number}件") for number in range(1, 6)]


def test_the_catalogue_is_paginated_with_links_keeping_the_filters(client, five):
    html = main(get(client, "/gongkai/catalog/?column=regulations&page=2"))

    listed = sorted(
        (html.index(f">{t}</a>"), t) for t in ("第1件", "第2件", "第3件", "第4件", "第5件") if f">{t}</a>" in html
    )
    assert [title for _position, title in listed] == ["第3件", "第2件"]
    assert "共 5 条" in html and "第 2/3 页" in html
    last = five[1].pk  # the page's last row: the next page is read from there (gongkai.catalog.query.Cursor)
    assert '<a href="/gongkai/catalog/?column=regulations" rel="prev">上一页</a>' in html
    assert f'<a href="/gongkai/catalog/?column=regulations&amp;page=3&amp;after=2-{last}" rel="next">' in html
    assert '<a href="/gongkai/catalog/?column=regulations&amp;page=2" aria-current="page">2</a>' in html


def test_following_the_pager_to_the_end_and_back_shows_the_same_pages(client, five, monkeypatch):
    import re

    monkeypatch.setattr(query, "COUNT_CAP", 3)  # capped: pages past it are reached through the links
    html = main(get(client, "/gongkai/catalog/"))
    pages, links = [re.findall(r">(第\d件)</a>", html)], []
    for rel in ("next", "next", "prev", "prev"):
        links.append(re.search(rf'<a href="([^"]+)" rel="{rel}">', html).group(1).replace("&amp;", "&"))
        html = main(get(client, links[-1]))
        pages.append(re.findall(r">(第\d件)</a>", html))

    assert pages == [["第5件", "第4件"], ["第3件", "第2件"], ["第1件"], ["第3件", "第2件"], ["第5件", "第4件"]]
    assert links == [
        f"/gongkai/catalog/?page=2&after=1-{five[3].pk}",
        f"/gongkai/catalog/?page=3&after=2-{five[1].pk}",
        f"/gongkai/catalog/?page=2&before=3-{five[0].pk}",
        "/gongkai/catalog/",
    ]
    assert 'rel="prev"' not in html


def test_the_link_to_the_page_shown_keeps_the_position_it_was_reached_with(client, five, monkeypatch):
    monkeypatch.setattr(query, "COUNT_CAP", 3)

    html = main(get(client, f"/gongkai/catalog/?page=2&after=1-{five[3].pk}"))

    assert f'<a href="/gongkai/catalog/?page=2&amp;after=1-{five[3].pk}" aria-current="page">2</a>' in html


def test_a_page_number_past_those_the_capped_count_names_shows_page_one_and_says_why(client, five, monkeypatch):
    monkeypatch.setattr(query, "COUNT_CAP", 3)  # names pages 1-2 of two rows each

    html = main(get(client, "/gongkai/catalog/?page=3"))

    assert "第3页超出按页码可直达的前2页，已显示第1页" in html
    assert ">第5件</a>" in html and ">第1件</a>" not in html


def test_a_position_that_does_not_fit_the_page_is_named_and_the_page_number_used(client, five):
    html = main(get(client, "/gongkai/catalog/?page=2&after=7-1"))

    assert "翻页位置“7-1”与第2页不符，已按页码显示" in html
    assert ">第3件</a>" in html and ">第2件</a>" in html


def test_a_count_over_the_cap_is_shown_capped_and_paging_goes_on(client, five, monkeypatch):
    monkeypatch.setattr(query, "COUNT_CAP", 3)

    first = main(get(client, "/gongkai/catalog/"))
    last = main(get(client, f"/gongkai/catalog/?page=3&after=2-{five[1].pk}"))  # "下一页" of page 2

    assert "3+ 条" in first and "共 3 条" not in first
    assert "第 1 页" in first and "第 1/" not in first
    assert 'rel="next"' in first
    assert ">第1件</a>" in last and 'rel="next"' not in last


def test_the_real_cap_reads_10000_plus(client, five, monkeypatch):
    monkeypatch.setattr(query, "COUNT_CAP", 4)
    monkeypatch.setattr(query, "capped_count", lambda publications, cap=None: (10_000, True))

    assert "10000+ 条" in main(get(client, "/gongkai/catalog/"))


def test_a_page_past_the_end_is_not_found_but_says_where_to_go(client, five):
    html = main(get(client, "/gongkai/catalog/?page=9", status=404))

    assert "第9页没有内容。" in html
    assert '<a href="/gongkai/catalog/">回到第1页</a>' in html


# --- column pages -------------------------------------------------------------------------------------


def test_a_column_page_lists_the_organisations_items_in_it_and_below_it(client, publish, other):
    publish("规划甲", "plans")
    publish("法规乙", "regulations")
    publish("审批丁", "licensing", organization=other)
    publish("制度戊", "rules")

    statutory = main(get(client, "/gongkai/zdqfzhggj/column/statutory/"))
    plans = main(get(client, "/gongkai/zdqfzhggj/column/plans/"))

    assert "规划甲" in statutory and "法规乙" in statutory
    assert "审批丁" not in statutory and "制度戊" not in statutory
    assert "规划甲" in plans and "法规乙" not in plans
    assert '<a href="/gongkai/zdqfzhggj/column/plans/">规划信息</a>' in statutory  # the sub-column links
    assert '<a href="/gongkai/zdqfzhggj/column/statutory/">法定主动公开内容</a>' in plans  # the breadcrumb


def test_a_column_page_offers_its_feed(client, bureau):
    html = get(client, "/gongkai/zdqfzhggj/column/plans/")

    feed = next(a for t, a in Tags(html).tags if t == "link" and a.get("type") == "application/atom+xml")
    assert feed["href"] == "/gongkai/feeds/plans.atom?publisher=zdqfzhggj"


@pytest.mark.parametrize("url", ["/gongkai/zdqfzhggj/column/nosuch/", "/gongkai/zdqfzhggj/column/credit-news/"])
def test_an_unknown_column_or_a_credit_column_under_an_organisation_is_not_found(client, bureau, url):
    assert client.get(url).status_code == 404


def test_the_credit_sites_columns_list_every_organisations_items(client, publish, other):
    publish("信用修复宣传活动", "credit-news")
    publish("双公示数据质量通报", "credit-news", organization=other)
    publish("信用修复办法解读", "credit-policies")

    news = main(get(client, "/xinyong/credit-news/"))

    assert "信用修复宣传活动" in news and "双公示数据质量通报" in news
    assert "信用修复办法解读" not in news
    assert "张店区行政审批服务局" in news  # the publisher column
    assert client.get("/xinyong/plans/").status_code == 404


def test_the_credit_home_shows_its_three_columns_with_their_latest_items(client, publish):
    publish("信用修复宣传活动", "credit-news")
    withdraw(publish("撤回的动态", "credit-news"))

    html = main(get(client, "/xinyong/"))

    for code, name in (("credit-news", "信用动态"), ("credit-policies", "政策法规"), ("credit-knowledge", "信用知识")):
        assert f'<a href="/xinyong/{code}/">{name}</a>' in html
    assert "信用修复宣传活动" in html and "撤回的动态" not in html


# --- the guide (政府信息公开指南) ----------------------------------------------------------------------


def test_the_guide_gives_the_office_facts_from_the_organisations_data(client, bureau):
    Department.objects.filter(organization=bureau, name="办公室").update(phone="0533-2869857")
    Organization.objects.filter(pk=bureau.pk).update(fax="0533-2869858", office_hours="工作日 8:30—17:30")

    html = main(get(client, "/gongkai/zdqfzhggj/guide/"))

    office = html[html.index('id="guide-office"') :]
    assert "张店区发展和改革局办公室" in office
    for fact in (
        "张店区新村西路226号张店区政务中心1024室",
        "255000",
        "工作日 8:30—17:30",
        "0533-2869857",
        "0533-2869858",
        'href="mailto:zdfgj@zhangdian.gov.cn"',
        "/gongkai/zdqfzhggj/",
    ):
        assert fact in office, fact
    assert "0533-2869859" not in office  # the office's own line stands in for the switchboard


def test_the_guide_describes_the_classification_and_how_to_obtain_information(client, bureau):
    html = main(get(client, "/gongkai/zdqfzhggj/guide/"))

    assert "<h1>张店区发展和改革局政府信息公开指南</h1>" in html
    assert '<a href="/gongkai/zdqfzhggj/column/plans/">规划信息</a>' in html
    assert "国民经济管理、国有资产监管" in html and "行政规范性文件" in html
    assert f"如 {bureau.uscc}/" in html
    assert "第二十六条" in html and "第二十九条" in html and "第三十三条" in html
    assert 'href="/gongkai/zdqfzhggj/yishenqing/"' in html  # its own 依申请公开 page
    assert 'href="/gongkai/zdqfzhggj/catalog/"' in html


def test_the_guide_says_what_is_not_on_record(client, demo):
    street = Organization.objects.get(slug="zdqtycjdbsc")
    Organization.objects.filter(pk=street.pk).update(address="", postcode="", phone="", fax="", email="")
    Department.objects.filter(organization=street).update(is_disclosure_office=False)

    html = main(get(client, "/gongkai/zdqtycjdbsc/guide/"))

    office = html[html.index('id="guide-office"') : html.index('id="guide-remedies"')]
    for label in ("办公地址", "邮政编码", "办公时间", "联系电话", "传真", "电子邮箱"):
        assert f"<dt>{label}</dt><dd>未登记</dd>" in office, label
    assert "<dt>名称</dt><dd>体育场街道办事处</dd>" in office
    assert "本机关尚未登记政府信息公开工作机构。" in office


def test_the_guide_ends_with_the_organisations_own_text(client, bureau):
    Guide.objects.create(organization=bureau, text="<p>本机关政府信息公开查阅点设在区档案馆。</p>")

    html = main(get(client, "/gongkai/zdqfzhggj/guide/"))

    assert html.index('id="guide-remedies"') < html.index("<p>本机关政府信息公开查阅点设在区档案馆。</p>")


# --- search ----------------------------------------------------------------------------------------------


def test_search_finds_a_publication_by_a_traditional_character_query_and_marks_it(client, publish):
    item = publish("张店区2026年重点项目建设计划", "plans")
    publish("价格监测数据", "statistics")

    html = main(get(client, "/gongkai/search/?q=重點項目"))

    assert f'href="/gongkai/zdqfzhggj/doc/{item.pk}/"' in html
    assert "<mark>" in html
    assert "价格监测数据" not in html
    assert "约1条" in html
    assert item.index_no in html


def test_search_applies_the_catalogue_filters(client, publish, other):
    publish("张店区项目管理办法", "regulations")
    publish("张店区项目审批清单", "licensing", organization=other)

    html = main(get(client, "/gongkai/search/?q=项目&publisher=zdqxzspj"))

    assert "审批清单" in html and "管理办法" not in html


def test_search_can_be_limited_to_a_credit_sites_column(client, publish):
    news = publish("信用修复宣传活动", "credit-news")
    rules = publish("信用修复管理办法", "regulations")

    html = main(get(client, "/gongkai/search/?q=信用修复&column=credit-news"))

    assert f"/doc/{news.pk}/" in html and f"/doc/{rules.pk}/" not in html
    assert '<option value="credit-news" selected>信用动态</option>' in html


def test_search_never_finds_a_withdrawn_publication(client, publish):
    withdraw(publish("张店区项目管理办法", "regulations"))

    html = main(get(client, "/gongkai/search/?q=项目管理办法"))

    assert "没有找到与“项目管理办法”相关的政府信息。" in html


def test_the_search_page_without_a_query_shows_the_form(client, bureau):
    html = main(get(client, "/gongkai/search/"))

    assert '<input type="search" id="q-search" name="q" value=""' in html
    assert 'class="hits"' not in html


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "a" * 5000, "'\"%_\\", "　", "𠀀"])
def test_any_search_query_returns_a_page(client, publish, text):
    publish("张店区项目管理办法")

    response = client.get("/gongkai/search/", {"q": text})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_capped_search_count_reads_10000_plus_and_pages_on(client, publish, monkeypatch):
    from gongkai.search import services as search_services

    item = publish("张店区项目管理办法")
    hit = search_services.Hit(
        publication_id=item.pk,
        publication=item,
        title_html="张店区<mark>项目</mark>管理办法",
        snippet_html="",
        score=1.0,
    )

    def capped(text, filters, *, page=1, per_page=20):
        return search_services.SearchPage(
            hits=[hit], count=10_000, count_capped=True, page=page, per_page=per_page, has_next=True, query=text
        )

    monkeypatch.setattr(search_services, "search_publications", capped)

    html = main(get(client, "/gongkai/search/?q=项目&page=3"))

    assert "10000+ 条" in html
    assert "张店区<mark>项目</mark>管理办法" in html
    assert '<a href="/gongkai/search/?q=%E9%A1%B9%E7%9B%AE&amp;page=4" rel="next">下一页</a>' in html
    assert '<ol class="hits" start="41">' in html


# --- feeds ------------------------------------------------------------------------------------------------


def entries(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_each_column_has_an_atom_feed_of_its_published_items(client, publish, other):
    first = publish("规划甲", "plans")
    publish("审批丁", "licensing", organization=other)
    second = publish("规划乙", "plans")
    withdraw(publish("撤回的规划", "plans"))

    plans = entries(client, "/gongkai/feeds/plans.atom")
    statutory = entries(client, "/gongkai/feeds/statutory.atom")

    assert [entry["title"] for entry in plans] == ["规划乙", "规划甲"]
    assert plans[0]["link"] == f"http://testserver/gongkai/zdqfzhggj/doc/{second.pk}/"
    assert plans[1]["author"] == first.publisher.name
    assert {entry["title"] for entry in statutory} == {"规划甲", "规划乙", "审批丁"}


def test_a_feed_can_be_limited_to_one_publisher(client, publish, other):
    publish("规划甲", "plans")
    publish("审批丁", "licensing", organization=other)

    titles = [entry["title"] for entry in entries(client, "/gongkai/feeds/statutory.atom?publisher=zdqxzspj")]

    assert titles == ["审批丁"]


@pytest.mark.parametrize("url", ["/gongkai/feeds/nosuch.atom", "/gongkai/feeds/plans.atom?publisher=nosuch"])
def test_a_feed_of_nothing_known_is_not_found(client, demo, url):
    assert client.get(url).status_code == 404


def test_the_credit_columns_have_feeds_too(client, publish):
    publish("信用修复宣传活动", "credit-news")

    assert [entry["title"] for entry in entries(client, "/gongkai/feeds/credit-news.atom")] == ["信用修复宣传活动"]


# --- sitemap ----------------------------------------------------------------------------------------------


def sitemap_locations(client) -> set[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = set()
    for loc in ET.fromstring(index.content).iter(f"{SITEMAP}loc"):
        section = client.get(loc.text.removeprefix("http://testserver"))
        assert section.status_code == 200
        locations |= {
            url.text.removeprefix("http://testserver") for url in ET.fromstring(section.content).iter(f"{SITEMAP}loc")
        }
    return locations


def test_the_sitemap_lists_home_pages_organisations_columns_and_published_details(client, publish, bureau):
    item = publish("规划甲", "plans")
    gone = withdraw(publish("撤回的规划", "plans"))
    unpublished = draft(bureau, "规划草稿")

    locations = sitemap_locations(client)

    for url in (
        "/",
        "/gongkai/",
        "/gongkai/catalog/",
        "/xinyong/",
        "/xinyong/credit-news/",
        "/gongkai/zdqfzhggj/",
        "/gongkai/zdqfzhggj/guide/",
        "/gongkai/zdqfzhggj/column/plans/",
        "/gongkai/zdqxzspj/",
        f"/gongkai/zdqfzhggj/doc/{item.pk}/",
    ):
        assert url in locations, url
    assert f"/gongkai/zdqfzhggj/doc/{gone.pk}/" not in locations
    assert f"/gongkai/zdqfzhggj/doc/{unpublished.pk}/" not in locations


def test_the_sitemap_splits_publications_into_pages(client, publish, monkeypatch):
    from gongkai.catalog import sitemaps

    monkeypatch.setattr(sitemaps.Publications, "limit", 1)
    publish("规划甲", "plans")
    publish("规划乙", "plans")

    index = client.get("/sitemap.xml").content.decode()

    assert "/sitemap-publications.xml?p=2" in index


# --- English -------------------------------------------------------------------------------------------------


def test_the_english_pages_have_no_untranslated_chinese_interface_text(client, bureau):
    """With data in Latin letters, any Chinese left on an English page is a missing translation."""
    Organization.objects.filter(pk=bureau.pk).update(
        name="Zhangdian DRC",
        short_name="DRC",
        address="226 Xincun West Road",
        office_hours="8:30-17:30",
        icp_record="ICP 05004876",
        police_record="PSB 37030302000123",
    )
    for number, department in enumerate(Department.objects.filter(organization=bureau)):
        Department.objects.filter(pk=department.pk).update(name=f"Office {number}")
    writer, reviewer = staff_of(bureau)
    item = services.create_draft(
        by=writer,
        publisher=bureau,
        title="Investment rules",
        issued_on=datetime.date(2026, 3, 1),
        column=Column.objects.get(code="regulations"),
        topic=Topic.objects.get(name="综合政务"),
        genre=Genre.objects.get(code="normative"),
        summary="Rules.",
        body="<p>Text.</p>",
        validity="valid",
        effective_on=datetime.date(2026, 4, 1),
    )
    services.submit(item, by=writer)
    services.approve(item, by=reviewer)
    services.publish(item, by=reviewer)
    from gongkai.portal.models import SiteSettings

    site = SiteSettings.current()
    site.name, site.credit_site_name = "Zhangdian", "Credit"
    site.save()
    Organization.objects.exclude(pk=bureau.pk).update(is_active=False)

    for url in (
        "/gongkai/zdqfzhggj/",
        "/gongkai/catalog/",
        "/gongkai/zdqfzhggj/catalog/",
        "/gongkai/zdqfzhggj/guide/",
        "/gongkai/zdqfzhggj/column/statutory/",
        f"/gongkai/zdqfzhggj/doc/{item.pk}/",
        "/xinyong/",
        "/xinyong/credit-news/",
        "/gongkai/search/?q=Investment",
    ):
        html = get(client, url, HTTP_ACCEPT_LANGUAGE="en")
        body = html[html.index("<body>") :].replace('lang="zh-hans">简体中文</button>', "")
        assert re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", body) == [], url
