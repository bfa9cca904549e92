"""One publication in public: the metadata block and the article meta tags of 《政府网站发展指引》, its
attachments served as downloads that no browser will run, and — once withdrawn — a 410 notice at its
address and at its attachments' addresses."""

import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.models import Column, Genre, Publication, Topic
from gongkai.orgs.models import Organization, User

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Beijing


class Meta(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.values[attrs["name"]] = attrs.get("content")


def block(html: str) -> dict[str, str]:
    """The metadata block as {label: text}."""
    section = html[html.index('class="meta-block"') : html.index("</dl>")]
    pairs = re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", section, re.S)
    return {label: re.sub(r"<[^>]+>", "", value).strip() for label, value in pairs}


@pytest.fixture
def staff(bureau):
    return User.objects.get(username="publisher"), User.objects.get(username="reviewer")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _draft(bureau, staff, title="张店区政府投资项目管理办法", **values) -> Publication:
    values.setdefault("issued_on", datetime.date(2026, 2, 27))
    return services.create_draft(
        by=staff[0], publisher=bureau, title=title, column=Column.objects.get(code="regulations"), **values
    )


def _publish(publication: Publication, staff) -> Publication:
    services.submit(publication, by=staff[0])
    services.approve(publication, by=staff[1])
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return services.publish(publication, by=staff[1])


@pytest.fixture
def regulation(bureau, staff):
    return _publish(
        _draft(
            bureau,
            staff,
            doc_no="张发改规〔2026〕1号",
            summary="为规范政府投资行为，制定本办法。",
            body="<p>第一条 为规范政府投资行为，制定本办法。</p><h2>第二章</h2>",
            keywords="政府投资,项目管理",
            topic=Topic.objects.get(name="国民经济管理、国有资产监管"),
            genre=Genre.objects.get(code="normative"),
            validity="valid",
            effective_on=datetime.date(2026, 4, 1),
        ),
        staff,
    )


def url(publication: Publication) -> str:
    return reverse("catalog:detail", args=[publication.publisher.slug, publication.pk])


# --- the page -----------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_metadata_block(client, regulation):
    html = client.get(url(regulation)).content.decode()

    assert block(html) == {
        "标题": "张店区政府投资项目管理办法",
        "索引号": regulation.index_no,
        "文号": "张发改规〔2026〕1号",
        "发文日期": "2026-02-27",
        "发布日期": "2026-03-02 09:30",
        "发布机构": "张店区发展和改革局",
        "主题分类": "国民经济管理、国有资产监管",
        "体裁分类": "行政规范性文件",
        "有效性": "有效 2026-04-01起施行",
    }
    assert regulation.index_no.startswith("1137030300421716XM/2026-")


def test_the_detail_page_carries_the_article_meta_tags(client, regulation):
    meta = Meta(client.get(url(regulation)).content.decode()).values

    assert meta["ArticleTitle"] == "张店区政府投资项目管理办法"
    assert meta["PubDate"] == "2026-03-02 09:30"  # YYYY-MM-DD HH:MM, Beijing time
    assert meta["ContentSource"] == "张店区发展和改革局"
    assert meta["ColumnName"] == "法规文件" and meta["ColumnType"] == "政策文件"
    assert meta["Keywords"] == "政府投资,项目管理"
    assert meta["Description"] == "为规范政府投资行为，制定本办法。"


def test_the_detail_page_shows_summary_and_the_sanitised_body(client, regulation):
    html = client.get(url(regulation)).content.decode()

    assert '<h2 id="summary-heading">内容概述</h2>' in html
    assert "为规范政府投资行为，制定本办法。" in html
    assert '<div class="article-body"><p>第一条 为规范政府投资行为，制定本办法。</p><h2>第二章</h2></div>' in html


def test_a_publication_without_a_document_number_says_so(client, bureau, staff):
    item = _publish(_draft(bureau, staff, title="2025年工作总结"), staff)

    fields = block(client.get(url(item)).content.decode())

    assert fields["文号"] == "无文号"
    assert fields["有效性"] == "—" and fields["主题分类"] == "—"


@pytest.mark.parametrize(
    ("validity", "expected"),
    [("expired", "失效 2026-04-01起施行 2026-10-31失效"), ("repealed", "废止 2026-04-01起施行 2026-10-31废止")],
)
def test_validity_shows_its_dates(client, regulation, staff, validity, expected):
    services.set_validity(regulation, by=staff[0], validity=validity, on=datetime.date(2026, 10, 31))

    assert block(client.get(url(regulation)).content.decode())["有效性"] == expected


def test_the_demo_annual_report_shows_its_historic_index_number(client, bureau):
    from gongkai.catalog.demo import ANNUAL_REPORT_2017

    report = Publication.objects.create(
        publisher=bureau,
        author=User.objects.get(username="publisher"),
        column=Column.objects.get(code="annual-reports"),
        status=Publication.Status.PUBLISHED,
        **ANNUAL_REPORT_2017,
    )

    html = client.get(url(report)).content.decode()

    fields = block(html)
    assert fields["索引号"] == "1137030300421716XM/2018-1374999"
    assert fields["文号"] == "无文号" and fields["发文日期"] == "2018-03-28"
    assert Meta(html).values["PubDate"] == "2018-03-28 09:00"
    assert Meta(html).values["ColumnType"] == "信息公开年报"


def test_under_another_organisations_path_it_redirects_permanently(client, regulation):
    response = client.get(reverse("catalog:detail", args=["zdqxzspj", regulation.pk]))

    assert response.status_code == 301
    assert response["Location"] == url(regulation)


@pytest.mark.parametrize("step", ["draft", "submitted", "approved", "scheduled"])
def test_a_publication_never_published_does_not_exist(client, bureau, staff, step):
    item = _draft(bureau, staff)
    if step != "draft":
        services.submit(item, by=staff[0])
    if step in ("approved", "scheduled"):
        services.approve(item, by=staff[1])
    if step == "scheduled":
        services.publish(item, by=staff[1], at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))

    assert client.get(url(item)).status_code == 404
    assert client.get(reverse("catalog:detail", args=["zdqfzhggj", 987654])).status_code == 404


# --- withdrawal -----------------------------------------------------------------------------------------


def test_a_withdrawn_publication_answers_410_with_a_notice(client, regulation, staff):
    with time_machine.travel(datetime.datetime(2026, 5, 6, 17, 0, tzinfo=datetime.UTC), tick=False):
        services.withdraw(regulation, by=staff[0], reason="内容有误")

    response = client.get(url(regulation))

    assert response.status_code == 410
    html = response.content.decode()
    assert "<h1>张店区政府投资项目管理办法</h1>" in html
    assert regulation.index_no in html
    assert "2026-05-07" in html  # the withdrawal date in Beijing
    assert "已撤回" in html
    assert "第一条" not in html and "内容有误" not in html
    assert 'name="ArticleTitle"' not in html


def test_a_withdrawn_publication_under_another_path_redirects_to_its_notice(client, regulation, staff):
    services.withdraw(regulation, by=staff[0], reason="内容有误")

    response = client.get(reverse("catalog:detail", args=["zdqxzspj", regulation.pk]), follow=True)

    assert response.redirect_chain == [(url(regulation), 301)]
    assert response.status_code == 410


# --- attachments ------------------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("附件正文")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def with_attachments(bureau, staff, media):
    item = _draft(bureau, staff, title="张店区2026年部门预算")
    pdf = services.add_attachment(
        item, by=staff[0], upload=SimpleUploadedFile("预算说明.pdf", pdf_bytes()), name="预算说明.pdf"
    )
    docx = services.add_attachment(
        item, by=staff[0], upload=SimpleUploadedFile("预算表 (2026).docx", docx_bytes()), name="预算表 (2026).docx"
    )
    return _publish(item, staff), pdf, docx


def test_the_detail_page_lists_attachments_with_type_size_and_link(client, with_attachments):
    item, pdf, _docx = with_attachments

    html = client.get(url(item)).content.decode()

    section = html[html.index('id="attachments-heading"') :]
    assert f'<a href="/gongkai/attachment/{pdf.pk}/{quote("预算说明.pdf")}">预算说明.pdf</a>' in section
    assert "PDF ·" in section and "DOCX ·" in section
    assert "预算表 (2026).docx" in section
    assert re.search(r"DOCX · [\d.]+\xa0KB", section)


def test_a_docx_attachment_downloads_with_its_sniffed_type_and_a_safe_disposition(client, with_attachments):
    _item, _pdf, docx = with_attachments

    response = client.get(reverse("catalog:attachment_named", args=[docx.pk, docx.original_name]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('预算表 (2026).docx')}" in disposition
    assert b"".join(response.streaming_content) == docx.file.open("rb").read()


def test_a_pdf_attachment_opens_inline_in_a_sandbox(client, with_attachments):
    _item, pdf, _docx = with_attachments

    response = client.get(reverse("catalog:attachment", args=[pdf.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert int(response["Content-Length"]) == pdf.size


def test_the_file_name_in_the_address_changes_nothing(client, with_attachments):
    _item, pdf, _docx = with_attachments

    response = client.get(f"/gongkai/attachment/{pdf.pk}/evil.html")

    assert response["Content-Type"] == "application/pdf"
    assert "evil" not in response["Content-Disposition"]


def test_the_attachment_file_lives_outside_the_web_root(with_attachments, media):
    _item, pdf, _docx = with_attachments

    assert pdf.file.path.startswith(str(media))
    assert "预算说明" not in pdf.file.name  # stored under its hash, never the publisher's name


def test_attachments_of_a_draft_are_not_served(client, bureau, staff, media):
    item = _draft(bureau, staff, title="未发布")
    pdf = services.add_attachment(item, by=staff[0], upload=SimpleUploadedFile("a.pdf", pdf_bytes()), name="a.pdf")

    assert client.get(reverse("catalog:attachment", args=[pdf.pk])).status_code == 404
    assert client.get(reverse("catalog:attachment", args=[987654])).status_code == 404


def test_attachments_of_a_withdrawn_publication_answer_410(client, with_attachments, staff):
    item, pdf, _docx = with_attachments
    services.withdraw(item, by=staff[0], reason="附件有误")

    response = client.get(reverse("catalog:attachment", args=[pdf.pk]))

    assert response.status_code == 410
    assert "已撤回" in response.content.decode()


def test_a_missing_file_is_not_found_rather_than_an_error(client, with_attachments):
    _item, pdf, _docx = with_attachments
    pdf.file.storage.delete(pdf.file.name)

    assert client.get(reverse("catalog:attachment", args=[pdf.pk])).status_code == 404


def test_an_inactive_publisher_keeps_its_publications_public(client, regulation):
    Organization.objects.filter(pk=regulation.publisher_id).update(is_active=False)

    html = client.get(url(regulation)).content.decode()

    assert "张店区政府投资项目管理办法" in html
    assert 'href="/gongkai/zdqfzhggj/"' not in html  # no link to a home that no longer exists
