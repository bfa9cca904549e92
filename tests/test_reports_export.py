"""Exports of the annual report: the web page, DOCX, XLSX and JSON draw the tables of 国办公开办函〔2021〕30号
with the format's own row and column spans (STATUTES §2.3–2.5), and carry the figures into the right cells."""

import io
import json
from decimal import Decimal

import lxml.html
import pytest
from django.template.loader import render_to_string
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from gongkai.reports import export, layout

ORGANIZATION = "张店区发展和改革局"

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Table 三, its 25 rows in order (§2.4): the label a reader sees at the start of each data row's numbers.
TABLE3_LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]

# Every cell of table 三 that spans more than one row or column: (row, column, rowspan, colspan, text), the grid's
# rows counted from the first header row. Rows 0–2 are the headers, the data rows 3–27; 三、本年度办理结果 covers
# （一） to （七）总计, 22 rows; the groups （三）–（六） have no row of their own (no subtotals).
TABLE3_SPANS = {
    (0, 0, 3, 3, CORNER),
    (0, 3, 1, 7, "申请人情况"),
    (1, 3, 2, 1, "自然人"),
    (1, 4, 1, 5, "法人或其他组织"),
    (1, 9, 2, 1, "总计"),
    (3, 0, 1, 3, "一、本年新收政府信息公开申请数量"),
    (4, 0, 1, 3, "二、上年结转政府信息公开申请数量"),
    (5, 0, 22, 1, "三、本年度办理结果"),
    (5, 1, 1, 2, "（一）予以公开"),
    (6, 1, 1, 2, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (7, 1, 8, 1, "（三）不予公开"),
    (15, 1, 3, 1, "（四）无法提供"),
    (18, 1, 5, 1, "（五）不予处理"),
    (23, 1, 3, 1, "（六）其他处理"),
    (26, 1, 1, 2, "（七）总计"),
    (27, 0, 1, 3, "四、结转下年度继续办理"),
}
TABLE3_THIRD_HEADER_ROW = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
TABLE4_SPANS = {
    (0, 0, 1, 5, "行政复议"),
    (0, 5, 1, 10, "行政诉讼"),
    *((1, column, 2, 1, label) for column, label in enumerate(RESULTS)),
    (1, 5, 1, 5, "未经复议直接起诉"),
    (1, 10, 1, 5, "复议后起诉"),
}

# Table 二 (§2.3), row by row: four blocks of a caption, a header and their rows, four columns wide.
TABLE2_ROWS = [
    ["第二十条第（一）项"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "1", "5"],
    ["行政规范性文件", "12", "3", "48"],
    ["第二十条第（五）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政许可", "326"],
    ["第二十条第（六）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政处罚", "41"],
    ["行政强制", "2"],
    ["第二十条第（八）项"],
    ["信息内容", "本年收费金额（单位：万元）"],
    ["行政事业性收费", "12.34"],
]
TABLE2_SPANS = {
    (0, 0, 1, 4, "第二十条第（一）项"),
    (4, 0, 1, 4, "第二十条第（五）项"),
    (5, 1, 1, 3, "本年处理决定数量"),
    (6, 1, 1, 3, "326"),
    (7, 0, 1, 4, "第二十条第（六）项"),
    (8, 1, 1, 3, "本年处理决定数量"),
    (9, 1, 1, 3, "41"),
    (10, 1, 1, 3, "2"),
    (11, 0, 1, 4, "第二十条第（八）项"),
    (12, 1, 1, 3, "本年收费金额（单位：万元）"),
    (13, 1, 1, 3, "12.34"),
}


def filled_figures(format=layout.FORMAT_2021):
    """Every cell of table 三 holds a number of its own (row × 100 + column), so a number in a wrong cell shows."""
    figures = layout.empty_figures(format)
    figures["table2"].update(
        regulation={"issued": 0, "abolished": 1, "in_force": 5},
        normative={"issued": 12, "abolished": 3, "in_force": 48},
        licence=326,
        penalty=41,
        coercion=2,
        fees="12.34",
    )
    for number, row in enumerate(layout.table3_rows(format), start=1):
        figures["table3"][row.key] = [number * 100 + column for column in range(7)]
    figures["table4"] = {"reconsideration": [1, 2, 3, 4, 10], "direct": [5, 6, 7, 8, 26], "after": [0, 1, 0, 0, 1]}
    return figures


def report(figures=None):
    return {
        "title": f"{ORGANIZATION}2025年政府信息公开工作年度报告",
        "organization": ORGANIZATION,
        "year": 2025,
        "figures": figures or filled_figures(),
        "narrative": {
            "overview": "本报告中所列数据统计期限为2025年1月1日至12月31日。\n\n（一）主动公开。\n全年发布信息<326>条。",
            "problems": "主动公开的及时性仍需提高。",
            "other": "2025年本机关未收取信息处理费。",
        },
        "index_no": "11370303004217160X/2026-00001",
        "published_on": "2026-01-20",
    }


# --- reading the tables back ------------------------------------------------------------------------------


def html_tables(html):
    """Each <table> of the page as its cells: (row, column, rowspan, colspan, text, element), placed on the grid
    the way a browser places them (a cell goes to the first column no span above has taken)."""
    tables = []
    for table in lxml.html.fromstring(html).iter("table"):
        cells, taken = [], set()
        for r, tr in enumerate(table.iter("tr")):
            column = 0
            for td in tr:
                while (r, column) in taken:
                    column += 1
                rowspan, colspan = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
                cells.append((r, column, rowspan, colspan, td.text_content().strip(), td))
                taken |= {(r + i, column + j) for i in range(rowspan) for j in range(colspan)}
                column += colspan
        tables.append(cells)
    return tables


def spans(cells):
    return {cell[:5] for cell in cells if cell[2] > 1 or cell[3] > 1}


def covering(cells, row, column):
    """The text of the cell that covers (row, column), wherever it starts."""
    for r, c, rowspan, colspan, text, *_rest in cells:
        if r <= row < r + rowspan and c <= column < c + colspan:
            return text
    raise AssertionError(f"nothing covers ({row}, {column})")


def docx_tables(data):
    """Each table of the Word file as its cells (row, column, rowspan, colspan, text), read from the XML:
    ``w:gridSpan`` spans columns, ``w:vMerge`` "restart" opens a vertical span that plain ``w:vMerge`` continues."""
    tables = []
    for table in Document(io.BytesIO(data)).tables:
        cells, opened = [], {}
        for r, tr in enumerate(table._tbl.findall(qn("w:tr"))):
            column = 0
            for tc in tr.findall(qn("w:tc")):
                grid_span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                colspan = int(grid_span.get(qn("w:val"))) if grid_span is not None else 1
                v_merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue":
                    opened[column][2] += 1
                else:
                    text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                    cell = [r, column, 1, colspan, text]
                    cells.append(cell)
                    opened[column] = cell
                column += colspan
        tables.append([tuple(cell) for cell in cells])
    return tables


@pytest.fixture
def html():
    return export.to_html(report())


@pytest.fixture
def tables(html):
    return html_tables(html)


# --- the web page ------------------------------------------------------------------------------------------


def test_table_three_lists_the_25_rows_of_the_2021_format_in_order(tables):
    table3 = tables[1]
    assert [covering(table3, row, 2) for row in range(3, 28)] == TABLE3_LABELS
    assert max(cell[0] + cell[2] for cell in table3) == 3 + 25


def test_table_three_has_the_official_row_and_column_spans(tables):
    table3 = tables[1]
    assert spans(table3) == TABLE3_SPANS
    assert [cell[4] for cell in table3 if cell[0] == 2] == TABLE3_THIRD_HEADER_ROW
    assert all(len([cell for cell in table3 if cell[0] == row and cell[1] >= 3]) == 7 for row in range(3, 28))


def test_table_two_is_four_stacked_blocks_of_caption_header_and_rows(tables):
    table2 = tables[0]
    rows = [[cell[4] for cell in table2 if cell[0] == row] for row in range(len(TABLE2_ROWS))]
    assert rows == TABLE2_ROWS
    assert spans(table2) == TABLE2_SPANS


def test_table_four_has_three_header_rows_and_one_row_of_fifteen_numbers(tables):
    table4 = tables[2]
    assert spans(table4) == TABLE4_SPANS
    assert [cell[4] for cell in table4 if cell[0] == 2] == RESULTS * 2
    assert [cell[4] for cell in table4 if cell[0] == 3] == [
        "1", "2", "3", "4", "10", "5", "6", "7", "8", "26", "0", "1", "0", "0", "1",
    ]  # fmt: skip


def test_each_figure_of_table_three_is_in_its_row_and_column(tables):
    table3, figures = tables[1], filled_figures()
    for number, row in enumerate(layout.TABLE3_ROWS):
        numbers = [covering(table3, 3 + number, column) for column in range(3, 10)]
        assert numbers == [str(value) for value in figures["table3"][row.key]], TABLE3_LABELS[number]
    assert covering(table3, 26, 4) == "2401"  # （七）总计 × 商业企业


def test_a_number_names_its_row_and_column_headers_for_screen_readers(html, tables):
    page = lxml.html.fromstring(html)
    cell = next(cell for cell in tables[1] if cell[:2] == (26, 4))[5]  # （七）总计 × 商业企业
    named = [page.get_element_by_id(id).text_content() for id in cell.get("headers").split()]
    assert named == ["申请人情况", "法人或其他组织", "商业企业", "三、本年度办理结果", "（七）总计"]
    for table in tables:
        for *_place, element in table:
            if element.tag == "td" and element.get("headers"):
                assert all(page.get_element_by_id(id).tag == "th" for id in element.get("headers").split())
    assert [table.find("caption").text for table in page.iter("table")] == [title for _k, title in layout.SECTIONS[1:4]]


def test_the_report_has_the_six_sections_in_order_with_their_narratives(html):
    page = lxml.html.fromstring(html)
    assert page.find(".//h1").text_content() == f"{ORGANIZATION}2025年政府信息公开工作年度报告"
    assert [h2.text_content() for h2 in page.iter("h2")] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    overview = page.get_element_by_id("report-section-overview").getparent()
    assert [p.text_content() for p in overview.iter("p")] == [
        "本报告中所列数据统计期限为2025年1月1日至12月31日。",
        "（一）主动公开。全年发布信息<326>条。",
    ]
    assert "全年发布信息&lt;326&gt;条" in html  # narratives are text, escaped
    sections = [section.find("h2").text for section in page.iter("section")]
    assert [len(section.findall(".//table")) for section in page.iter("section")] == [0, 1, 1, 1, 0, 0], sections


def test_the_standalone_page_declares_utf8_and_carries_the_publication_facts(html):
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "11370303004217160X/2026-00001" in html and "2026-01-20" in html


def test_labels_are_read_from_the_layout(monkeypatch):
    assert export.to_html(report()).count(CORNER) == 1
    monkeypatch.setattr(layout, "TABLE3_CORNER", "（测试用角注）")
    monkeypatch.setattr(layout, "TABLE2_FIRST_HEADER", "（测试用表头）")
    html = export.to_html(report())
    assert CORNER not in html
    assert html.count("（测试用角注）") == 1
    assert html.count("（测试用表头）") == 4  # once per block of table 二
    assert "（测试用角注）" in docx_tables(export.to_docx(report()))[1][0][4]


def test_a_2019_report_has_other_handling_as_one_row_and_23_rows_in_all():
    table3 = html_tables(export.to_html(report(filled_figures(layout.FORMAT_2019))))[1]
    assert max(cell[0] + cell[2] for cell in table3) == 3 + 23
    assert (5, 0, 20, 1, "三、本年度办理结果") in spans(table3)
    assert (23, 1, 1, 2, "（六）其他处理") in spans(table3)
    assert covering(table3, 24, 1) == "（七）总计"


# --- DOCX -------------------------------------------------------------------------------------------------


def test_the_docx_tables_merge_the_same_cells_as_the_page(tables):
    word = docx_tables(export.to_docx(report()))
    assert len(word) == 3
    for page_table, word_table in zip(tables, word, strict=True):
        assert sorted(cell[:5] for cell in page_table) == sorted(word_table)
    assert spans(word[1]) == TABLE3_SPANS
    assert spans(word[2]) == TABLE4_SPANS
    assert spans(word[0]) == TABLE2_SPANS


def test_the_docx_has_the_title_the_six_headings_and_the_narratives():
    doc = Document(io.BytesIO(export.to_docx(report())))
    texts = [paragraph.text for paragraph in doc.paragraphs]
    assert texts[0] == f"{ORGANIZATION}2025年政府信息公开工作年度报告"
    headings = [paragraph.text for paragraph in doc.paragraphs if paragraph.style.name == "Heading 1"]
    assert headings == [title for _key, title in layout.SECTIONS]
    assert "主动公开的及时性仍需提高。" in texts
    assert "（一）主动公开。\n全年发布信息<326>条。" in texts


def test_the_docx_names_a_chinese_font_for_east_asian_text():
    doc = Document(io.BytesIO(export.to_docx(report())))
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    heading = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:eastAsiaTheme")) is None
    cell_run = doc.tables[1].cell(0, 0).paragraphs[0].runs[0]
    assert cell_run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"


# --- XLSX -------------------------------------------------------------------------------------------------


def test_the_xlsx_sheets_merge_the_same_ranges_and_hold_numbers(tables):
    book = load_workbook(io.BytesIO(export.to_xlsx(report())))
    assert book.sheetnames == [title for _key, title in layout.SECTIONS[1:4]]
    for sheet, page_table in zip(book.worksheets, tables, strict=True):
        width = max(cell[1] + cell[3] for cell in page_table)
        assert sheet.cell(1, 1).value == sheet.title  # the title in row 1, the table from row 2
        expected = {(1, 1, 1, width)} | {
            (row + 2, column + 1, row + rowspan + 1, column + colspan)
            for row, column, rowspan, colspan, *_rest in page_table
            if rowspan > 1 or colspan > 1
        }
        assert {(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges} == expected
        for row, column, _rowspan, _colspan, text, _element in page_table:
            value = sheet.cell(row + 2, column + 1).value
            assert str(value) == text or (isinstance(value, float) and Decimal(text) == Decimal(str(value)))
    table3 = book.worksheets[1]
    assert table3.cell(2, 1).value == CORNER
    assert table3.cell(28, 5).value == 2401 and isinstance(table3.cell(28, 5).value, int)  # （七）总计 × 商业企业
    fees = book.worksheets[0].cell(15, 2).value
    assert isinstance(fees, float) and fees == 12.34


# --- JSON -------------------------------------------------------------------------------------------------


def test_the_json_round_trips_the_figures_and_carries_the_labels():
    figures = filled_figures()
    text = export.to_json(report(figures))
    data = json.loads(text)
    assert data["figures"] == figures
    assert list(data["figures"]["table3"]) == [row.key for row in layout.TABLE3_ROWS]
    assert [row["label"] for row in data["labels"]["table3"]["rows"]] == TABLE3_LABELS
    assert [column["label"] for column in data["labels"]["table3"]["columns"]][-1] == "总计"
    assert data["labels"]["table3"]["corner"] == CORNER
    assert [section["title"] for section in data["sections"]] == [title for _key, title in layout.SECTIONS]
    assert data["sections"][4]["text"] == "主动公开的及时性仍需提高。"
    assert data["title"] == f"{ORGANIZATION}2025年政府信息公开工作年度报告" and data["year"] == 2025


def test_the_json_is_readable_chinese_in_a_stable_order():
    text = export.to_json(report())
    assert "勾稽关系" in text and "\\u" not in text
    shuffled = report()
    shuffled["figures"] = {key: shuffled["figures"][key] for key in reversed(list(shuffled["figures"]))}
    assert export.to_json(shuffled) == text


# --- the templates the site includes ---------------------------------------------------------------------


def test_the_tables_template_lays_out_all_three_tables_from_figures():
    html = render_to_string("reports/_tables.html", {"figures": filled_figures()})
    page = lxml.html.fromstring(f"<div>{html}</div>")
    assert [table.find("caption").text for table in page.iter("table")] == [t for _k, t in layout.SECTIONS[1:4]]
    assert [table.find("caption").get("class") for table in page.iter("table")] == [None, None, None]
    assert spans(html_tables(html)[1]) == TABLE3_SPANS


def test_the_report_template_leaves_the_publication_facts_to_the_page_around_it():
    html = render_to_string("reports/_report.html", {"document": report()})
    assert "report-meta" not in html and "11370303004217160X/2026-00001" not in html
    assert html.count("<table") == 3 and html.count('class="visually-hidden"') == 3
