"""``screen FILE...``: one JSON line per finding, never the value itself; unreadable files are reported and skipped.

Exit status 1 when anything is found, else 2 when a file could not be read, else 0.
"""

import json
import zipfile
from io import StringIO

import docx
import openpyxl
import pytest
from data.screening_corpus import ID_1, ID_2, resident_id
from django.core.management import call_command
from test_extract import encrypt, make_pdf

ID_ON_PAGE_2 = resident_id("370303", "19881208", "321")


def screen(*paths) -> tuple[list[dict], list[dict], int]:
    """(stdout lines, stderr lines, exit status) of ``screen`` with these files."""
    out, err = StringIO(), StringIO()
    try:
        call_command("screen", *map(str, paths), stdout=out, stderr=err)
        status = 0
    except SystemExit as exited:
        status = exited.code
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    errors = [json.loads(line) for line in err.getvalue().splitlines()]
    return lines, errors, status


@pytest.fixture
def clean_text(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text("关于公布2026年行政许可事项的通知。联系电话：0533-2869859。", encoding="utf-8")
    return path


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "名单.pdf"
    path.write_bytes(make_pdf("List of applicants", f"Applicant ID {ID_ON_PAGE_2} approved"))
    return path


@pytest.fixture
def docx_file(tmp_path):
    path = tmp_path / "处罚决定书.docx"
    document = docx.Document()
    document.add_paragraph("行政处罚决定书")
    document.add_paragraph(f"当事人：张三，身份证号码{ID_1}。")
    document.save(path)
    return path


@pytest.fixture
def xlsx_file(tmp_path):
    path = tmp_path / "许可.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "行政许可"
    sheet.append(["行政相对人名称", "联系电话"])
    sheet.append(["淄博瑞博商贸有限公司", "13812345678"])
    workbook.save(path)
    return path


def test_a_clean_file_prints_nothing_and_exits_with_0(clean_text):
    assert screen(clean_text) == ([], [], 0)


def test_no_files_is_nothing_to_screen():
    assert screen() == ([], [], 0)


def test_a_utf8_text_file_gives_one_json_line_per_finding_with_the_value_masked(tmp_path):
    path = tmp_path / "答复.txt"
    path.write_bytes("\ufeff申请人王小明，手机13912345678。".encode())
    lines, errors, status = screen(path)
    assert status == 1
    assert errors == []
    assert lines == [
        {
            "file": str(path),
            "kind": "personal_name",
            "label": "个人姓名",
            "page": None,
            "offset": 3,
            "excerpt": "申请人王**，手机139****5678。",
        },
        {
            "file": str(path),
            "kind": "mobile",
            "label": "手机号码",
            "page": None,
            "offset": 9,
            "excerpt": "申请人王**，手机139****5678。",
        },
    ]


def test_a_gb18030_text_file_is_read(tmp_path):
    path = tmp_path / "旧文件.txt"
    path.write_bytes(f"身份证号码：{ID_2}（GB18030编码）".encode("gb18030"))
    lines, _errors, status = screen(path)
    assert status == 1
    assert [(line["kind"], line["label"], line["offset"]) for line in lines] == [("resident_id", "身份证号码", 6)]
    assert ID_2 not in json.dumps(lines, ensure_ascii=False)
    assert f"{ID_2[:6]}********{ID_2[-4:]}" in lines[0]["excerpt"]


def test_an_html_file_is_screened_as_its_text(tmp_path):
    path = tmp_path / "公告.html"
    path.write_text(
        "<html><head><title>公告</title><script>var x = '13900000000';</script></head>"
        "<body><p>绝密&#9733;长期</p><p>邮箱：<b>zhangsan1990</b>@163.com</p></body></html>",
        encoding="utf-8",
    )
    lines, _errors, status = screen(path)
    assert status == 1
    assert [(line["kind"], line["excerpt"]) for line in lines] == [
        ("secret_marking", "***** 邮箱：z***********@163"),  # 20 characters after the marking
        ("email", "***** 邮箱：z***********@163.com"),
    ]


def test_a_pdf_finding_names_its_page_and_the_offset_within_it(pdf):
    lines, _errors, status = screen(pdf)
    assert status == 1
    assert lines == [
        {
            "file": str(pdf),
            "kind": "resident_id",
            "label": "身份证号码",
            "page": 2,
            "offset": 13,
            "excerpt": f"Applicant ID {ID_ON_PAGE_2[:6]}********{ID_ON_PAGE_2[-4:]} approved",
        }
    ]


def test_a_docx_and_an_xlsx_are_screened(docx_file, xlsx_file):
    lines, errors, status = screen(docx_file, xlsx_file)
    assert (status, errors) == (1, [])
    assert [(line["file"], line["kind"], line["page"]) for line in lines] == [
        (str(docx_file), "personal_name", None),
        (str(docx_file), "resident_id", None),
        (str(xlsx_file), "mobile", None),
    ]
    assert "138****5678" in lines[2]["excerpt"]


def test_unreadable_files_are_reported_on_stderr_and_the_others_still_screened(tmp_path, pdf, docx_file):
    encrypted = tmp_path / "加密.pdf"
    encrypted.write_bytes(encrypt(make_pdf(f"ID {ID_1}"), user_password="secret"))
    corrupt = tmp_path / "损坏.docx"
    with zipfile.ZipFile(corrupt, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml at all")
        archive.writestr("word/document.xml", "<w:document")
    not_a_pdf = tmp_path / "假.pdf"
    not_a_pdf.write_bytes(b"%PDF-1.4\n" + b"garbage " * 100)
    undecodable = tmp_path / "乱码.txt"
    undecodable.write_bytes(b"\xff\xfe\xfd\x80\x80")
    unknown = tmp_path / "旧.doc"
    unknown.write_bytes(b"\xd0\xcf\x11\xe0")
    missing = tmp_path / "不存在.txt"

    lines, errors, status = screen(encrypted, pdf, corrupt, not_a_pdf, undecodable, unknown, missing, docx_file)

    assert status == 1  # findings win over failures
    assert [line["file"] for line in lines] == [str(pdf), str(docx_file), str(docx_file)]
    reasons = {error["file"]: error["error"] for error in errors}
    assert list(reasons) == [str(encrypted), str(corrupt), str(not_a_pdf), str(undecodable), str(unknown), str(missing)]
    assert "PDF已加密" in reasons[str(encrypted)] and "the PDF is encrypted" in reasons[str(encrypted)]
    assert "文件已损坏" in reasons[str(corrupt)]
    assert "文件已损坏" in reasons[str(not_a_pdf)]
    assert reasons[str(undecodable)] == "既不是UTF-8也不是GB18030编码的文字 / is neither UTF-8 nor GB18030 text"
    assert reasons[str(unknown)].startswith("不支持的文件类型“.doc”")
    assert reasons[str(missing)] == "文件不存在或不是普通文件 / does not exist or is not a regular file"
    assert ID_1 not in json.dumps(errors, ensure_ascii=False)


def test_only_failures_exit_with_2(tmp_path, clean_text):
    missing = tmp_path / "不存在.pdf"
    lines, errors, status = screen(clean_text, missing)
    assert (lines, status) == ([], 2)
    assert [error["file"] for error in errors] == [str(missing)]


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(tmp_path):
    path = tmp_path / "伪装.docx"
    path.write_bytes(make_pdf(f"ID {ID_1}"))
    _lines, errors, status = screen(path)
    assert status == 2
    assert "不是Word" in errors[0]["error"] or "rename" in errors[0]["error"]


def test_the_gongkai_console_command_screens_files(run_gongkai, tmp_path):
    path = tmp_path / "答复.txt"
    path.write_text("手机13812345678", encoding="utf-8")
    done = run_gongkai("screen", str(path))
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["excerpt"] == "手机138****5678"
    assert "13812345678" not in done.stdout
