"""The annual-report and statistics screens in English: no Chinese interface text is left untranslated.

钱文 (head) is the bureau's office head, who prepares, signs off and imports its annual reports and sees its full
statistics; 孙倩 (credit) is the credit officer, who sees the 双公示 statistics of every reporting organisation.
With `latin_names` every organisation, department, user and column is named in Latin letters, so any Chinese left
on an English page is interface text that was not translated — apart from the annual report's own content (below).
"""

import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.reports import services

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)
THIS_YEAR = NOW.year
LAST_YEAR = THIS_YEAR - 1

# The annual report is a statutory document in Chinese (国办公开办函〔2021〕30号): its tables' labels (予以公开,
# 部分公开, …), its section headings and its written sections are the report itself, published as they are, in
# whatever language the page around them is in. So the element that shows the report (class "report" or
# "report-preview") is left out of the check, and so is the text the office head writes for it (the draft's
# textareas). Everything else on these pages is interface text and must be English.
REPORT_CONTENT_CLASSES = {"report", "report-preview"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
}  # fmt: skip


class _WithoutReportContent(HTMLParser):
    """The page's HTML with the report's own content (see above) taken out."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.kept: list[str] = []
        self.skipping = 0  # depth inside an element that is left out

    def _leaves_out(self, tag, attrs) -> bool:
        classes = set((dict(attrs).get("class") or "").split())
        return tag == "textarea" or bool(classes & REPORT_CONTENT_CLASSES)

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            if not self.skipping:
                self.kept.append(self.get_starttag_text())
            return
        if self.skipping or self._leaves_out(tag, attrs):
            self.skipping += 1
            return
        self.kept.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            self.kept.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.skipping:
            self.skipping -= 1
            return
        self.kept.append(f"</{tag}>")

    def _text(self, text):
        if not self.skipping:
            self.kept.append(text)

    handle_data = _text

    def handle_comment(self, data):
        self._text(f"<!--{data}-->")

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")

    def handle_decl(self, decl):
        self.kept.append(f"<!{decl}>")


def without_report_content(html: str, *, title: str = "") -> str:
    parser = _WithoutReportContent()
    parser.feed(html)
    parser.close()
    kept = "".join(parser.kept)
    # The report's title ("<organisation>2025年政府信息公开工作年度报告") is the report's own: left out as well.
    return kept.replace(title, "") if title else kept


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def english(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    assert response.headers["Content-Language"] == "en", url
    return response.content.decode()


def test_the_check_leaves_out_the_report_but_not_the_page_around_it(untranslated):
    html = (
        '<body><h2>办理</h2><section class="panel report-preview"><article class="report"><h2>一、总体情况</h2>'
        "<br><p>予以公开</p></article></section><textarea>本年度</textarea><p>合计</p></body>"
    )
    assert untranslated(without_report_content(html)) == ["办理", "合计"]


def test_in_english_the_annual_report_screens_have_no_chinese_left(client, bureau, head, latin_names, untranslated):
    head.refresh_from_db()
    bureau.refresh_from_db()
    client.force_login(head)
    index = english(client, reverse("reports:index"))
    assert untranslated(index) == []

    report = services.prepare(bureau, LAST_YEAR, by=head)
    for url in (
        reverse("reports:index"),
        reverse("reports:detail", args=[bureau.pk, LAST_YEAR]),
        reverse("reports:import", args=[bureau.pk]),
    ):
        html = english(client, url)
        assert untranslated(without_report_content(html, title=report.title)) == [], url
    detail = english(client, reverse("reports:detail", args=[bureau.pk, LAST_YEAR]))
    assert "report-preview" in detail and "予以公开" in detail  # the report itself stays in Chinese


def test_in_english_the_statistics_screens_have_no_chinese_left(
    client, bureau, head, credit, latin_names, untranslated
):
    for user, urls in (
        (head, [reverse("stats:dashboard", args=[bureau.pk, THIS_YEAR])]),
        (
            credit,
            [
                reverse("stats:dashboard", args=[bureau.pk, THIS_YEAR]),
                reverse("stats:credit", args=[THIS_YEAR]),
            ],
        ),
    ):
        user.refresh_from_db()
        client.force_login(user)
        for url in urls:
            assert untranslated(english(client, url)) == [], (user.username, url)
