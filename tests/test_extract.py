"""Attachment text for search and screening is read in a child process that cannot take the caller down."""

import io
import logging
import os
import re
import subprocess
import time
import zipfile

import docx
import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter

from gongkai.lib.extract import PAGE_SEPARATOR, ExtractionFailed, extract_text
from gongkai.lib.files import check_upload


def make_pdf(*pages: str) -> bytes:
    """A minimal valid PDF written by hand: one Helvetica text line per page, and a correct xref table."""
    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for number, text in enumerate(pages):
        stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (5 + 2 * number)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypt(pdf: bytes, *, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner-2026", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write_docx(path) -> None:
    document = docx.Document()
    document.add_heading("关于公布2026年行政许可事项的通知", level=1)
    document.add_paragraph("各科室：现将有关事项通知如下。")
    document.add_paragraph("")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows, [("事项", "承办科室", "时限"), ("项目备案", "投资科", "5个工作日")], strict=False
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "合计两项"
    document.add_paragraph("张店区发展和改革局")
    document.sections[0].footer.paragraphs[0].text = "第1页"
    document.save(path)


def write_xlsx(path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "行政许可"
    sheet.append(["行政相对人名称", "许可决定日期", "数量", "金额"])
    sheet.append(["淄博瑞博商贸有限公司", "2026-01-05", 3, 1.5])
    sheet.append([])
    sheet.append([None, None, None, "尾行"])
    hidden = workbook.create_sheet("内部")
    hidden["A1"] = "隐藏工作表里的文字"
    hidden.sheet_state = "hidden"
    workbook.save(path)


def write_huge_sheet(path, rows: int) -> None:
    """An XLSX whose only sheet has `rows` identical rows, streamed so it is written in well under a second.

    It stands for a large or malicious workbook: python-calamine needs seconds and hundreds of MB for it.
    """
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    row = b'<row><c t="inlineStr"><is><t>abcdefghijklmnopqrstuvwxyz</t></is></c><c><v>12345</v></c></row>'
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                block = row * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")


@pytest.fixture(scope="module")
def huge_sheet(tmp_path_factory):
    path = tmp_path_factory.mktemp("huge") / "huge.xlsx"
    write_huge_sheet(path, 5_000_000)
    return path


# --- accepted files and their text -------------------------------------------------------------------


def test_a_real_pdf_is_accepted_and_its_text_is_extracted_page_by_page(tmp_path):
    path = tmp_path / "通知.pdf"
    path.write_bytes(make_pdf("Hello 2026", "Page two"))
    assert len(PdfReader(path).pages) == 2
    with path.open("rb") as upload:
        assert check_upload(upload, "通知.pdf").kind == "pdf"
    text = extract_text(path, "pdf")
    assert text == f"Hello 2026{PAGE_SEPARATOR}Page two"


def test_a_docx_with_a_table_is_accepted_and_its_text_comes_out_in_document_order(tmp_path):
    path = tmp_path / "通知.docx"
    write_docx(path)
    with path.open("rb") as upload:
        assert check_upload(upload, "通知.docx").kind == "docx"
    assert extract_text(path, "docx").splitlines() == [
        "关于公布2026年行政许可事项的通知",
        "各科室：现将有关事项通知如下。",
        "事项\t承办科室\t时限",
        "项目备案\t投资科\t5个工作日",
        "合计两项",  # one merged cell, not three copies of it
        "张店区发展和改革局",
        "第1页",
    ]


def test_an_xlsx_is_accepted_and_every_sheet_is_extracted_hidden_ones_included(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_xlsx(path)
    with path.open("rb") as upload:
        assert check_upload(upload, "名单.xlsx").kind == "xlsx"
    assert extract_text(path, "xlsx").splitlines() == [
        "行政许可",
        "行政相对人名称\t许可决定日期\t数量\t金额",
        "淄博瑞博商贸有限公司\t2026-01-05\t3\t1.5",
        "\t\t\t尾行",
        "内部",
        "隐藏工作表里的文字",
    ]


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif", "webp"])
def test_images_have_no_text_and_are_not_parsed(tmp_path, kind):
    assert extract_text(tmp_path / "does-not-even-exist", kind) == ""


def test_a_pdf_that_opens_without_a_password_is_read_even_if_its_owner_restricted_it(tmp_path):
    path = tmp_path / "受限.pdf"
    path.write_bytes(encrypt(make_pdf("Restricted 2026"), user_password=""))
    assert PdfReader(path).is_encrypted
    assert extract_text(path, "pdf") == "Restricted 2026"


# --- failures ----------------------------------------------------------------------------------------


def test_a_password_protected_pdf_fails_with_a_clear_message(tmp_path):
    path = tmp_path / "upload.pdf"
    path.write_bytes(encrypt(make_pdf("Secret"), user_password="secret"))
    with pytest.raises(ExtractionFailed) as caught:
        extract_text(path, "pdf", name="加密通知.pdf")
    assert str(caught.value) == (
        "无法读取文件“加密通知.pdf”的文字：PDF已加密，请取消密码后重新上传。 / "
        'Could not read the text of the file "加密通知.pdf": '
        "the PDF is encrypted; remove the password and upload again."
    )
    assert caught.value.name == "加密通知.pdf"


def test_a_damaged_docx_that_passes_the_zip_checks_fails_extraction_naming_the_file(tmp_path):
    path = tmp_path / "upload.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml at all")
        archive.writestr("word/document.xml", "<w:document")
    with path.open("rb") as upload:
        assert check_upload(upload, "坏.docx").kind == "docx"
    with pytest.raises(ExtractionFailed, match=re.escape("无法读取文件“坏.docx”的文字：文件已损坏或格式不受支持")):
        extract_text(path, "docx", name="坏.docx")


def test_a_pdf_that_is_not_really_one_fails_and_the_message_defaults_to_the_file_name(tmp_path):
    path = tmp_path / "upload.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 100)
    with pytest.raises(ExtractionFailed, match=re.escape("无法读取文件“upload.pdf”的文字：文件已损坏")):
        extract_text(path, "pdf")


def test_a_parser_that_runs_past_its_time_limit_is_stopped_and_the_caller_survives(huge_sheet):
    started = time.monotonic()
    with pytest.raises(ExtractionFailed) as caught:
        extract_text(huge_sheet, "xlsx", timeout=1, memory_mb=4096, name="大表.xlsx")
    elapsed = time.monotonic() - started
    assert "解析超过1秒仍未完成，已中止" in str(caught.value)
    assert "parsing took longer than 1 s" in str(caught.value)
    assert elapsed < 5, "the child is killed at the time limit, not waited for"
    assert extract_text_of_a_small_pdf(huge_sheet.parent) == "Still here"


def test_a_parser_that_exceeds_its_memory_limit_dies_alone_and_the_caller_survives(huge_sheet):
    # python-calamine aborts (SIGABRT) rather than raising when it cannot allocate: uncatchable in-process.
    parent = os.getpid()
    with pytest.raises(ExtractionFailed) as caught:
        extract_text(huge_sheet, "xlsx", memory_mb=256, name="大表.xlsx")
    assert "256 MB的内存上限" in str(caught.value)
    assert os.getpid() == parent
    assert extract_text_of_a_small_pdf(huge_sheet.parent) == "Still here"


def extract_text_of_a_small_pdf(folder) -> str:
    path = folder / "small.pdf"
    path.write_bytes(make_pdf("Still here"))
    return extract_text(path, "pdf")


def test_text_beyond_max_chars_is_cut_for_the_index_with_a_warning(tmp_path, caplog):
    path = tmp_path / "名单.xlsx"
    write_xlsx(path)
    with caplog.at_level(logging.WARNING, logger="gongkai.lib.extract"):
        text = extract_text(path, "xlsx", max_chars=10, name="名单.xlsx")
    assert text == "行政许可\n行政相对人"
    assert "名单.xlsx" in caplog.text and "cut to 10 characters" in caplog.text


def test_text_that_fits_is_not_cut_and_nothing_is_logged(tmp_path, caplog):
    path = tmp_path / "名单.xlsx"
    write_xlsx(path)
    full = extract_text(path, "xlsx")
    with caplog.at_level(logging.WARNING, logger="gongkai.lib.extract"):
        assert extract_text(path, "xlsx", max_chars=len(full)) == full
    assert caplog.text == ""


def test_an_unknown_kind_is_a_programming_error_not_a_refusal(tmp_path):
    with pytest.raises(ValueError, match="unknown kind 'exe'") as caught:
        extract_text(tmp_path / "x.exe", "exe")
    assert not isinstance(caught.value, ExtractionFailed)


def test_the_child_that_reads_untrusted_files_gets_none_of_the_callers_environment(tmp_path, monkeypatch):
    seen = {}
    real_run = subprocess.run

    def spy(command, **kwargs):
        seen.update(kwargs)
        return real_run(command, **kwargs)

    monkeypatch.setenv("SECRET_KEY", "do-not-leak")
    monkeypatch.setattr(subprocess, "run", spy)
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf("Hello"))
    assert extract_text(path, "pdf") == "Hello"
    assert seen["env"] == {"LANG": "C.UTF-8"}
