"""The annotated copy of a submitted file: every cell the report names, filled light red, with the message as
a comment, so that a department fixes the rows where it sees them and uploads the copy again.

An XLSX upload is annotated in place (its formatting, drop-down lists and other sheets kept) when it is small
enough for openpyxl to hold; a larger one, and a CSV upload (decoded UTF-8 or GB18030, as the reader does), is
rewritten as a new workbook of the same rows and columns, streamed. An error without a column (the row's shape)
goes on the row's first cell; an error of the whole file (row 0) goes on a first sheet of notes. Nothing in the
copy runs as a formula: text is written as text, and the submitter's own formulas become their text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string

from gongkai.credit.reader import MAX_CELL_CHARS, MAX_FILE_BYTES, looks_binary
from gongkai.lib import files

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # the light red of Excel's "bad" cell style
AUTHOR = "Gongkai"
NOTE_SHEET = "错误说明"
DATA_SHEET = "数据"
# Above this much uncompressed sheet XML the copy is rewritten from the values: openpyxl holds every cell of
# a workbook it opens (some hundreds of bytes each), and an XLSX of a million formatted empty rows is bad input.
IN_PLACE_MAX_XML_BYTES = 10 * 1024 * 1024
CANNOT_OPEN = "原文件无法打开，以下为文件错误 / the original file cannot be opened; its errors follow"


def annotate(original: bytes, name: str, errors: list[dict]) -> bytes:
    """An XLSX copy of ``original`` (CSV or XLSX, named ``name``) with the cells of ``errors`` highlighted.

    ``errors`` are the report's ``{"row", "column", "field", "value", "message"}``: ``row`` as the spreadsheet
    numbers it (the header is 1; 0 for the whole file), ``column`` a letter or empty.
    """
    cells, notes = _by_cell(errors)
    if original.startswith(b"PK"):
        return _xlsx_copy(original, name, cells, notes)
    text = None if looks_binary(original[:8]) else _decoded(original)
    if text is None:
        return _notes_only([CANNOT_OPEN, *notes])
    return _rewritten(_csv_rows(text), cells, notes)


def _by_cell(errors: Iterable[dict]) -> tuple[dict[tuple[int, int], list[str]], list[str]]:
    """The messages of each (row, column) cell, and the file's own messages."""
    cells: dict[tuple[int, int], list[str]] = {}
    notes: list[str] = []
    for error in errors:
        row = int(error.get("row") or 0)
        message = str(error.get("message") or "")
        if row <= 0:
            notes.append(message)
            continue
        letter = str(error.get("column") or "")
        column = column_index_from_string(letter) if letter.isalpha() else 1
        cells.setdefault((row, column), []).append(message)
    return cells, notes


def _comment(messages: list[str]) -> Comment:
    comment = Comment(_text("\n".join(messages)), AUTHOR)
    comment.width = 320
    comment.height = 40 + 40 * len(messages)
    return comment


def _text(value) -> str:
    """Text a worksheet can hold: the control characters XML forbids are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _as_text(cell) -> None:
    """Keep a cell's text as text, even when it starts with ``=``."""
    if cell.data_type == "f" or isinstance(cell.value, str):
        value = cell.value
        cell.value = value if isinstance(value, str) else str(getattr(value, "text", value) or "")
        cell.data_type = "s"


# --- XLSX ---------------------------------------------------------------------------------------------------


def _xlsx_copy(original: bytes, name: str, cells, notes: list[str]) -> bytes:
    try:
        files.check_upload(io.BytesIO(original), name, max_bytes=MAX_FILE_BYTES)  # zip bombs, disguised files
        with zipfile.ZipFile(io.BytesIO(original)) as archive:
            xml_bytes = sum(member.file_size for member in archive.infolist())
        if xml_bytes <= IN_PLACE_MAX_XML_BYTES:
            return _in_place(original, cells, notes)
        return _rewritten(_xlsx_rows(original), cells, notes)
    except Exception:  # files.FileRejected, or a workbook that openpyxl or calamine cannot open
        return _notes_only([CANNOT_OPEN, *notes])


def _in_place(original: bytes, cells, notes: list[str]) -> bytes:
    workbook = load_workbook(io.BytesIO(original))
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    _as_text(cell)
    sheet = workbook.worksheets[0]  # the sheet the reader reads
    for (row, column), messages in cells.items():
        cell = sheet.cell(row=row, column=column)
        cell.fill = ERROR_FILL
        cell.comment = _comment(messages)
    if notes:
        _write_notes(workbook.create_sheet(NOTE_SHEET, 0), notes)
        workbook.active = 0
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_rows(original: bytes) -> Iterator[list]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(original)).get_sheet_by_index(0)
    yield from sheet.iter_rows()


# --- CSV and large XLSX: a new workbook of the same rows ----------------------------------------------------


def _decoded(original: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return original.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(text: str) -> Iterator[list]:
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error:
        return  # the rows read so far are copied; the report already says why the rest cannot be read


def _rewritten(rows: Iterator[list], cells, notes: list[str]) -> bytes:
    workbook = Workbook(write_only=True)
    if notes:
        _write_notes(workbook.create_sheet(NOTE_SHEET), notes)
    sheet = workbook.create_sheet(DATA_SHEET)
    widest = {}  # row → the last column with an error, so that a short row still shows its marked cells
    for row, column in cells:
        widest[row] = max(widest.get(row, 0), column)
    pending_empty = 0  # empty rows are written only when a row follows them
    for number, values in enumerate(rows, start=1):
        width = max(len(values), widest.get(number, 0))
        if not any(value not in (None, "") for value in values) and number not in widest:
            pending_empty += 1
            continue
        for _ in range(pending_empty):
            sheet.append([])
        pending_empty = 0
        sheet.append([_cell(sheet, values, number, column, cells) for column in range(1, width + 1)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(sheet, values: list, row: int, column: int, cells) -> WriteOnlyCell:
    value = values[column - 1] if column <= len(values) else None
    if isinstance(value, str):
        value = _text(value) or None
    cell = WriteOnlyCell(sheet, value=value)
    _as_text(cell)
    messages = cells.get((row, column))
    if messages:
        cell.fill = ERROR_FILL
        cell.comment = _comment(messages)
    return cell


# --- notes --------------------------------------------------------------------------------------------------


def _write_notes(sheet, notes: list[str]) -> None:
    """The file's own errors, one a row under a heading (``sheet`` is a write-only or an ordinary sheet)."""
    sheet.column_dimensions["A"].width = 100  # before the rows: a write-only sheet writes its columns first
    heading = WriteOnlyCell(sheet, value="文件错误 / errors of the whole file")
    heading.font = Font(bold=True)
    sheet.append([heading])
    for note in notes:
        cell = WriteOnlyCell(sheet, value=_text(note))
        _as_text(cell)
        sheet.append([cell])


def _notes_only(notes: list[str]) -> bytes:
    workbook = Workbook(write_only=True)
    _write_notes(workbook.create_sheet(NOTE_SHEET), notes)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
