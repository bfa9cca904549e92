"""Fuzzing the entry points that read what outsiders send (issue 9): a 双公示 submission file, text to screen for
personal data, and an attachment to extract text from. Whatever the bytes, each either answers or raises its own
documented error (`FileProblem`, `ExtractionFailed`) — never another exception — and a screening finding always
points at the text it names and shows it masked."""

import contextlib
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.credit.reader import FileProblem, read_any
from gongkai.credit.standard import STANDARDS
from gongkai.lib.extract import ExtractionFailed, extract_text
from gongkai.lib.screening import screen_text

PENALTY_HEADER = ",".join(field.label for field in STANDARDS["penalty"].fields)
# Text that looks like what screening hunts for, mixed with anything.
NEAR_MISSES = st.sampled_from(
    ["110101199003074514", "11010119900307451X", "13905330000", "6222021001122334455", "91370303MA3C4X8Y2E",
     "张三", "身份证号：", "电话", "秘密", "★", "绝密", "0533-1234567", "\u3000", "，", "x", "1"]
)  # fmt: skip
ANY_TEXT = st.lists(st.one_of(NEAR_MISSES, st.text(max_size=30)), max_size=40).map("".join)


def read_all(data: bytes, name: str) -> None:
    _record_type, rows = read_any(io.BytesIO(data), name, STANDARDS)
    for _row in rows:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ""]))
def test_any_bytes_as_a_submission_file_are_read_or_refused_with_a_file_problem(data, suffix):
    with contextlib.suppress(FileProblem):
        read_all(data, "upload" + suffix)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(st.text(max_size=40), max_size=30), max_size=20),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
)
def test_any_rows_under_a_real_header_are_read_or_refused_with_a_file_problem(rows, encoding):
    text = PENALTY_HEADER + "\n" + "\n".join(",".join(cell.replace("\n", " ") for cell in row) for row in rows)
    with contextlib.suppress(FileProblem):
        read_all(text.encode(encoding, errors="replace"), "penalties.csv")


@settings(max_examples=60, deadline=None)
@given(members=st.dictionaries(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                                "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels"]),
                               st.binary(max_size=300), max_size=5))  # fmt: skip
def test_a_broken_spreadsheet_is_refused_with_a_file_problem(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with contextlib.suppress(FileProblem):
        read_all(buffer.getvalue(), "penalties.xlsx")


@settings(max_examples=500, deadline=None)
@given(text=ANY_TEXT)
def test_screening_any_text_names_only_what_is_there_and_shows_it_masked(text):
    findings = screen_text(text)
    # A value that occurs once in the text is that finding (elsewhere, inside a longer number, the same digits
    # are no finding, and an excerpt may show them).
    unique_values = [finding.value for finding in findings if text.count(finding.value) == 1]
    for finding in findings:
        assert text[finding.start : finding.end] == finding.value
        assert len(finding.masked) == len(finding.value) and finding.masked != finding.value
        assert finding.masked in finding.excerpt
        assert not any(value in finding.excerpt for value in unique_values)  # no finding shown unmasked


@settings(max_examples=12, deadline=None)
@given(data=st.binary(max_size=1500), kind=st.sampled_from(["pdf", "docx", "xlsx"]))
def test_any_bytes_as_an_attachment_give_text_or_an_extraction_failure(tmp_path_factory, data, kind):
    path = tmp_path_factory.mktemp("fuzz") / f"attachment.{kind}"
    path.write_bytes(data)
    with contextlib.suppress(ExtractionFailed):
        assert isinstance(extract_text(path, kind, timeout=20), str)
