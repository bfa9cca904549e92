"""Reading published annual reports: `parse.read_report`, `compare` and `gongkai report check|compare`.

The report files are built from a figures dict (`tests/report_files.py`), so each test knows the truth.
"""

import io
import json

import pytest
import report_files as files
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.reports import compare, layout, parse


def gongkai_report(*args) -> tuple[int, str, str]:
    """Run ``gongkai report ARGS``: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", *map(str, args), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = exit.code
    except CommandError as error:
        status = error.returncode
        err.write(str(error))
    return status, out.getvalue(), err.getvalue()


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def figures():
    return files.figures_2021(seed=1)


# --- each variant reads back to the figures it was built from ----------------------------------------------


def test_a_messy_utf8_html_report_reads_back_to_its_figures(figures):
    report = parse.read_report(files.html_report(figures), "report.html")

    assert report.figures == figures
    assert report.problems == []
    assert (report.format, report.readable, report.year) == ("2021", True, 2023)
    assert report.title == "张店区发展和改革局2023年政府信息公开工作年度报告"
    assert report.organization == "张店区发展和改革局"


def test_a_gbk_page_that_declares_gb2312_reads_back_to_its_figures(figures):
    data = files.html_report(figures, charset="gb2312")
    assert b'charset=gb2312"' in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    report = parse.read_report(data, "report.html")

    assert report.figures == figures
    assert report.problems == []
    assert report.organization == "张店区发展和改革局"


def test_a_gbk_page_without_a_declared_charset_is_read_as_gb18030(figures):
    data = files.html_report(figures, charset="gb2312").replace(b"; charset=gb2312", b"")

    report = parse.read_report(data, "report.html")

    assert report.figures == figures
    assert report.year == 2023


def test_the_html_report_has_its_sections(figures):
    report = parse.read_report(files.html_report(figures), "report.html")

    assert [key for key, _title in layout.SECTIONS] == list(report.sections)
    assert report.sections["overview"] == files.OVERVIEW
    assert report.sections["problems"] == files.PROBLEMS
    assert report.sections["other"] == files.OTHER
    assert "1.属于国家秘密" not in report.text.split("三、收到和处理政府信息公开申请情况")[0]  # the <script>'s table


def test_a_2019_format_report_reads_back_with_its_own_table_2():
    figures = files.figures_2019(seed=3)

    report = parse.read_report(files.html_report(figures, year=2020), "report.html")

    assert report.format == layout.FORMAT_2019
    assert report.figures == figures
    assert report.figures["table2"]["licence"]["change"] == -2
    assert report.figures["table2"]["procurement"]["amount"] == "356.8"
    assert "6" in report.figures["table3"] and "6.1" not in report.figures["table3"]
    assert report.problems == []
    assert report.year == 2020


def test_a_docx_report_with_merged_cells_reads_back_to_its_figures(figures):
    report = parse.read_report(files.docx_report(figures), "report.docx")

    assert report.figures == figures
    assert report.problems == []
    assert (report.format, report.year, report.organization) == ("2021", 2023, "张店区发展和改革局")
    assert report.sections["overview"] == files.OVERVIEW


def test_a_2019_format_docx_report_reads_back_to_its_figures():
    figures = files.figures_2019(seed=5)

    report = parse.read_report(files.docx_report(figures, year=2019), "report.docx")

    assert report.format == layout.FORMAT_2019
    assert report.figures == figures


def test_a_report_from_before_2019_is_text_with_its_sections():
    report = parse.read_report(files.text_report(), "2017年报.txt")

    assert (report.format, report.figures, report.readable) == ("text", None, False)
    assert (report.year, report.organization) == (2017, "张店区发展和改革局")
    assert report.sections == {
        "overview": "2017年，我局高度重视政府信息公开工作，成立了领导小组。",
        "proactive": "全年主动公开政府信息126条，其中规范性文件3件。",
        "requests": "全年共受理政府信息公开申请5件，均已按时答复。",
        "remedies": "未发生行政复议和行政诉讼。",
        "problems": "公开的及时性有待提高。",
        "other": "无。",
    }  # 四、收费及减免情况 has no section of the current format


def test_a_pre_2019_web_page_with_a_table_of_its_own_is_still_text():
    table = "<table><tr><td>行政许可</td><td>12</td></tr><tr><td>规章</td><td>0</td></tr></table>"
    text = files.TEXT_2017.replace("\n", "<br>\n")
    data = f"<html><head><title>年度报告</title></head><body><p>{text}</p>{table}</body></html>".encode()

    report = parse.read_report(data, "2017.html")

    assert (report.format, report.figures, report.readable, report.year) == ("text", None, False, 2017)
    assert report.sections["requests"] == "全年共受理政府信息公开申请5件，均已按时答复。"


def test_labels_are_matched_after_normalisation():
    assert parse.normalize_label(" １．属于 国家秘密") == parse.normalize_label("1.属于国家秘密")
    assert parse.normalize_label('3、危及"三安全一稳定"') == parse.normalize_label("3.危及“三安全一稳定”")
    assert parse.normalize_label("（七）合计") == parse.normalize_label("（七）总计")


# --- check -------------------------------------------------------------------------------------------------


def test_a_consistent_report_passes_the_check(tmp_path, figures):
    path = tmp_path / "report.html"
    path.write_bytes(files.html_report(figures))

    status, out, _err = gongkai_report("check", path)

    assert status == 0
    assert "勾稽关系全部成立 / every identity holds" in out


def test_a_report_with_one_wrong_total_fails_and_names_that_cell(tmp_path, figures):
    figures["table3"]["total"][1] += 1  # （七）总计 × 商业企业
    path = tmp_path / "report.html"
    path.write_bytes(files.html_report(figures))

    status, out, _err = gongkai_report("check", path, "--json")

    assert status == 1
    failures = [line for line in lines(out) if line["type"] == "failure"]
    named = {cell for failure in failures for cell in failure["cells"]}
    assert "表三「（七）总计」×「商业企业」" in named
    assert {failure["identity"] for failure in failures} == {"balance", "outcomes", "row_total"}
    assert [line for line in lines(out) if line["type"] == "problem"] == []


def test_the_human_output_names_the_failing_cell(tmp_path, figures):
    figures["table4"]["direct"][4] += 2
    path = tmp_path / "report.docx"
    path.write_bytes(files.docx_report(figures))

    status, out, _err = gongkai_report("check", path)

    assert status == 1
    assert "[table4_total] 表四「未经复议直接起诉」×「总计」" in out


def test_check_with_last_years_report_flags_the_carried_over_mismatch(tmp_path):
    last, this = files.figures_2021(seed=1), files.figures_2021(seed=2)
    this["table3"]["carried_in"] = list(last["table3"]["carried_out"])
    this["table3"]["carried_in"][0] += 1
    files.consistent(this)
    (tmp_path / "2022.html").write_bytes(files.html_report(last, year=2022))
    (tmp_path / "2023.html").write_bytes(files.html_report(this, year=2023))

    status, out, _err = gongkai_report("check", tmp_path / "2023.html", "--last", tmp_path / "2022.html", "--json")

    assert status == 1
    failures = [line for line in lines(out) if line["type"] == "failure"]
    assert {failure["identity"] for failure in failures} == {"carried_over"}
    assert [failure["cells"] for failure in failures] == [
        [
            "表三「二、上年结转政府信息公开申请数量」×「自然人」（本年）",
            "表三「四、结转下年度继续办理」×「自然人」（上年）",
        ],
        [
            "表三「二、上年结转政府信息公开申请数量」×「总计」（本年）",
            "表三「四、结转下年度继续办理」×「总计」（上年）",
        ],
    ]


# --- bad input: problems, not crashes ----------------------------------------------------------------------


def test_a_missing_table_4_is_a_problem(tmp_path, figures):
    data = files.html_report(figures, tables=("table2", "table3"))

    report = parse.read_report(data, "report.html")

    assert report.readable
    assert report.problems == ["未找到表四（政府信息公开行政复议、行政诉讼情况），按0计 / table 4 (administrative "
                               "review and litigation) not found, read as 0"]  # fmt: skip
    assert report.figures["table3"] == figures["table3"]
    path = tmp_path / "report.html"
    path.write_bytes(data)
    status, out, _err = gongkai_report("check", path)
    assert status == 1
    assert "未找到表四" in out


def test_a_deleted_row_is_a_problem_and_the_other_rows_still_read(figures):
    data = files.html_report(figures, drop_rows=("5.2",))  # the group's rowspan still counts it

    report = parse.read_report(data, "report.html")

    assert report.problems == ["表三未找到「2.重复申请」行，按0计 / table 3: no row 「2.重复申请」, read as 0"]
    expected = files.deep(figures)
    expected["table3"]["5.2"] = [0] * 7
    assert report.figures == expected


def test_a_non_numeric_cell_is_a_problem_naming_the_cell(figures):
    data = files.html_report(figures, overrides={("table3", "3.4", 2): "十二"})

    report = parse.read_report(data, "report.html")

    cell = "表三「4.保护第三方合法权益」×「科研机构」"
    assert report.problems == [f"{cell}：「十二」不是数字，按0计 / {cell}: 「十二」 is not a number, read as 0"]
    assert report.figures["table3"]["3.4"][2] == 0


def test_a_row_with_a_missing_cell_is_a_problem():
    figures = files.figures_2021(seed=7)
    rows = files.table3_cells(figures)
    short = next(row for row in rows if row and row[0].text == layout.CARRIED_IN.label)
    del short[3]
    data = ("<html><body>" + files.html_table(rows) + "</body></html>").encode()

    report = parse.read_report(data, "t.html")

    row = "二、上年结转政府信息公开申请数量"
    assert [problem for problem in report.problems if problem.startswith("表三")] == [
        f"表三「{row}」行有6个数字格，应为7个，未读取 / table 3: row 「{row}」 has 6 value cells instead of 7; not read"
    ]
    assert report.figures["table3"]["carried_in"] == [0] * 7


def test_dashes_and_empty_cells_read_as_zero_and_an_empty_row_is_noted(figures):
    overrides = {("table3", "3.1", column): "" for column in range(7)}
    overrides |= {("table3", "3.2", 0): "—", ("table3", "3.2", 1): "-", ("table3", "3.2", 2): "/"}
    overrides |= {("table3", "3.2", 3): "无"}
    report = parse.read_report(files.html_report(figures, overrides=overrides), "report.html")

    assert report.figures["table3"]["3.1"] == [0] * 7
    assert report.figures["table3"]["3.2"][:4] == [0, 0, 0, 0]
    assert report.problems == [
        "表三「1.属于国家秘密」行全部为空，按0计 / table 3: row 「1.属于国家秘密」 is empty, read as 0"
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.html", bytes(range(256)) * 8),
        ("report.html", b""),
        ("report.html", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
        ("report.docx", b"PK\x03\x04not really a zip"),
        ("report.html", "<html><body><p>张店区发展和改革局2023年政府信息公开工作年度报告</p></body></html>".encode()),
    ],
    ids=["garbage", "empty", "pdf-renamed-html", "broken-docx", "html-without-tables"],
)
def test_a_file_that_is_not_a_report_exits_2_with_a_clear_message(tmp_path, name, data):
    report = parse.read_report(data, name)
    assert not report.readable and report.figures is None and report.problems
    path = tmp_path / name
    path.write_bytes(data)

    status, _out, err = gongkai_report("check", path)

    assert status == 2
    assert "不能作为年度报告读取 / " in err and "could not be read as an annual report" in err


def test_a_missing_file_exits_2(tmp_path):
    status, _out, err = gongkai_report("check", tmp_path / "nothing.html")

    assert status == 2
    assert "No file" in err


# --- compare -----------------------------------------------------------------------------------------------


def _two_years() -> tuple[dict, dict]:
    earlier = files.figures_2021(seed=11)
    earlier["table3"]["carried_in"] = list(earlier["table3"]["carried_out"])
    files.consistent(earlier)
    later = files.deep(earlier)
    later["table3"]["carried_in"] = list(earlier["table3"]["carried_out"])
    later["table3"]["1"][0] += 2
    later["table2"]["licence"] += 5
    return earlier, files.consistent(later)


def test_compare_lists_exactly_the_changed_cells_in_table_order():
    earlier, later = _two_years()

    changes = compare.compare(earlier, later)

    assert [change.cell for change in changes] == [
        "表二「行政许可」",
        "表三「一、本年新收政府信息公开申请数量」×「自然人」",
        "表三「一、本年新收政府信息公开申请数量」×「总计」",
        "表三「（一）予以公开」×「自然人」",
        "表三「（一）予以公开」×「总计」",
        "表三「（七）总计」×「自然人」",
        "表三「（七）总计」×「总计」",
    ]
    assert (changes[0].earlier, changes[0].later) == (earlier["table2"]["licence"], earlier["table2"]["licence"] + 5)
    assert compare.carried_over(earlier, later) == []


def test_report_compare_prints_the_changes_and_flags_a_carried_over_mismatch(tmp_path):
    earlier, later = _two_years()
    later["table3"]["carried_in"][4] += 1  # 法律服务机构
    files.consistent(later)
    (tmp_path / "2022.html").write_bytes(files.html_report(earlier, year=2022))
    (tmp_path / "2023.docx").write_bytes(files.docx_report(later, year=2023))

    status, out, _err = gongkai_report("compare", tmp_path / "2022.html", tmp_path / "2023.docx", "--json")

    assert status == 1
    found = lines(out)
    changed = [line["cell"] for line in found if line["type"] == "change"]
    assert "表三「二、上年结转政府信息公开申请数量」×「法律服务机构」" in changed
    failures = [line for line in found if line["type"] == "failure"]
    assert [(failure["identity"], failure["cells"][0]) for failure in failures] == [
        ("carried_over", "表三「二、上年结转政府信息公开申请数量」×「法律服务机构」（本年）"),
        ("carried_over", "表三「二、上年结转政府信息公开申请数量」×「总计」（本年）"),
    ]

    status, out, _err = gongkai_report("compare", tmp_path / "2022.html", tmp_path / "2023.docx")
    assert status == 1
    assert "上年结转与上一年的结转下年度不一致 / carried over ≠ last year's carried forward" in out


def test_report_compare_of_agreeing_years_exits_0(tmp_path):
    earlier, later = _two_years()
    (tmp_path / "2022.html").write_bytes(files.html_report(earlier, year=2022))
    (tmp_path / "2023.html").write_bytes(files.html_report(later, year=2023))

    status, out, _err = gongkai_report("compare", tmp_path / "2022.html", tmp_path / "2023.html")

    assert status == 0
    assert "变化的数字 7 个 / 7 figures changed" in out
    assert "表三「（一）予以公开」×「自然人」" in out


def test_a_2019_report_compares_with_a_2021_one_on_the_rows_they_share():
    earlier = files.figures_2019(seed=21)
    later = layout.empty_figures(layout.FORMAT_2021)
    for row in layout.TABLE3_ROWS:
        if not row.key.startswith("6."):
            later["table3"][row.key] = list(earlier["table3"][row.key])
    later["table3"]["6.3"] = list(earlier["table3"]["6"])  # the same applications, now under 6.3
    later["table3"]["carried_in"] = list(earlier["table3"]["carried_out"])
    later["table4"] = files.deep(earlier["table4"])
    later["table2"]["licence"] = earlier["table2"]["licence"]["decisions"]
    later["table2"]["penalty"] = earlier["table2"]["penalty"]["decisions"] + 1
    later["table2"]["coercion"] = earlier["table2"]["coercion"]["decisions"]
    files.consistent(later)

    result = compare.comparison(earlier, later)

    changed = {change.cell for change in result.changes}
    assert "表二「行政处罚」" in changed
    assert "表二「行政许可」" not in changed and "表二「行政强制」" not in changed
    assert not any(cell.startswith(("表三「（", "表三「1.", "表四")) for cell in changed)
    assert "表三「（六）其他处理」" in result.only_earlier
    assert "表二「其他对外管理服务事项」" in result.only_earlier
    assert "表二「规章」×「本年新制作数量」" in result.only_earlier
    assert result.only_later[-3:] == [
        "表三「1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请」",
        "表三「2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请」",
        "表三「3.其他」",
    ]
    assert "表二「规章」×「本年制发件数」" in result.only_later
    assert result.carried_over == []


# --- our own exports read back -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_our_own_exports_read_back_to_the_same_figures(figures, kind):
    from gongkai.reports import export

    document = {
        "title": files.title_of(2024), "organization": files.ORGANIZATION, "year": 2024, "figures": figures,
        "narrative": {"overview": files.OVERVIEW, "problems": files.PROBLEMS, "other": files.OTHER},
        "index_no": "", "published_on": "",
    }  # fmt: skip
    data = export.to_html(document).encode() if kind == "html" else export.to_docx(document)

    report = parse.read_report(data, f"report.{kind}")

    assert report.figures == figures
    assert report.problems == []
    assert (report.year, report.organization) == (2024, files.ORGANIZATION)
    assert report.sections["problems"] == files.PROBLEMS
