"""The annotated copy of a submitted file: the cells the report names are filled and commented, at their row and
column, in a workbook made from the upload (the XLSX itself, or the rows of a CSV); nothing in it runs as a formula."""

import io
import zipfile

import pytest
from credit_files import HEADER, csv_file, licence
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from gongkai.credit import annotate as annotate_module
from gongkai.credit.annotate import ERROR_FILL, NOTE_SHEET, annotate

BAD_DATE = {
    "row": 3, "column": "I", "field": "XK_JDRQ", "value": "2026-02-30",
    "message": "许可决定日期：不是有效日期 / not a valid date",
}  # fmt: skip


def workbook_of(content: bytes):
    return load_workbook(io.BytesIO(content))


def is_marked(cell) -> bool:
    return cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb and cell.comment is not None


def xlsx_upload(*rows, formula_cell: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 33
    if formula_cell:
        sheet[formula_cell] = '=HYPERLINK("http://example.cn","点击")'
    workbook.create_sheet("填报说明").append(["说明"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_cell_of_an_error_is_filled_and_carries_the_message_in_an_xlsx_copy():
    copy = workbook_of(annotate(xlsx_upload(licence(1), licence(2)), "licences.xlsx", [BAD_DATE]))
    sheet = copy.worksheets[0]
    assert is_marked(sheet["I3"])
    assert sheet["I3"].comment.text == BAD_DATE["message"]
    assert not is_marked(sheet["I2"]) and not is_marked(sheet["H3"]) and not is_marked(sheet["I4"])


def test_an_xlsx_copy_is_the_workbook_itself_with_its_formatting_and_sheets():
    copy = workbook_of(annotate(xlsx_upload(licence(1), licence(2)), "licences.xlsx", [BAD_DATE]))
    assert copy.sheetnames == ["数据", "填报说明"]  # no note sheet without a file error: the copy can be sent again
    sheet = copy["数据"]
    assert sheet["A1"].font.b and sheet.column_dimensions["A"].width == 33
    assert sheet["A2"].value == "淄博第1建材有限公司" and sheet["F3"].value == "张发改许〔2026〕2号"


def test_two_errors_of_one_cell_share_its_comment():
    second = {**BAD_DATE, "message": "许可决定日期：晚于今天 / later than today"}
    sheet = workbook_of(annotate(csv_file(licence(1), licence(2)).getvalue(), "l.csv", [BAD_DATE, second])).active
    assert sheet["I3"].comment.text == f"{BAD_DATE['message']}\n{second['message']}"


def test_an_error_without_a_column_goes_on_the_first_cell_of_its_row():
    shape = {"row": 2, "column": "", "field": "", "value": "", "message": "本行有17列，表头只有16列 / this row has 17"}
    sheet = workbook_of(annotate(csv_file(licence(1)).getvalue(), "l.csv", [shape])).active
    assert is_marked(sheet["A2"]) and "本行有17列" in sheet["A2"].comment.text


def test_a_file_error_goes_on_a_first_sheet_of_notes():
    error = {"row": 0, "message": "表头第3列“统一代码”不是行政许可的字段 / column 3 is not a field"}
    copy = workbook_of(annotate(xlsx_upload(licence(1)), "licences.xlsx", [error]))
    assert copy.sheetnames[0] == NOTE_SHEET and copy.active.title == NOTE_SHEET
    notes = [row[0] for row in copy[NOTE_SHEET].iter_rows(values_only=True)]
    assert error["message"] in notes


def test_a_csv_upload_becomes_a_workbook_of_its_rows_with_the_bad_cells_marked():
    copy = workbook_of(annotate(csv_file(licence(1), licence(2)).getvalue(), "licences.csv", [BAD_DATE]))
    sheet = copy.active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["F3"].value == "张发改许〔2026〕2号"
    assert is_marked(sheet["I3"]) and not is_marked(sheet["I2"])


def test_a_gbk_csv_is_decoded_like_the_reader_does():
    text = csv_file(licence(1), licence(2)).getvalue().decode("utf-8")
    copy = workbook_of(annotate(text.encode("gb18030"), "licences.csv", [BAD_DATE]))
    assert copy.active["A1"].value == "行政相对人名称" and copy.active["A3"].value == "淄博第2建材有限公司"


def test_a_short_csv_row_still_shows_its_marked_cell():
    error = {**BAD_DATE, "row": 2, "column": "P"}
    content = ("行政相对人名称,行政相对人类别\n淄博第1建材有限公司\n").encode()
    sheet = workbook_of(annotate(content, "short.csv", [error])).active
    assert is_marked(sheet["P2"]) and sheet["P2"].value is None


def cell_xml(content: bytes, sheet: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(sheet).decode()


def test_a_value_that_looks_like_a_formula_stays_text_in_a_csv_copy():
    row = licence(1, 许可内容='=HYPERLINK("http://example.cn","点击")')
    content = annotate(csv_file(row).getvalue(), "l.csv", [{**BAD_DATE, "row": 2}])
    assert "<f>" not in cell_xml(content) and "<f " not in cell_xml(content)
    sheet = workbook_of(content).active
    assert sheet["H2"].value.startswith("=HYPERLINK") and sheet["H2"].data_type == "s"


def test_a_formula_of_the_uploaded_xlsx_becomes_its_text():
    content = annotate(xlsx_upload(licence(1), formula_cell="H2"), "l.xlsx", [{**BAD_DATE, "row": 2}])
    assert "<f>" not in cell_xml(content) and "<f " not in cell_xml(content)
    assert workbook_of(content).active["H2"].data_type == "s"


def test_a_large_xlsx_is_rewritten_from_its_values_with_the_same_marks(monkeypatch):
    monkeypatch.setattr(annotate_module, "IN_PLACE_MAX_XML_BYTES", 0)
    copy = workbook_of(annotate(xlsx_upload(licence(1), licence(2), formula_cell="H2"), "l.xlsx", [BAD_DATE]))
    sheet = copy.active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert is_marked(sheet["I3"]) and not is_marked(sheet["I2"])
    assert sheet["F3"].value == "张发改许〔2026〕2号"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "photo.csv"),
        (b"PK\x03\x04 this is not really a zip", "broken.xlsx"),
        (b"\xff\xfe\x00\x00\x81\x30", "utf32.csv"),
    ],
)
def test_a_file_that_cannot_be_opened_gives_a_copy_with_its_file_errors_only(content, name):
    error = {"row": 0, "message": "“photo.csv”不是CSV或XLSX文件 / neither CSV nor XLSX"}
    copy = workbook_of(annotate(content, name, [error]))
    assert copy.sheetnames == [NOTE_SHEET]
    notes = [row[0] for row in copy.active.iter_rows(values_only=True)]
    assert notes[-1] == error["message"] and annotate_module.CANNOT_OPEN in notes
