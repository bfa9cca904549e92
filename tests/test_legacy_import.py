"""Importing pages saved from an old site: decoded, cleaned, parsed, and filed as drafts (never published).

The pages in tests/data/legacy/ are invented for these tests, in the shapes old sites save: a metadata table,
a GBK page that says so, a GB18030 page that does not, text saved from a page, and damaged bytes.
"""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai import cli
from gongkai.audit.models import AuditEvent
from gongkai.catalog import legacy
from gongkai.catalog.models import Column, Publication
from gongkai.lib.html import to_text
from gongkai.orgs.models import Organization

PAGES = Path(__file__).parent / "data" / "legacy"
BUREAU_USCC = "1137030300421716XM"
MARKET_BUREAU_USCC = "113703030042181891"  # 张店区市场监督管理局
NO_CLEANING = {"tags": 0, "pinyin": 0, "traditional": 0, "spaces": 0, "undecodable": 0}


def import_legacy(*args: str | Path, by: str = "publisher", column: str = "other") -> tuple[list[dict], int]:
    """Run the command; return its JSON lines and its exit status."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_legacy", *map(str, args), "--by", by, "--column", column, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return [json.loads(line) for line in out.getvalue().splitlines()], status


def saved_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def text_page(title="张店区2019年节能工作总结", date="2019-12-20", publisher="张店区发展和改革局", index_no="") -> str:
    lines = [f"标题：{title}", f"发文日期：{date}", f"发布机构：{publisher}"]
    if index_no:
        lines.append(f"索引号：{index_no}")
    return "\n".join([*lines, "", "全年完成节能目标任务。"])


# --- cleaning -----------------------------------------------------------------------------------------


def test_a_pinyin_annotation_after_a_character_is_removed_in_either_kind_of_bracket():
    line, counts = legacy.clean_line("张店区(qū)发（fā）展改革局，绿(lǜ)色")
    assert line == "张店区发展改革局，绿色"
    assert counts["pinyin"] == 3


@pytest.mark.parametrize(
    "text",
    [
        "环境(PM2.5)监测",  # not pinyin
        "（一）工作目标",  # not after a character
        "工作目标（一）",  # a numeral, not pinyin
        "的(de)",  # a syllable without a tone mark cannot be told from English
        "咖啡(café)",  # a tone mark, but not one syllable
        "区(qū qū)",  # two syllables
    ],
)
def test_brackets_that_do_not_hold_one_toned_pinyin_syllable_stay(text):
    line, counts = legacy.clean_line(text)
    assert line == text and counts["pinyin"] == 0


def test_leftover_tags_are_removed_and_counted():
    line, counts = legacy.clean_line('</span>各有关单位：<span style="font-size:16px">现将</span><br/>')
    assert line == "各有关单位：现将"
    assert counts["tags"] == 4


def test_odd_spaces_become_one_space_and_are_counted():
    line, counts = legacy.clean_line("\u3000\u3000一、总体要求\u00a0&nbsp;（略）")
    assert line == "一、总体要求 （略）"
    assert counts["spaces"] == 4


def test_traditional_characters_become_simplified_and_each_changed_character_is_counted():
    line, counts = legacy.clean_line("張店區發展和改革局辦公室")
    assert line == "张店区发展和改革局办公室"
    assert counts["traditional"] == 4


def test_undecodable_characters_stay_visible_and_are_counted():
    line, counts = legacy.clean_line("共检查\ufffd座，问题\ufffd处")
    assert line == "共检查\ufffd座，问题\ufffd处"
    assert counts == {"tags": 0, "pinyin": 0, "spaces": 0, "traditional": 0, "undecodable": 2}


# --- decoding -----------------------------------------------------------------------------------------


def test_a_declared_gbk_or_gb2312_page_is_read_as_gb18030():
    for charset in ("gbk", "GB2312", "gb18030"):
        page = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}"><p>䶮字</p>'
        assert legacy.decode(page.encode("gb18030")) == (page, 0)


def test_an_undeclared_page_is_utf8_when_it_decodes_strictly_else_gb18030():
    assert legacy.decode("﻿<p>发改局</p>".encode()) == ("<p>发改局</p>", 0)  # with a BOM
    assert legacy.decode("<p>发改局</p>".encode()) == ("<p>发改局</p>", 0)
    assert legacy.decode("<p>发改局</p>".encode("gb18030")) == ("<p>发改局</p>", 0)


def test_invalid_bytes_become_replacement_characters_and_are_counted():
    assert legacy.decode(b'<meta charset="utf-8"><p>\xe5\x8f\x91\xff\xe5\xbc</p>') == (
        '<meta charset="utf-8"><p>发\ufffd\ufffd</p>',
        2,
    )


def test_one_stray_byte_does_not_turn_an_undeclared_utf8_page_into_gb18030_mojibake():
    text, undecodable = legacy.decode("<p>张店区发展和改革局</p>".encode() + b"\xff")
    assert (text, undecodable) == ("<p>张店区发展和改革局</p>\ufffd", 1)


# --- parsing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2018-03-28", "2018年3月28日", "2018/3/28", "2018.03.28", "２０１８-03-28 09:30"])
def test_the_usual_date_formats_are_read(value):
    assert legacy.parse_date(value) == datetime.date(2018, 3, 28)


@pytest.mark.parametrize("value", ["2018-02-30", "三月二十八日", "2018"])
def test_an_unreadable_date_is_refused(value):
    with pytest.raises(legacy.LegacyImportError, match=r"^发文日期“.*”无法识别 / cannot read the date of issue"):
        legacy.parse_date(value)


def test_the_metadata_table_of_the_utf8_page_is_parsed_and_its_body_cleaned():
    page = legacy.read_page((PAGES / "notice.html").read_bytes())

    assert page.title == "张店区发展和改革局关于开展2019年节能宣传周活动的通知"
    assert page.index_no == f"{BUREAU_USCC}/2019-0004512"
    assert page.doc_no == "张发改字〔2019〕12号"
    assert page.issued_on == datetime.date(2019, 5, 6)  # 成文日期, not 发布日期
    assert page.publisher == "张店区发展和改革局"
    assert page.ignored == {"主题分类": "综合政务", "发布日期": "2019-05-08"}
    # </span> once; 区(qū) and 发（fā）; 鎮辦處區門; 4 &nbsp; in the labels, 4 before a paragraph, 3 × 2 U+3000.
    assert page.cleaning == {"tags": 1, "pinyin": 2, "traditional": 5, "spaces": 14, "undecodable": 0}
    # The navigation, the repeated title, the footer and the script are not part of the body.
    assert to_text(page.body).splitlines() == [
        "各镇人民政府、街道办事处，区直各部门：",
        "为倡导绿色低碳的生产生活方式，区发展和改革局决定于6月举办节能宣传周活动。现将有关事项通知如下：",
        "（一）活动主题：节能增效，绿色发展。",
        "（二）活动内容：发布全区环境(PM2.5)监测结果，开展节能知识进社区活动。",
        "请各单位于5月31日前报送活动方案。",
        "张店区发展和改革局",
        "2019年5月6日",
    ]
    assert page.body.startswith("<p>各镇人民政府")


def test_text_saved_from_a_page_is_parsed_line_by_line():
    page = legacy.read_page((PAGES / "saved-as-text.txt").read_bytes())

    assert (page.title, page.doc_no, page.issued_on, page.publisher) == (
        "张店区发展和改革局关于印发《2020年价格监测工作要点》的通知",
        "张发改发〔2020〕5号",
        datetime.date(2020, 7, 1),
        "张店区发展和改革局",
    )
    assert page.index_no == f"{BUREAU_USCC}/2020-0000088"  # the label spaced out as 索 引 号
    assert page.ignored == {"体裁分类": "通知"}
    assert page.cleaning == {**NO_CLEANING, "tags": 2, "spaces": 2}
    assert to_text(page.body).splitlines()[:2] == [
        "各有关单位：",
        "现将《2020年价格监测工作要点》印发给你们，请结合实际认真贯彻落实。",
    ]


def test_a_page_without_a_title_or_a_date_of_issue_is_refused():
    with pytest.raises(legacy.LegacyImportError, match=r"^缺少发文日期 / the date of issue"):
        legacy.parse_page("标题：张店区2019年物价运行情况\n发布日期：2019-07-10\n上半年价格平稳。")
    with pytest.raises(legacy.LegacyImportError, match=r"^缺少标题 / the title"):
        legacy.parse_page("索引号：1137030300421716XM/2019-1\n发文日期：2019-07-10\n上半年价格平稳。")
    with pytest.raises(legacy.LegacyImportError, match=r"^页面中没有标题、发文日期等元数据"):
        legacy.parse_page("<html><body><p>上半年价格平稳。</p></body></html>")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "文件为空 / the file is empty"),
        (b" \n", "文件为空 / the file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "这是PDF文件，不是保存的网页 / this is a PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "这是二进制文件，不是保存的网页或文本 / this is a binary file"),
    ],
)
def test_what_is_not_a_saved_page_is_refused(data, error):
    with pytest.raises(legacy.LegacyImportError, match=f"^{error}"):
        legacy.read_page(data)


def test_a_legacy_index_number_is_kept_only_when_it_is_the_publishers():
    bureau = Organization(uscc=BUREAU_USCC)
    assert legacy.index_no_to_keep(f"{BUREAU_USCC}/2018-1374", bureau) == (f"{BUREAU_USCC}/2018-1374", "")
    assert legacy.index_no_to_keep("", bureau) == ("", "")
    kept, warning = legacy.index_no_to_keep(f"{MARKET_BUREAU_USCC}/2019-00077", bureau)
    assert kept == "" and warning.startswith(f"索引号 {MARKET_BUREAU_USCC}/2019-00077 属于其他机构")
    kept, warning = legacy.index_no_to_keep("000014349/2018-00123", bureau)  # an old organisation code
    assert kept == "" and "不是“统一社会信用代码/编号”的格式" in warning


# --- the command --------------------------------------------------------------------------------------


def test_every_page_is_imported_as_a_draft_and_the_one_without_a_date_fails_alone(publisher, bureau):
    names = [
        "notice.html",
        "quarterly-gbk.html",
        "notice-gb18030.html",
        "saved-as-text.txt",
        "invalid-bytes.html",
        "missing-date.html",
        "other-index-number.html",
    ]
    lines, status = import_legacy(*(PAGES / name for name in names))

    assert status == 1
    assert [(Path(line["file"]).name, line["status"]) for line in lines] == [
        (name, "error" if name == "missing-date.html" else "created") for name in names
    ]
    assert lines[5]["error"] == "缺少发文日期 / the date of issue (发文日期) is missing"
    assert lines[0] == {
        "file": str(PAGES / "notice.html"),
        "status": "created",
        "publication": lines[0]["publication"],
        "title": "张店区发展和改革局关于开展2019年节能宣传周活动的通知",
        "index_no": f"{BUREAU_USCC}/2019-0004512",
        "doc_no": "张发改字〔2019〕12号",
        "issued_on": "2019-05-06",
        "publisher": "张店区发展和改革局",
        "cleaning": {"tags": 1, "pinyin": 2, "traditional": 5, "spaces": 14, "undecodable": 0},
        "ignored": {"主题分类": "综合政务", "发布日期": "2019-05-08"},
        "warnings": [],
    }
    drafts = Publication.objects.filter(pk__in=[line["publication"] for line in lines if "publication" in line])
    assert drafts.count() == 6
    assert {(d.status, d.author, d.publisher, d.column.code) for d in drafts} == {
        (Publication.Status.DRAFT, publisher, bureau, "other")
    }
    assert not Publication.objects.filter(title="张店区2019年上半年物价运行情况").exists()

    notice = Publication.objects.get(pk=lines[0]["publication"])
    assert (notice.title, notice.doc_no, notice.issued_on, notice.index_no) == (
        "张店区发展和改革局关于开展2019年节能宣传周活动的通知",
        "张发改字〔2019〕12号",
        datetime.date(2019, 5, 6),
        f"{BUREAU_USCC}/2019-0004512",
    )
    assert notice.published_at is None
    assert "各镇人民政府、街道办事处，区直各部门：" in to_text(notice.body)
    assert "区(qū)" not in notice.body and "&nbsp;" not in notice.body and "span" not in notice.body


def test_a_gbk_page_that_declares_its_charset_is_read_and_filed_under_the_short_name(publisher, bureau):
    [line], status = import_legacy(PAGES / "quarterly-gbk.html")

    assert status == 0
    assert (line["title"], line["issued_on"], line["publisher"]) == (
        "张店区2018年第一季度重点项目建设进展情况",
        "2018-03-28",
        "区发改局",
    )
    draft = Publication.objects.get(pk=line["publication"])
    assert draft.publisher == bureau
    assert draft.doc_no == ""  # 无文号
    assert draft.index_no == f"{BUREAU_USCC}/2018-0000321"
    assert to_text(draft.body) == (
        "一季度，全区列入计划的重点项目完成投资额超过年度计划的两成。\n下一步，将加快推进项目手续办理，确保按期开工。"
    )


def test_an_undeclared_gb18030_page_keeps_characters_gbk_lacks(publisher):
    [line], _ = import_legacy(PAGES / "notice-gb18030.html")

    draft = Publication.objects.get(pk=line["publication"])
    assert draft.title == "关于王䶮同志试用期满考核合格的公示"
    assert draft.issued_on == datetime.date(2020, 6, 15)
    assert to_text(draft.body).startswith("王䶮同志试用期已满")


def test_undecodable_bytes_stay_visible_in_the_draft_for_the_reviewer(publisher):
    [line], status = import_legacy(PAGES / "invalid-bytes.html")

    assert status == 0
    assert line["cleaning"] == {**NO_CLEANING, "undecodable": 3}  # two bad sequences and one U+FFFD already there
    draft = Publication.objects.get(pk=line["publication"])
    assert to_text(draft.body).splitlines() == [
        "本次共检查加油站\ufffd座，发现问题\ufffd处，均已责令整改。",
        "原系统导出时已损坏的字符：\ufffd。",
    ]
    assert draft.index_no is None


def test_importing_the_same_page_twice_fails_cleanly_and_leaves_one_draft(publisher):
    import_legacy(PAGES / "notice.html")
    [line], status = import_legacy(PAGES / "notice.html")

    assert status == 1
    assert line == {
        "file": str(PAGES / "notice.html"),
        "status": "error",
        "error": f"已导入过（索引号 {BUREAU_USCC}/2019-0004512） / "
        f"already imported (index number {BUREAU_USCC}/2019-0004512)",
    }
    assert Publication.objects.filter(title="张店区发展和改革局关于开展2019年节能宣传周活动的通知").count() == 1


def test_a_page_already_on_the_site_under_its_index_number_is_not_imported(publisher, bureau, tmp_path):
    Publication.objects.create(
        publisher=bureau,
        author=publisher,
        column=Column.objects.get(code="annual-reports"),
        title="张店区发改局2017年政府信息公开工作年度报告",
        issued_on=datetime.date(2018, 3, 28),
        status=Publication.Status.PUBLISHED,
        index_no=f"{BUREAU_USCC}/2018-1374999",
    )
    page = saved_text(tmp_path, "report.txt", text_page(index_no=f"{BUREAU_USCC}/2018-1374999"))

    [line], status = import_legacy(page)

    assert status == 1
    assert line["error"].startswith(f"已导入过（索引号 {BUREAU_USCC}/2018-1374999）")
    assert Publication.objects.filter(index_no__isnull=True).count() == 0


def test_an_index_number_of_another_organisation_is_a_warning_and_not_kept(publisher, bureau):
    [line], status = import_legacy(PAGES / "other-index-number.html")

    assert status == 0
    assert line["index_no"] == f"{MARKET_BUREAU_USCC}/2019-00077"
    assert line["warnings"] == [
        f"索引号 {MARKET_BUREAU_USCC}/2019-00077 属于其他机构（{MARKET_BUREAU_USCC}），未保留 / "
        f"the index number {MARKET_BUREAU_USCC}/2019-00077 belongs to another organisation ({MARKET_BUREAU_USCC}); "
        "not kept"
    ]
    draft = Publication.objects.get(pk=line["publication"])
    assert draft.publisher == bureau and draft.index_no is None


def test_the_import_is_in_the_audit_log_with_its_source_and_cleaning(publisher):
    [line], _ = import_legacy(PAGES / "notice.html")

    event = AuditEvent.objects.get(action="publication.imported", object_id=str(line["publication"]))
    assert event.actor == publisher
    assert event.summary == "张店区发展和改革局关于开展2019年节能宣传周活动的通知"
    assert event.data == {"source": "notice.html", "cleaning": line["cleaning"]}


def test_a_dry_run_checks_every_page_and_creates_nothing(publisher):
    before = (Publication.objects.count(), AuditEvent.objects.count())

    lines, status = import_legacy(PAGES / "notice.html", PAGES / "missing-date.html", "--dry-run")

    assert status == 1
    assert [line["status"] for line in lines] == ["checked", "error"]
    assert "publication" not in lines[0] and lines[0]["cleaning"]["pinyin"] == 2
    assert (Publication.objects.count(), AuditEvent.objects.count()) == before


def test_org_names_the_organisation_when_the_page_does_not(publisher, bureau, tmp_path):
    page = saved_text(tmp_path, "summary.txt", text_page(publisher="区发展改革局"))  # neither name nor short name

    [refused], _ = import_legacy(page)
    [line], status = import_legacy(page, "--org", "zdqfzhggj")

    assert refused["error"] == (
        "没有名为“区发展改革局”的机构，请指定机构 / no organisation is called 区发展改革局; name one"
    )
    assert status == 0 and Publication.objects.get(pk=line["publication"]).publisher == bureau


def test_the_errors_of_create_draft_are_reported_and_nothing_is_created(publisher, reviewer, tmp_path):
    future = saved_text(tmp_path, "future.txt", text_page(date="2999-01-01"))
    market = saved_text(tmp_path, "market.txt", text_page(publisher="张店区市场监督管理局"))
    before = Publication.objects.count()

    lines, status = import_legacy(future, market)
    [as_reviewer], _ = import_legacy(PAGES / "notice.html", by="reviewer")

    assert status == 1
    assert lines[0]["error"] == "发文日期 2999-01-01 晚于今天 / the date of issue 2999-01-01 is in the future"
    # 赵敏 publishes for the bureau, not for the market bureau; 李四 is a reviewer, not a publisher.
    assert lines[1]["error"] == "您不能为张店区市场监督管理局起草信息 / you cannot draft for 张店区市场监督管理局"
    assert as_reviewer["error"] == "您不能为张店区发展和改革局起草信息 / you cannot draft for 张店区发展和改革局"
    assert Publication.objects.count() == before


def test_a_missing_file_or_a_pdf_is_an_error_for_that_file_only(publisher, tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")

    lines, status = import_legacy(tmp_path / "absent.html", pdf, PAGES / "saved-as-text.txt")

    assert status == 1
    assert lines[0]["error"].startswith("无法读取文件：") and " / cannot read the file: " in lines[0]["error"]
    assert lines[1]["error"] == "这是PDF文件，不是保存的网页 / this is a PDF, not a saved page"
    assert lines[2]["status"] == "created"


def test_the_gongkai_console_command_lists_import_legacy():
    assert "import-legacy" in cli.usage()


def test_the_drafts_column_is_the_one_given(publisher):
    [line], _ = import_legacy(PAGES / "saved-as-text.txt", column="regulations")
    assert Publication.objects.get(pk=line["publication"]).column == Column.objects.get(code="regulations")
