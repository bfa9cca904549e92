"""Reading a department's 双公示 file: CSV (UTF-8 with or without BOM, or GBK/GB18030) or XLSX, row by row.

`read(fileobj, name, standard)` checks the file as a whole first — what it really is (from its content), zip
bombs, the header row — and raises `FileProblem` with a bilingual message if the file cannot be read at all.
It then yields one `RawRow` per non-empty line: the spreadsheet row number as the submitter sees it (the
header is row 1), the cells keyed by field code, and any problem of the row's shape (more cells than headers).
CSV is streamed; memory does not grow with the file. Headers may be field codes or Chinese labels, in any
order; an unknown or empty header, or the same field twice, is a file problem.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree import ElementTree

from gongkai.credit.rows import compact, tidy
from gongkai.credit.standard import Field, Standard
from gongkai.lib import files

MAX_CELL_CHARS = 100_000  # a cell this long is not data (the longest field holds 4,000 characters)
MAX_FILE_BYTES = 200 * 1024 * 1024
# An XLSX of a million rows declares a few GB of XML (inline strings); the ratio guard still catches bombs,
# and the checking process's memory limit whatever gets past it.
MAX_UNZIPPED_BYTES = 4 * 1024 * 1024 * 1024
_SNIFF_BYTES = 64 * 1024


class FileProblem(ValueError):
    """The file cannot be read as a submission; the message (Chinese, then English) says why."""


@dataclass
class RawRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: dict[str, object]  # field code → the cell as read (str, float, int, date…)
    problems: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # field code → column number (1 = A), shared by all rows


def column_letter(number: int) -> str:
    """1 → A, 27 → AA: how a spreadsheet names a column."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _problem(chinese: str, english: str) -> FileProblem:
    return FileProblem(f"{chinese} / {english}")


def map_headers(headers: list, standard: Standard) -> list[Field]:
    """The field of each column, from its header (a field code or a Chinese label)."""
    by_code, by_label = standard.by_code(), standard.by_label()
    fields: list[Field] = []
    for column, header in enumerate(headers, start=1):
        text = tidy(str(header or ""))
        found = by_code.get(compact(text).upper()) or by_label.get(text) or by_label.get(compact(text))
        if not text:
            raise _problem(f"表头第{column}列为空（合并的表头单元格请拆开）", f"the header of column {column} is empty")
        if found is None:
            raise _problem(
                f"表头第{column}列“{text}”不是{standard_name(standard)}的字段",
                f"column {column} '{text}' is not a field of the standard",
            )
        if found in fields:
            raise _problem(f"表头中“{found.label}”出现了两次", f"the field '{found.code}' appears twice in the header")
        fields.append(found)
    return fields


_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<(?:\w+:)?f\b')
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path in the archive of the workbook's first worksheet (the one that is read)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = next(element for element in workbook.iter() if element.tag.endswith("}sheet"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(rel.get("Target") for rel in rels.iter(f"{_RELS}Relationship") if rel.get("Id") == first.get(_R_ID))
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def xlsx_formula_cells(fileobj: BinaryIO, limit: int = 10) -> list[str]:
    """The first cells (A1 style) of the first worksheet that hold a formula. Submitted data must be values:
    a formula's result depends on the spreadsheet program (=TODAY() in a date column)."""
    found: list[str] = []
    try:
        with zipfile.ZipFile(fileobj) as archive, archive.open(_first_sheet(archive)) as sheet:
            tail = b""
            while chunk := sheet.read(1 << 20):
                data = tail + chunk
                if b"<f" in data or b":f" in data:
                    for match in _FORMULA_CELL.finditer(data):
                        cell = match.group(1).decode()
                        if cell not in found:
                            found.append(cell)
                        if len(found) >= limit:
                            return found
                tail = data[-512:]
    except (KeyError, StopIteration, ElementTree.ParseError, zipfile.BadZipFile):
        return found  # not a workbook calamine can read either; it will say so
    return found


def standard_name(standard: Standard) -> str:
    return "行政许可" if standard.record_type == "licence" else "行政处罚"


def _encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) if the first 64 KB decode as such, else GB18030 (a superset of GBK)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _rows_of(cells_list: Iterator[list], fields: list[Field], first_number: int) -> Iterator[RawRow]:
    width = len(fields)
    columns = {f.code: index for index, f in enumerate(fields, start=1)}
    for number, cells in enumerate(cells_list, start=first_number):
        if not any(str(cell).strip() for cell in cells if cell is not None):
            continue  # an empty line (or a formatted but empty spreadsheet row)
        problems = []
        if len(cells) > width and any(str(cell).strip() for cell in cells[width:] if cell is not None):
            problems.append(
                f"本行有{len(cells)}列，表头只有{width}列 / this row has {len(cells)} cells, the header {width}"
            )
        yield RawRow(number, {f.code: cells[i] for i, f in enumerate(fields) if i < len(cells)}, problems, columns)


def _decoded_lines(fileobj: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's lines as text, decoded one physical line at a time so that an error names its line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    name = "UTF-8" if encoding.startswith("utf") else "GBK/GB18030"
    for number, raw in enumerate(fileobj, start=1):
        try:
            yield decoder.decode(raw)
        except UnicodeDecodeError:
            raise _problem(
                f"第{number}行的文字不是{name}编码（文件前面是{name}），请将整个文件另存为UTF-8",
                f"line {number} is not in the file's encoding ({name}); save the whole file as UTF-8",
            ) from None


def _csv_cells(fileobj: BinaryIO) -> Iterator[list]:
    head = fileobj.read(_SNIFF_BYTES)
    fileobj.seek(0)
    reader = csv.reader(_decoded_lines(fileobj, _encoding(head)))
    try:
        yield from reader
    except csv.Error as error:
        raise _problem(
            f"第{reader.line_num}行无法读取：{error}", f"row {reader.line_num} cannot be read: {error}"
        ) from None


def _xlsx_cells(fileobj: BinaryIO) -> Iterator[list]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as error:  # calamine's own errors: a damaged workbook
        raise _problem(f"无法读取该XLSX文件：{error}", f"the XLSX file cannot be read: {error}") from None
    yield from rows


BINARY_STARTS = (b"%PDF", b"MZ", b"\x89PNG", b"\xff\xd8", b"\xd0\xcf\x11\xe0")  # PDF, EXE, PNG, JPEG, old Office


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file that is not a zip show it is no CSV at all."""
    return b"\x00" in head or head.startswith(BINARY_STARTS)


def _cells(fileobj: BinaryIO, name: str) -> Iterator[list]:
    """Every line of the file as a list of cells, the header first; `FileProblem` if it is no CSV or XLSX."""
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"PK"):
        try:
            # zip bombs, disguised files
            kind = files.check_upload(fileobj, name, max_bytes=MAX_FILE_BYTES, max_unzipped=MAX_UNZIPPED_BYTES)
        except files.FileRejected as rejected:
            raise FileProblem(str(rejected)) from None
        if kind.kind != "xlsx":
            raise _problem(f"“{name}”是{kind.kind.upper()}文件，不是XLSX", f"'{name}' is a {kind.kind} file, not XLSX")
        fileobj.seek(0)
        formulas = xlsx_formula_cells(fileobj)
        fileobj.seek(0)
        if formulas:
            raise _problem(
                f"单元格{'、'.join(formulas[:10])}是公式，请复制后“选择性粘贴为数值”再上传",
                f"the cells {', '.join(formulas[:10])} hold formulas; paste them as values and upload again",
            )
        return _xlsx_cells(fileobj)
    if looks_binary(head):
        raise _problem(
            f"“{name}”不是CSV或XLSX文件（旧版.xls请另存为.xlsx）",
            f"'{name}' is neither CSV nor XLSX (save .xls as .xlsx)",
        )
    return _csv_cells(fileobj)


def read_any(fileobj: BinaryIO, name: str, standards: dict[str, Standard]) -> tuple[str, Iterator[RawRow]]:
    """Which of ``standards`` the file's header row belongs to, and the file's rows.

    Raises `FileProblem` if the file cannot be read at all or its header fits none of them (the reason given
    is the first standard's); the rows may raise it later, from the line that cannot be read.
    """
    csv.field_size_limit(MAX_CELL_CHARS)
    lines = _cells(fileobj, name)
    headers = next(lines, None)
    if not headers or not any(str(cell or "").strip() for cell in headers):
        raise _problem("文件是空的（第1行应为表头）", "the file is empty (row 1 should be the header)")
    problems = []
    for record_type, standard in standards.items():
        try:
            fields = map_headers(list(headers), standard)
        except FileProblem as problem:
            problems.append(problem)
            continue
        return record_type, _rows_of(lines, fields, 2)
    raise problems[0]


def read(fileobj: BinaryIO, name: str, standard: Standard) -> Iterator[RawRow]:
    """The rows of a submitted file of one standard. Raises `FileProblem` if it cannot be read."""
    _record_type, rows = read_any(fileobj, name, {standard.record_type: standard})
    yield from rows
