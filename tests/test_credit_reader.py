"""Reading department files: CSV in every encoding in use, XLSX, headers by code or label; bad files refused."""

import io
import zipfile

import pytest

from gongkai.credit.reader import FileProblem, read
from gongkai.credit.standard import LICENCE

HEADER_LABELS = ["行政相对人名称", "行政相对人类别", "统一社会信用代码", "行政许可决定文书号", "许可决定日期"]
ROW = ["淄博华瑞建材有限公司", "法人及非法人组织", "91370303MA3C00018X", "张发改许〔2026〕15号", "2026-03-05"]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode(encoding) + b"\r\n"


def rows_of(data: bytes, name="licences.csv"):
    return list(read(io.BytesIO(data), name, LICENCE))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_in_use_reads_the_same(encoding):
    rows = rows_of(csv_bytes([HEADER_LABELS, ROW, ROW], encoding))
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].cells == {
        "XK_XDR_MC": ROW[0], "XK_XDR_LB": ROW[1], "XK_XDR_SHXYM": ROW[2], "XK_WSH": ROW[3], "XK_JDRQ": ROW[4],
    }  # fmt: skip


def test_headers_may_be_codes_or_labels_in_any_order_and_empty_lines_are_skipped():
    header = ["XK_WSH", "行政相对人名称", " xk_jdrq ", "许可机关统一社会信用代码"]
    assert rows_of(csv_bytes([["行政相对人代码_1(统一社会信用代码)"], ["X"]]))[0].cells == {"XK_XDR_SHXYM": "X"}
    rows = rows_of(csv_bytes([header, ["A1", "甲", "2026-01-02", "X"], ["", "", "", ""], ["A2", "乙", "", ""]]))
    assert [(row.number, row.cells["XK_WSH"]) for row in rows] == [(2, "A1"), (4, "A2")]
    assert rows[0].cells["XK_XKJGDM"] == "X"


def test_a_row_with_more_cells_than_the_header_is_reported_on_that_row():
    rows = rows_of(csv_bytes([HEADER_LABELS, [*ROW, "多出的一列"]]))
    assert "本行有6列，表头只有5列" in rows[0].problems[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (csv_bytes([["行政相对人名称", "不存在的列"], ["甲", "乙"]]), "“不存在的列”不是行政许可的字段"),
        (csv_bytes([["行政相对人名称", "XK_XDR_MC"], ["甲", "乙"]]), "出现了两次"),
        (csv_bytes([["行政相对人名称", ""], ["甲", "乙"]]), "第2列为空"),
        (b"", "文件是空的"),
        (b"%PDF-1.4\n" + b"0" * 100, "不是CSV或XLSX"),
        (b"MZ\x90\x00" + b"\x00" * 100, "不是CSV或XLSX"),
        (csv_bytes([HEADER_LABELS, ["x" * 200_000, "", "", "", ""]]), "无法读取"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(data, message):
    with pytest.raises(FileProblem, match=message):
        rows_of(data)


def test_a_csv_whose_encoding_changes_halfway_is_refused_naming_where():
    utf8 = csv_bytes([HEADER_LABELS] + [ROW] * 2000)
    data = utf8 + csv_bytes([ROW], "gbk")
    with pytest.raises(FileProblem, match="第2002行的文字不是UTF-8编码"):
        rows_of(data)


def xlsx(rows, merged: str = "") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merged:
        sheet.merge_cells(merged)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_reads_like_csv_with_dates_as_the_sheet_holds_them():
    import datetime

    from gongkai.credit.rows import parse_date

    rows = rows_of(xlsx([HEADER_LABELS, [*ROW[:4], datetime.date(2026, 3, 5)]]), "licences.xlsx")
    assert rows[0].number == 2 and rows[0].cells["XK_WSH"] == ROW[3]
    assert parse_date(rows[0].cells["XK_JDRQ"]) == datetime.date(2026, 3, 5)


def test_merged_header_cells_are_refused():
    with pytest.raises(FileProblem, match="表头第2列为空"):
        rows_of(xlsx([["行政相对人名称", "行政相对人类别"], ["甲", "乙"]], merged="A1:B1"), "x.xlsx")


def test_a_zip_bomb_or_a_docx_named_xlsx_is_refused_before_parsing():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    with pytest.raises(FileProblem):
        rows_of(bomb.getvalue(), "bomb.xlsx")
    from docx import Document

    document = io.BytesIO()
    Document().save(document)
    with pytest.raises(FileProblem, match="DOCX"):
        rows_of(document.getvalue(), "licences.xlsx")
