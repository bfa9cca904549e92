"""The annual report as files: a web page, DOCX, XLSX and JSON (国办公开办函〔2021〕30号 format, STATUTES §2).

A report document is a plain dict::

    {"title": str, "organization": str, "year": int, "figures": layout.empty_figures() filled in,
     "narrative": {"overview": str, "problems": str, "other": str}, "index_no": str, "published_on": str}

The three tables are laid out once, by `table_grids`, as cells with their row and column spans; the HTML
template, the DOCX and the XLSX all draw that grid, so the merged cells are the same in every export. Every label
is read from `layout` when the grid is built.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.html import escape

from gongkai.reports import layout

# --- the grid ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One cell of a table, at its top-left position (0-based) in the table's grid."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    is_header: bool = False
    value: int | Decimal | None = None  # a figure (``text`` is how it prints); None for labels
    id: str = ""  # a header's id, for the ``headers`` of the data cells under or beside it
    scope: str = ""  # a header's scope: "col", "colgroup", "row" or "rowgroup"
    headers: str = ""  # a data cell's headers: the ids of its column and row headers, space-separated


@dataclass(frozen=True)
class RowGroup:
    """Rows drawn together: the table's header rows (``<thead>``) or a body (``<tbody>``)."""

    head: bool
    rows: tuple[tuple[Cell, ...], ...]  # per row, the cells that start in it, left to right


@dataclass(frozen=True)
class Grid:
    key: str  # "table2", "table3", "table4"
    section: str  # the key of the report section it belongs to (`layout.SECTIONS`)
    caption: str  # the section's title
    width: int
    groups: tuple[RowGroup, ...]

    @property
    def rows(self) -> tuple[tuple[Cell, ...], ...]:
        return tuple(row for group in self.groups for row in group.rows)

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def header_height(self) -> int:
        return sum(len(group.rows) for group in self.groups if group.head)

    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row]


def table_grids(figures: dict) -> tuple[Grid, Grid, Grid]:
    """Tables 二, 三 and 四 of ``figures`` (in `layout`'s shape), cell by cell with the format's spans."""
    return table2_grid(figures), table3_grid(figures), table4_grid(figures)


SECTION_OF_TABLE = {"table2": "proactive", "table3": "requests", "table4": "remedies"}


def _grid(key: str, width: int, groups: tuple[RowGroup, ...]) -> Grid:
    section = SECTION_OF_TABLE[key]
    return Grid(key, section, dict(layout.SECTIONS)[section], width, tuple(groups))


def _id(*parts: str) -> str:
    return "report-" + "-".join(part.replace(".", "_") for part in parts)


def table2_grid(figures: dict) -> Grid:
    """Table 二 (§2.3): four stacked blocks, each a caption row, a header row and its rows. The table is as wide
    as the widest block (信息内容 and three counts); a block with one value column spans it across."""
    values_width = max(len(block.value_headers) for block in layout.TABLE2_BLOCKS)
    width = 1 + values_width
    table2, groups, r = figures["table2"], [], 0
    for number, block in enumerate(layout.TABLE2_BLOCKS, start=1):
        block_id = _id("t2", str(number))
        rows = [(Cell(r, 0, block.caption, colspan=width, is_header=True, id=block_id, scope="colgroup"),)]
        span = values_width // len(block.value_headers)
        first_id = _id("t2", str(number), "content")
        header = [Cell(r + 1, 0, layout.TABLE2_FIRST_HEADER, is_header=True, id=first_id, scope="col")]
        header_ids = []
        for index, heading in enumerate(block.value_headers):
            header_ids.append(_id("t2", str(number), "h", str(index)))
            header.append(
                Cell(r + 1, 1 + index * span, heading, colspan=span, is_header=True, id=header_ids[-1], scope="col")
            )
        rows.append(tuple(header))
        r += 2
        for key, label in block.rows:
            row_id = _id("t2", key)
            row = [Cell(r, 0, label, is_header=True, id=row_id, scope="row")]
            for index, value in enumerate(_table2_values(table2, key)):
                headers = f"{block_id} {header_ids[index]} {row_id}"
                row.append(Cell(r, 1 + index * span, str(value), colspan=span, value=value, headers=headers))
            rows.append(tuple(row))
            r += 1
        groups.append(RowGroup(head=False, rows=tuple(rows)))
    return _grid("table2", width, tuple(groups))


def _table2_values(table2: dict, key: str) -> list[int | Decimal]:
    value = table2[key]
    if isinstance(value, dict):  # 规章, 行政规范性文件: 本年制发 / 本年废止 / 现行有效
        return [value[count] for count in layout.DOCUMENT_COUNTS]
    if isinstance(value, str):  # 收费金额, a decimal in 万元
        return [Decimal(value)]
    return [value]


def table3_grid(figures: dict) -> Grid:
    """Table 三 (§2.4): three header rows under a corner note of 3×3 cells, then a row per `layout.table3_rows`.
    The 办理结果 rows, （一） to （七）总计, sit under 三、本年度办理结果; a numbered leaf sits under its group
    label (（三）不予公开 …), which has no numbers of its own."""
    columns = layout.COLUMNS
    top, natural, legal, *kinds, total = layout.TABLE3_HEADERS
    applicant_id, legal_id = _id("t3", "applicant"), _id("t3", "legal-persons")
    column_ids = [_id("t3", key) for key, _label in columns]
    head = (
        (
            Cell(0, 0, layout.TABLE3_CORNER, rowspan=3, colspan=3),
            Cell(0, 3, top, colspan=len(columns), is_header=True, id=applicant_id, scope="colgroup"),
        ),
        (
            Cell(1, 3, natural, rowspan=2, is_header=True, id=column_ids[0], scope="col"),
            Cell(1, 4, legal, colspan=len(kinds), is_header=True, id=legal_id, scope="colgroup"),
            Cell(1, 4 + len(kinds), total, rowspan=2, is_header=True, id=column_ids[-1], scope="col"),
        ),
        tuple(
            Cell(2, 4 + index, kind, is_header=True, id=column_ids[1 + index], scope="col")
            for index, kind in enumerate(kinds)
        ),
    )
    column_headers = [f"{applicant_id} {column_ids[0]}"]
    column_headers += [f"{applicant_id} {legal_id} {column_id}" for column_id in column_ids[1:-1]]
    column_headers += [f"{applicant_id} {column_ids[-1]}"]

    rows = layout.table3_rows(figures.get("format", layout.FORMAT_2021))
    results = [row for row in rows if row.level > 1]  # （一）…（七）总计, under 三、本年度办理结果
    results_id = _id("t3", "results")
    body, seen_groups = [], set()
    for index, row in enumerate(rows):
        r = 3 + index
        row_id = _id("t3", "row", row.key)
        cells: list[Cell] = []
        if row.level == 1:
            cells.append(Cell(r, 0, row.label, colspan=3, is_header=True, id=row_id, scope="row"))
            row_headers = row_id
        else:
            if row is results[0]:
                cells.append(
                    Cell(r, 0, layout.RESULTS_GROUP, rowspan=len(results), is_header=True, id=results_id,
                         scope="rowgroup")
                )  # fmt: skip
            if row.level == 2:
                cells.append(Cell(r, 1, row.label, colspan=2, is_header=True, id=row_id, scope="row"))
                row_headers = f"{results_id} {row_id}"
            else:
                group_id = _id("t3", "group", row.key.split(".")[0])
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    size = sum(1 for other in rows if other.group == row.group)
                    cells.append(Cell(r, 1, row.group, rowspan=size, is_header=True, id=group_id, scope="rowgroup"))
                cells.append(Cell(r, 2, row.label, is_header=True, id=row_id, scope="row"))
                row_headers = f"{results_id} {group_id} {row_id}"
        for column, value in enumerate(figures["table3"][row.key]):
            headers = f"{column_headers[column]} {row_headers}"
            cells.append(Cell(r, 3 + column, str(value), value=value, headers=headers))
        body.append(tuple(cells))
    groups = (RowGroup(head=True, rows=head), RowGroup(head=False, rows=tuple(body)))
    return _grid("table3", 3 + len(columns), groups)


def table4_grid(figures: dict) -> Grid:
    """Table 四 (§2.5): 行政复议 and 行政诉讼 over three header rows, then one row of 15 numbers. The five results
    of 行政复议 span two rows; 行政诉讼 splits into 未经复议直接起诉 and 复议后起诉, five results each."""
    (first_key, first_label), *suits = layout.TABLE4_GROUPS
    results = layout.TABLE4_RESULTS
    n = len(results)
    first_id, litigation_id = _id("t4", first_key), _id("t4", "litigation")
    top = (
        Cell(0, 0, first_label, colspan=n, is_header=True, id=first_id, scope="colgroup"),
        Cell(0, n, layout.TABLE4_LITIGATION, colspan=n * len(suits), is_header=True, id=litigation_id,
             scope="colgroup"),
    )  # fmt: skip
    middle = [
        Cell(1, index, label, rowspan=2, is_header=True, id=_id("t4", first_key, key), scope="col")
        for index, (key, label) in enumerate(results)
    ]
    bottom = []
    column_headers = [f"{first_id} {_id('t4', first_key, key)}" for key, _label in results]
    for number, (suit_key, suit_label) in enumerate(suits, start=1):
        suit_id = _id("t4", suit_key)
        middle.append(Cell(1, n * number, suit_label, colspan=n, is_header=True, id=suit_id, scope="colgroup"))
        for index, (key, label) in enumerate(results):
            result_id = _id("t4", suit_key, key)
            bottom.append(Cell(2, n * number + index, label, is_header=True, id=result_id, scope="col"))
            column_headers.append(f"{litigation_id} {suit_id} {result_id}")
    values = [value for key, _label in layout.TABLE4_GROUPS for value in figures["table4"][key]]
    data = tuple(
        Cell(3, column, str(value), value=value, headers=column_headers[column]) for column, value in enumerate(values)
    )
    groups = (RowGroup(head=True, rows=(top, tuple(middle), tuple(bottom))), RowGroup(head=False, rows=(data,)))
    return _grid("table4", n * (1 + len(suits)), groups)


# --- the report's sections --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[tuple[str, ...], ...] = ()  # a narrative's paragraphs, each a tuple of lines
    grid: Grid | None = None

    @property
    def grids(self) -> tuple[Grid, ...]:
        return (self.grid,) if self.grid else ()


def paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    """Plain text as paragraphs (separated by blank lines), each a tuple of its lines."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    found = []
    for block in re.split(r"\n[ \t\u3000]*\n", text):
        lines = tuple(line.strip() for line in block.strip().split("\n") if line.strip())
        if lines:
            found.append(lines)
    return tuple(found)


def sections(document: dict) -> tuple[Section, ...]:
    """The six sections of the report in order (`layout.SECTIONS`): a narrative's paragraphs or a table's grid."""
    grids = {grid.section: grid for grid in table_grids(document["figures"])}
    narrative = document.get("narrative") or {}
    return tuple(
        Section(key, title, paragraphs(narrative.get(key, "")), grids.get(key)) for key, title in layout.SECTIONS
    )


# --- HTML -------------------------------------------------------------------------------------------------

PAGE_CSS = """
body { font-family: "FangSong", "仿宋", "SimSun", serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
.report-title { text-align: center; }
.report-meta { text-align: center; color: #444; }
.report-table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
.report-table th, .report-table td { border: 1px solid #000; padding: 0.25rem 0.4rem; }
.report-table th { font-weight: normal; text-align: left; }
.report-table thead th, .report-table th[scope="colgroup"], .report-table th[scope="col"] { text-align: center; }
.report-table td { text-align: center; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""


def to_html(document: dict) -> str:
    """The report as a standalone web page (UTF-8), its body the one the site shows (``reports/_report.html``)."""
    body = render_to_string("reports/_report.html", {"document": document, "meta": _meta(document)})
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(document['title'])}</title>\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _meta(document: dict) -> list[tuple[str, str]]:
    found = [("发布机构", document.get("organization", ""))]
    found += [("索引号", document.get("index_no", "")), ("发布日期", str(document.get("published_on") or ""))]
    return [(label, value) for label, value in found if value]


# --- DOCX -------------------------------------------------------------------------------------------------

BODY_FONT = "仿宋"  # GB/T 9704: 正文 仿宋, 一级标题 黑体, 标题 小标宋 (宋体 where that font is missing)
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
# Column widths in mm, filling the 156 mm between GB/T 9704 margins; the label columns are the wide ones.
DOCX_WIDTHS = {"table2": (48, 36, 36, 36), "table3": (12, 20, 40, *(12,) * 7), "table4": (156 / 15,) * 15}
DOCX_SIZES = {"table2": 10.5, "table3": 10.5, "table4": 9}  # 五号; 小五 for the fifteen columns of table 四


def to_docx(document: dict) -> bytes:
    """The report as a Word document: the title, the six section headings, the narratives' paragraphs, and the
    three tables with the grid's cells merged (``gridSpan`` across, ``vMerge`` down)."""
    # Imported here: the template tags import this module, and pages need neither python-docx nor openpyxl.
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, GB/T 9704 margins
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    for name, font, size in (("Normal", BODY_FONT, 16), ("Title", TITLE_FONT, 22), ("Heading 1", HEADING_FONT, 16)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_font(style.element, font)
    doc.core_properties.title = document["title"]
    doc.core_properties.author = document.get("organization", "")

    title = doc.add_paragraph(document["title"], style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_bottom_border(title)
    for label, value in _meta(document)[1:]:  # the organization is in the title
        doc.add_paragraph(f"{label}：{value}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in sections(document):
        doc.add_heading(part.title, level=1)
        for lines in part.paragraphs:
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
            for number, line in enumerate(lines):
                run = paragraph.add_run(line)
                if number < len(lines) - 1:
                    run.add_break()
        if part.grid is not None:
            _docx_table(doc, part.grid)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc, grid: Grid) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=grid.height, cols=grid.width)
    table.style = "Table Grid"
    widths = [Mm(width) for width in DOCX_WIDTHS[grid.key]]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for each in column.cells:  # before merging: a merged cell's width is the sum of its columns'
            each.width = width
    for row in table.rows[: grid.header_height]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # the header rows repeat on each page
    for cell in grid.cells():
        target = table.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.paragraph_format.first_line_indent = Pt(0)
        centred = cell.value is not None or cell.scope in ("col", "colgroup")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        run = paragraph.add_run(cell.text)
        run.font.size = Pt(DOCX_SIZES[grid.key])
        run.bold = cell.scope in ("col", "colgroup")
        _set_font(run._r, TABLE_FONT)
    doc.add_paragraph()


def _set_font(element, name: str) -> None:
    """Name the font of a style or a run for Latin and East Asian text alike (``w:eastAsia`` is what Word uses
    for Chinese), dropping the theme's fonts, which would otherwise win."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _no_bottom_border(paragraph) -> None:
    """The default template's Title style draws a rule under the title; an official document has none."""
    from docx.oxml.ns import qn

    ppr = paragraph.style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


# --- XLSX -------------------------------------------------------------------------------------------------

XLSX_FIRST_ROW = 2  # the grid's row 0 in the sheet (1-based); row 1 holds the section's title
XLSX_WIDTHS = {"table2": {1: 22, 2: 16, 3: 16, 4: 16}, "table3": {1: 10, 2: 16, 3: 40}}  # in characters


def to_xlsx(document: dict) -> bytes:
    """The three tables as a workbook, one sheet each, named by the section's title: the title in row 1, the
    grid from row 2 with the same merged ranges, figures as numbers (收费金额 a decimal, in 万元)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.title = document["title"]
    book.properties.creator = document.get("organization", "")
    side = Side(style="thin", color="000000")
    border = Border(left=side, right=side, top=side, bottom=side)
    for grid in table_grids(document["figures"]):
        sheet = book.create_sheet(_sheet_title(grid.caption))
        sheet.cell(1, 1, grid.caption).font = Font(name=TABLE_FONT, bold=True, size=12)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.width)
        for row in range(XLSX_FIRST_ROW, XLSX_FIRST_ROW + grid.height):  # each cell of a merged range needs it
            for column in range(1, 1 + grid.width):
                sheet.cell(row, column).border = border
        for cell in grid.cells():
            row, column = cell.row + XLSX_FIRST_ROW, cell.col + 1
            target = sheet.cell(row, column, cell.value if cell.value is not None else cell.text)
            target.font = Font(name=TABLE_FONT, bold=cell.scope in ("col", "colgroup"))
            centred = cell.value is not None or cell.scope in ("col", "colgroup")
            target.alignment = Alignment(horizontal="center" if centred else "left", vertical="center", wrap_text=True)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=row, start_column=column,
                    end_row=row + cell.rowspan - 1, end_column=column + cell.colspan - 1,
                )  # fmt: skip
        widths = XLSX_WIDTHS.get(grid.key, {})
        for column in range(1, 1 + grid.width):
            sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 11)
        sheet.freeze_panes = sheet.cell(XLSX_FIRST_ROW + grid.header_height, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31]


# --- JSON -------------------------------------------------------------------------------------------------


def to_json(document: dict) -> str:
    """The report as JSON (UTF-8 text, keys in a fixed order): its facts, its sections, the figures in
    `layout`'s shape, and the labels of every row and column, so that it can be read without this code."""
    figures = document["figures"]
    format = figures.get("format", layout.FORMAT_2021)
    narrative = document.get("narrative") or {}
    table_of_section = {section: table for table, section in SECTION_OF_TABLE.items()}
    data = {
        "title": document["title"],
        "organization": document.get("organization", ""),
        "year": document.get("year"),
        "index_no": document.get("index_no", ""),
        "published_on": str(document.get("published_on") or ""),
        "sections": [
            {"key": key, "title": title, "table": table_of_section[key]}
            if key in table_of_section
            else {"key": key, "title": title, "text": narrative.get(key, "")}
            for key, title in layout.SECTIONS
        ],
        "figures": _json_figures(figures, format),
        "labels": _json_labels(format),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _json_figures(figures: dict, format: str) -> dict:
    """The figures in `layout.empty_figures`' shape, keys in the tables' order."""
    table2 = figures["table2"]
    return {
        "format": format,
        "table2": {
            **{
                key: {count: table2[key][count] for count in layout.DOCUMENT_COUNTS}
                for key in ("regulation", "normative")
            },
            **{key: table2[key] for key in layout.TABLE2_NUMBERS},
            "fees": str(table2["fees"]),
        },
        "table3": {row.key: list(figures["table3"][row.key]) for row in layout.table3_rows(format)},
        "table4": {key: list(figures["table4"][key]) for key, _label in layout.TABLE4_GROUPS},
    }


def _json_labels(format: str) -> dict:
    """Every label of the three tables, keyed as the figures are."""

    def pairs(items: tuple[tuple[str, str], ...]) -> list[dict]:
        return [{"key": key, "label": label} for key, label in items]

    return {
        "table2": {
            "first_header": layout.TABLE2_FIRST_HEADER,
            "counts": list(layout.DOCUMENT_COUNTS),  # the keys of the three value headers of 第二十条第（一）项
            "blocks": [
                {"caption": block.caption, "value_headers": list(block.value_headers), "rows": pairs(block.rows)}
                for block in layout.TABLE2_BLOCKS
            ],
        },
        "table3": {
            "corner": layout.TABLE3_CORNER,
            "headers": list(layout.TABLE3_HEADERS),
            "columns": pairs(layout.COLUMNS),
            "results_group": layout.RESULTS_GROUP,
            "rows": [
                {"key": row.key, "label": row.label, "group": row.group, "level": row.level}
                for row in layout.table3_rows(format)
            ],
        },
        "table4": {
            "litigation": layout.TABLE4_LITIGATION,
            "groups": pairs(layout.TABLE4_GROUPS),
            "results": pairs(layout.TABLE4_RESULTS),
        },
    }
