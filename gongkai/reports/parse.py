"""Reading published annual reports (年度报告) back into figures (STATUTES §2.2–2.6): HTML or DOCX in the 2021
format (国办公开办函〔2021〕30号) or the 2019 trial format, and older reports as text.

`read_report` never raises on bad input: what it could not read is a bilingual line in ``problems``, naming the
table, the row label and the column, and the figure is read as 0. The tables are found by their labels, never by
their position, so a report whose tables sit inside layout tables, are split in two or have a row deleted still
reads.

Decisions, so that people and tests know them:

- **Labels** are compared after `normalize_label`: NFKC (full-width digits, dots and brackets become ASCII), all
  whitespace removed (``&nbsp;`` and U+3000 included), any of ``．.、,，`` after a digit becomes ``.``, quotes
  dropped (“三安全一稳定” = "三安全一稳定" = 三安全一稳定), and 合计 read as 总计. A numbered label also matches
  with a different numbering (``（1）属于国家秘密``), and （二）部分公开 matches without its remark in brackets.
- **Empty-looking cells**: a cell that is empty, or holds only a dash (``—``, ``-``, ``－``), ``/`` or ``无``, is
  read as 0. Only a row whose cells are *all* empty (nothing written at all) is a problem. Any other text that is
  not a whole number (``五``, ``十二``, ``3.5``) is a problem naming the cell, read as 0. A unit after the number
  (``12件``) is accepted.
- **Format**: a report is in the 2019 format when its table 三 has a row （六）其他处理 with figures of its own and
  no numbered rows under it (if table 三 is missing, when table 二 has the 2019 columns or rows).
- **Table 二 of the 2019 format** (§2.6) is read into ``figures["table2"]`` in the shape of `TABLE2_2019_ROWS`:
  ``{row key: {column key: int}}``, with ``procurement.amount`` a decimal string; ``change`` (本年增/减) may be
  negative. `checks` does not look at table 二, and the 2021 exports cannot print this shape.
- **Readable** means table 三 or table 四 was found (table 二's row labels, 行政许可 or 规章, are words any page
  may have). A file with neither (a pre-2019 report, text, a PDF renamed .html, garbage) is format ``"text"``
  with ``figures`` None.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gongkai.lib.encoding import decode
from gongkai.reports import layout

FORMAT_TEXT = "text"

# --- the 2019 trial format's table 二 (§2.6) ----------------------------------------------------------------


@dataclass(frozen=True)
class Table2Row:
    key: str
    label: str
    columns: tuple[str, ...]  # column keys, in the table's order (`TABLE2_2019_HEADINGS`)


TABLE2_2019_ROWS: tuple[Table2Row, ...] = (
    Table2Row("regulation", "规章", ("made", "published", "total")),
    Table2Row("normative", "规范性文件", ("made", "published", "total")),
    Table2Row("licence", "行政许可", ("last_year", "change", "decisions")),
    Table2Row("other_services", "其他对外管理服务事项", ("last_year", "change", "decisions")),
    Table2Row("penalty", "行政处罚", ("last_year", "change", "decisions")),
    Table2Row("coercion", "行政强制", ("last_year", "change", "decisions")),
    Table2Row("fees", "行政事业性收费", ("last_year", "change")),
    Table2Row("procurement", "政府集中采购", ("projects", "amount")),
)
TABLE2_2019_HEADINGS = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total": "对外公开总数量",
    "last_year": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "采购总金额",
}
TABLE2_2019_DECIMALS = {("procurement", "amount")}
# Words only the 2019 table 二 has: a report with table 二 but no table 三 is told apart by them.
TABLE2_2019_MARKS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "其他对外管理服务事项", "政府集中采购")


def empty_table2_2019() -> dict:
    return {
        row.key: {column: "0" if (row.key, column) in TABLE2_2019_DECIMALS else 0 for column in row.columns}
        for row in TABLE2_2019_ROWS
    }


def table2_2019_cell_name(row: str, column: str) -> str:
    """A 2019 table 二 cell's name, as `layout.cell_name` names the others: 表二「行政许可」×「本年增/减」."""
    label = next(r.label for r in TABLE2_2019_ROWS if r.key == row)
    return f"表二「{label}」×「{TABLE2_2019_HEADINGS[column]}」"


TABLE_NAMES = {
    "table2": ("表二（主动公开政府信息情况）", "table 2 (proactive disclosure)"),
    "table3": ("表三（收到和处理政府信息公开申请情况）", "table 3 (applications received and handled)"),
    "table4": ("表四（政府信息公开行政复议、行政诉讼情况）", "table 4 (administrative review and litigation)"),
}


@dataclass
class ParsedReport:
    format: str  # layout.FORMAT_2021, layout.FORMAT_2019 or FORMAT_TEXT
    title: str = ""
    organization: str = ""  # a best guess from the title; "" when there is none
    year: int | None = None
    figures: dict | None = None  # `layout.empty_figures(format)` filled in; None for FORMAT_TEXT
    sections: dict[str, str] = field(default_factory=dict)  # {key of layout.SECTIONS: its text}
    text: str = ""
    problems: list[str] = field(default_factory=list)  # "中文 / English", each naming where
    readable: bool = False  # table 三 or table 四 was found


# --- normalisation ----------------------------------------------------------------------------------------

_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_AFTER_DIGIT = re.compile(r"(?<=\d)[.、,，．·]")
_NUMBERING = re.compile(r"^(?:\d+\.|\(\d+\)|\d+\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")
_REMARK = re.compile(r"\([^()]*\)$")


def normalize_label(text: str) -> str:
    """A label in the form labels are compared in (see the module docstring)."""
    s = unicodedata.normalize("NFKC", text or "")
    s = re.sub(r"\s+", "", s).translate(_QUOTES)
    s = _AFTER_DIGIT.sub(".", s)
    return s.replace("合计", "总计").rstrip(":")


def _unnumbered(label: str) -> str:
    return _NUMBERING.sub("", label, count=1)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).replace(",", "")


_ZERO_MARKS = re.compile(r"[-—–―‐/\\无]+")
_INTEGER = re.compile(r"([-+]?\d+)(?:件|个|项|次|人次)?")
_DECIMAL = re.compile(r"([-+]?\d+(?:\.\d+)?)(?:万元|万|元)?")


def _integer(text: str) -> int | None:
    """A cell's whole number; 0 for an empty or dash cell; None when it is not a number."""
    s = _compact(text)
    if not s or _ZERO_MARKS.fullmatch(s):
        return 0
    match = _INTEGER.fullmatch(s)
    return int(match.group(1)) if match else None


def _decimal(text: str) -> str | None:
    s = _compact(text)
    if not s or _ZERO_MARKS.fullmatch(s):
        return "0"
    match = _DECIMAL.fullmatch(s)
    if not match:
        return None
    try:
        return str(Decimal(match.group(1)))
    except InvalidOperation:
        return None


def _blank(text: str) -> bool:
    return not _compact(text)


def _is_number(text: str) -> bool:
    return not _blank(text) and _integer(text) is not None


# --- grids: a table as rows of cells, a merged cell repeated in every slot it covers -----------------------


@dataclass
class _Grid:
    rows: list[list[tuple[object, str]]]  # per row, (the cell it came from, its text) for each column

    def distinct(self, index: int) -> list[str]:
        """Row ``index``'s texts, a merged cell once."""
        seen, texts = set(), []
        for origin, text in self.rows[index]:
            if id(origin) not in seen:
                seen.add(id(origin))
                texts.append(text)
        return texts

    def words(self) -> set[str]:
        return {normalize_label(text) for row in self.rows for _origin, text in row}


def _expand(rows: Iterable[list[tuple[object, str, int, int]]]) -> _Grid:
    """Lay out cells given per row as (origin, text, rowspan, colspan) the way a browser does."""
    rows = list(rows)
    occupied: dict[tuple[int, int], tuple[object, str]] = {}
    for r, cells in enumerate(rows):
        c = 0
        for origin, text, rowspan, colspan in cells:
            while (r, c) in occupied:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.setdefault((r + dr, c + dc), (origin, text))
            c += colspan
    grid = [[] for _ in rows]
    for (r, _c), slot in sorted(occupied.items()):
        if r < len(rows):
            grid[r].append(slot)
    return _Grid(grid)


# --- table 三 ----------------------------------------------------------------------------------------------

_TABLE3_ROWS = {row.key: row for row in (*layout.TABLE3_ROWS, layout.OTHER_2019)}
_GROUP_LABELS = {normalize_label(row.group) for row in layout.TABLE3_ROWS if row.group} | {
    normalize_label(layout.RESULTS_GROUP)
}


def _table3_index() -> tuple[dict[str, str], dict[str, str]]:
    exact, loose = {}, {}
    for key, row in _TABLE3_ROWS.items():
        label = normalize_label(row.label)
        exact.setdefault(label, key)
        if _NUMBERING.match(label):
            loose.setdefault(_unnumbered(label), key)
            loose.setdefault(_REMARK.sub("", _unnumbered(label)), key)
    return exact, loose


_T3_EXACT, _T3_LOOSE = _table3_index()


def _table3_key(text: str) -> str | None:
    """The row key of a table 三 row label, "group" for a group label, None for anything else. （六）其他处理
    is the key "6": a row of the 2019 format, or the group of the 2021 format's 6.1–6.3."""
    label = normalize_label(text)
    if not label:
        return None
    if label in _T3_EXACT:
        return _T3_EXACT[label]
    if label in _GROUP_LABELS:
        return "group"
    if _NUMBERING.match(label):
        bare = _unnumbered(label)
        for candidate in (bare, _REMARK.sub("", bare)):
            if candidate in _T3_LOOSE:
                return _T3_LOOSE[candidate]
    return None


_SPECIFICITY = {"group": 0, "6": 1} | dict.fromkeys((key for key in _TABLE3_ROWS if key != "6"), 2)


def _row_label(key: str) -> str:
    return _TABLE3_ROWS[key].label


def _read_table3(grids: list[_Grid], problems: list[str], hint_2019: bool) -> tuple[str, dict | None]:
    """(format, table3) or (format, None) when no table 三 was found."""
    found: dict[str, list[str]] = {}
    unknown: list[str] = []
    for grid in grids:
        rows = [grid.distinct(index) for index in range(len(grid.rows))]
        keyed = []
        for cells in rows:
            # The values follow the last label; the row is its most specific label, since a group cell whose
            # rowspan overruns (a deleted row) can land after the leaf's own label.
            last, key = None, None
            for index, text in enumerate(cells):
                match = _table3_key(text)
                if match is not None:
                    last = index
                    if key is None or _SPECIFICITY[match] >= _SPECIFICITY[key]:
                        key = match
            keyed.append((cells, last, key))
        if not any(key not in (None, "group") for _cells, _last, key in keyed):
            continue
        for cells, last, key in keyed:
            if key is None:
                if any(_is_number(text) for text in cells[1:]) and not _blank(cells[0]) and not _is_number(cells[0]):
                    unknown.append(cells[0])
                continue
            values = cells[last + 1 :]
            if key == "group" or not values:
                continue
            if key in found:
                if key != "6":
                    problems.append(
                        f"表三「{_row_label(key)}」行出现多次，取第一次 / table 3: row 「{_row_label(key)}」 appears "
                        "more than once; the first is used"
                    )
                continue
            found[key] = values
    if not found:
        return (layout.FORMAT_2019 if hint_2019 else layout.FORMAT_2021), None

    has_leaves = any(key.startswith("6.") for key in found)
    format = layout.FORMAT_2019 if "6" in found and not has_leaves else layout.FORMAT_2021
    if format == layout.FORMAT_2021:
        found.pop("6", None)  # a subtotal row some reports add under （六）; the format has none
    for text in unknown:
        problems.append(
            f"表三有无法识别的行「{text.strip()}」，已忽略 / table 3: unrecognised row 「{text.strip()}」 ignored"
        )

    width = len(layout.COLUMNS)
    table3 = {}
    for row in layout.table3_rows(format):
        values = found.get(row.key)
        table3[row.key] = [0] * width
        if values is None:
            problems.append(f"表三未找到「{row.label}」行，按0计 / table 3: no row 「{row.label}」, read as 0")
            continue
        while len(values) > width and _blank(values[0]):
            values = values[1:]
        if len(values) != width:
            problems.append(
                f"表三「{row.label}」行有{len(values)}个数字格，应为{width}个，未读取 / table 3: row 「{row.label}」 "
                f"has {len(values)} value cells instead of {width}; not read"
            )
            continue
        if all(_blank(text) for text in values):
            problems.append(f"表三「{row.label}」行全部为空，按0计 / table 3: row 「{row.label}」 is empty, read as 0")
        for column, text in enumerate(values):
            number = _integer(text)
            if number is None:
                name = layout.cell_name("table3", row.key, column)
                problems.append(_not_a_number(name, text))
                number = 0
            table3[row.key][column] = number
    return format, table3


def _not_a_number(name: str, text: str) -> str:
    text = " ".join(text.split())
    return f"{name}：「{text}」不是数字，按0计 / {name}: 「{text}」 is not a number, read as 0"


# --- table 四 ----------------------------------------------------------------------------------------------

_TABLE4_HEADINGS = {
    normalize_label(label)
    for label in (
        layout.TABLE4_LITIGATION,
        *(label for _key, label in layout.TABLE4_GROUPS),
        *(label for _key, label in layout.TABLE4_RESULTS),
    )
}
_TABLE4_MARKS = {normalize_label("未经复议直接起诉"), normalize_label("复议后起诉")}
_TABLE4_WIDTH = len(layout.TABLE4_GROUPS) * len(layout.TABLE4_RESULTS)


def _read_table4(grids: list[_Grid], problems: list[str]) -> dict | None:
    for grid in grids:
        if not (grid.words() & _TABLE4_MARKS):
            continue
        for index in range(len(grid.rows)):
            cells = grid.distinct(index)
            if any(normalize_label(text) in _TABLE4_HEADINGS for text in cells) or all(map(_blank, cells)):
                continue
            if len(cells) == _TABLE4_WIDTH + 1 and not _is_number(cells[0]):
                cells = cells[1:]  # a label in front of the numbers (数量, 件数 …)
            table4 = {key: [0] * len(layout.TABLE4_RESULTS) for key, _label in layout.TABLE4_GROUPS}
            if len(cells) != _TABLE4_WIDTH:
                problems.append(
                    f"表四的数字行有{len(cells)}格，应为{_TABLE4_WIDTH}格，未读取 / table 4: the row of figures has "
                    f"{len(cells)} cells instead of {_TABLE4_WIDTH}; not read"
                )
                return table4
            for position, text in enumerate(cells):
                group, column = divmod(position, len(layout.TABLE4_RESULTS))
                key = layout.TABLE4_GROUPS[group][0]
                number = _integer(text)
                if number is None:
                    problems.append(_not_a_number(layout.cell_name("table4", key, column), text))
                    number = 0
                table4[key][column] = number
            return table4
        problems.append("表四没有数字行 / table 4 has no row of figures")
        return {key: [0] * len(layout.TABLE4_RESULTS) for key, _label in layout.TABLE4_GROUPS}
    return None


# --- table 二 ----------------------------------------------------------------------------------------------

_TABLE2_2021 = {
    key: (label, layout.DOCUMENT_COUNTS if key in ("regulation", "normative") else (None,))
    for block in layout.TABLE2_BLOCKS
    for key, label in block.rows
}
_TABLE2_VARIANTS = {"normative": ("规范性文件", "行政规范性文件")}


def _table2_rows(grids: list[_Grid], labels: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """{row key: the texts after its label} for the first row of any grid that starts with a label."""
    wanted = {normalize_label(label): key for key, variants in labels.items() for label in variants}
    found: dict[str, list[str]] = {}
    # A grid with table 二's captions first: 行政许可 or 规章 may also begin a row of some menu or other table.
    for grid in sorted(grids, key=lambda grid: not any(w.startswith(("第二十条", "信息内容")) for w in grid.words())):
        for index in range(len(grid.rows)):
            cells = grid.distinct(index)
            key = wanted.get(normalize_label(cells[0])) if cells else None
            if key and key not in found and len(cells) > 1:
                found[key] = cells[1:]
    return found


def _take(values: list[str], count: int) -> list[str] | None:
    """The ``count`` values of a row; extra cells are allowed only when empty (a one-value row drawn as three
    cells)."""
    if len(values) >= count and all(_blank(text) for text in values[count:]):
        return values[:count]
    return None


def _wrong_count(name: str, got: int, count: int) -> str:
    return f"{name}行有{got}个数字格，应为{count}个，未读取 / {name}: {got} value cells instead of {count}; not read"


def _read_table2(grids: list[_Grid], format: str, problems: list[str]) -> dict | None:
    if format == layout.FORMAT_2019:
        labels = {row.key: (row.label, *_TABLE2_VARIANTS.get(row.key, ())) for row in TABLE2_2019_ROWS}
        found = _table2_rows(grids, labels)
        if not found:
            return None
        table2 = empty_table2_2019()
        for row in TABLE2_2019_ROWS:
            if row.key not in found:
                problems.append(f"表二未找到「{row.label}」行，按0计 / table 2: no row 「{row.label}」, read as 0")
                continue
            values = _take(found[row.key], len(row.columns))
            if values is None:
                problems.append(_wrong_count(f"表二「{row.label}」", len(found[row.key]), len(row.columns)))
                continue
            for column, text in zip(row.columns, values, strict=True):
                decimal = (row.key, column) in TABLE2_2019_DECIMALS
                value = _decimal(text) if decimal else _integer(text)
                if value is None:
                    problems.append(_not_a_number(table2_2019_cell_name(row.key, column), text))
                    value = "0" if decimal else 0
                table2[row.key][column] = value
        return table2

    labels = {key: (label, *_TABLE2_VARIANTS.get(key, ())) for key, (label, _columns) in _TABLE2_2021.items()}
    found = _table2_rows(grids, labels)
    if not found:
        return None
    table2 = layout.empty_figures(format)["table2"]
    for key, (label, columns) in _TABLE2_2021.items():
        if key not in found:
            problems.append(f"表二未找到「{label}」行，按0计 / table 2: no row 「{label}」, read as 0")
            continue
        values = _take(found[key], len(columns))
        if values is None:
            problems.append(_wrong_count(f"表二「{label}」", len(found[key]), len(columns)))
            continue
        for column, text in zip(columns, values, strict=True):
            value = _decimal(text) if key == "fees" else _integer(text)
            if value is None:
                problems.append(_not_a_number(layout.cell_name("table2", key, column or ""), text))
                value = "0" if key == "fees" else 0
            if column is None:
                table2[key] = value
            else:
                table2[key][column] = value
    return table2


# --- the whole report -------------------------------------------------------------------------------------


def _read_tables(grids: list[_Grid], report: ParsedReport) -> None:
    words = set().union(*(grid.words() for grid in grids)) if grids else set()
    hint_2019 = any(normalize_label(mark) in words for mark in TABLE2_2019_MARKS)
    problems: list[str] = []
    format, table3 = _read_table3(grids, problems, hint_2019)
    table2 = _read_table2(grids, format, problems)
    table4 = _read_table4(grids, problems)
    found = {"table2": table2, "table3": table3, "table4": table4}
    if table3 is None and table4 is None:  # table 二's row labels alone are words any page may have
        report.format, report.figures, report.readable = FORMAT_TEXT, None, False
        return
    figures = layout.empty_figures(format)
    if format == layout.FORMAT_2019:
        figures["table2"] = empty_table2_2019()
    missing = []
    for key, value in found.items():
        if value is None:
            chinese, english = TABLE_NAMES[key]
            missing.append(f"未找到{chinese}，按0计 / {english} not found, read as 0")
        else:
            figures[key] = value
    report.format, report.figures, report.readable = format, figures, True
    report.problems[:0] = missing + problems


_YEAR = re.compile(r"((?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*年")
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_REPORT_TITLE = "年度报告"


def _year_of(text: str) -> int | None:
    match = _YEAR.search(unicodedata.normalize("NFKC", text or ""))
    return int(match.group(1).translate(_CHINESE_DIGITS)) if match else None


def _organization_of(title: str) -> str:
    """张店区发展和改革局2023年政府信息公开工作年度报告 → 张店区发展和改革局; also "2023年张店区…政府信息公开…"."""
    title = unicodedata.normalize("NFKC", title).strip()
    match = _YEAR.search(title)
    if not match:
        return ""
    before = re.sub(r"(关于)$", "", title[: match.start()].strip())
    if before:
        return before
    after = re.sub(r"^度", "", title[match.end() :])
    return after.split("政府信息公开")[0].strip() if "政府信息公开" in after else ""


def _guess_title(lines: list[str], fallback: str = "") -> str:
    for line in lines:
        if _REPORT_TITLE in line and len(line) <= 80:
            return line.strip()
    if fallback.strip():  # a page's <title>: "…年度报告_张店区人民政府"
        return re.split(r"[_|]", fallback.strip())[0].strip() or fallback.strip()
    return next((line.strip() for line in lines if line.strip()), "")[:80]


_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other", ("其他需要报告",)),
    ("problems", ("问题",)),
    ("remedies", ("行政复议", "行政诉讼")),
    ("requests", ("依申请", "收到和处理", "申请")),
    ("proactive", ("主动公开",)),
    ("overview", ("总体情况", "概述", "基本情况")),
)
_EXACT_SECTIONS = {normalize_label(title): key for key, title in layout.SECTIONS} | {
    normalize_label(title): key for title, key in layout.SECTION_VARIANTS.items()
}


def _sections(lines: list[str]) -> dict[str, str]:
    """The sections, by their heading lines: the exact titles and their variants, else a short line numbered
    一、…十、 with a telling word (a pre-2019 report's headings differ). A line of a table (cells joined by tabs)
    is never a heading. An unknown numbered heading (四、收费及减免情况) ends the section before it."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        stripped = line.strip()
        label = normalize_label(stripped)
        key: str | None = None
        heading = False
        if "\t" not in line and label:
            if label in _EXACT_SECTIONS:
                key, heading = _EXACT_SECTIONS[label], True
            elif _HEADING.match(stripped) and len(label) <= 40 and "。" not in stripped:
                heading = True
                key = next((k for k, words in _SECTION_WORDS if any(w in label for w in words)), None)
        if heading and key is not None and key == current:
            continue  # the heading again (a table's caption repeats its section's title)
        if heading:
            current = key if key not in found else None
            if current:
                found[current] = []
            continue
        if current and stripped:
            found[current].append(stripped)
    return {key: "\n".join(text) for key, text in found.items() if text}


def _finish(report: ParsedReport, lines: list[str], title_fallback: str = "") -> ParsedReport:
    report.text = "\n".join(line.rstrip() for line in lines).strip()
    report.title = report.title or _guess_title(lines, title_fallback)
    report.organization = _organization_of(report.title)
    report.year = _year_of(report.title)
    if report.year is None:
        match = re.search(r"((?:19|20)\d\d)年\s*1月\s*1日", unicodedata.normalize("NFKC", report.text))
        report.year = int(match.group(1)) if match else None
    report.sections = _sections(lines)
    if not report.readable and not report.problems:
        report.problems.append(NO_TABLES)
    return report


NO_TABLES = (
    "未找到年度报告的统计表（表二、表三、表四），只读取了文字 / none of the report's tables (2, 3, 4) was found; "
    "only the text was read"
)


# --- HTML -------------------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article", "header",
           "footer", "blockquote", "pre", "ul", "ol", "dt", "dd", "caption", "center"}  # fmt: skip


def _own_text(element) -> str:
    """A cell's text without the tables nested in it (a layout cell holding the report's tables)."""
    parts: list[str] = []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag != "table":
                if child.tag == "br":
                    parts.append(" ")
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def _span(value: str | None) -> int:
    try:
        return min(max(int(str(value).strip()), 1), 500)
    except (TypeError, ValueError):
        return 1


def _html_grids(root) -> list[_Grid]:
    grids = []
    for table in root.iter("table"):
        rows = []
        for tr in table.iter("tr"):
            if next(tr.iterancestors("table"), None) is not table:
                continue
            cells = [cell for cell in tr if cell.tag in ("td", "th")]
            rows.append(
                [(cell, _own_text(cell), _span(cell.get("rowspan")), _span(cell.get("colspan"))) for cell in cells]
            )
        if rows:
            grids.append(_expand(rows))
    return grids


_SPACES = re.compile(r"\s+")


def _html_lines(root) -> list[str]:
    body = root.find("body")
    body = body if body is not None else root
    # A cell of a data table is one piece of its row's line, however many paragraphs it holds.
    in_cells = {  # the elements themselves, not id(): lxml makes proxies on demand and would reuse the ids
        element
        for cell in body.iter("td", "th")
        if next(cell.iter("table"), None) is None
        for element in cell.iterdescendants()
    }
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        # The source's own line breaks mean nothing in HTML: only the elements make lines.
        element.text = _SPACES.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACES.sub(" ", element.tail) if element.tail else element.tail
        if element in in_cells:
            element.tail = " " + (element.tail or "") if element.tag in _BLOCKS or element.tag == "br" else element.tail
        elif element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in ("td", "th"):
            element.tail = "\t" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (re.sub(r" *\t *", "\t", line).strip(" \t") for line in body.text_content().split("\n"))
    return [line for line in lines if line]


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _read_html(data: bytes, report: ParsedReport) -> ParsedReport:
    import lxml.html
    from lxml import etree

    text, _undecodable = decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    text = _CONTROL.sub("", text)  # lxml refuses them, and they are noise in a page
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        report.problems.append("无法解析网页 / the web page could not be parsed")
        return _finish(report, text.splitlines())
    etree.strip_elements(root, etree.Comment, "script", "style", "noscript", with_tail=False)
    _read_tables(_html_grids(root), report)
    title = (root.findtext(".//title") or "").strip()
    return _finish(report, _html_lines(root), title)


# --- DOCX -------------------------------------------------------------------------------------------------


def _docx_cell_text(cell) -> str:
    return "\n".join(paragraph.text for paragraph in cell.paragraphs)


def _docx_grids(tables, seen: set | None = None) -> list[_Grid]:
    from docx.table import _Cell

    seen = set() if seen is None else seen
    grids = []
    for table in tables:
        rows, nested = [], []
        for row in table.rows:
            try:
                cells = row.cells
            except Exception:  # a malformed vertical merge: read the row's own cells
                cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
            slots = []
            for cell in cells:
                slots.append((cell._tc, _docx_cell_text(cell)))
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    nested.extend(cell.tables)
            rows.append(slots)
        grids.append(_Grid(rows))
        grids.extend(_docx_grids(nested, seen))
    return grids


def _read_docx(data: bytes, report: ParsedReport) -> ParsedReport:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a damaged or foreign zip
        report.problems.append("无法打开DOCX文件（不是Word文档或已损坏） / the DOCX could not be opened (not a Word "
                               "document, or damaged)")  # fmt: skip
        return _finish(report, [])
    _read_tables(_docx_grids(document.tables), report)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.extend(Paragraph(child, document).text.split("\n"))
        elif child.tag == qn("w:tbl"):
            for row in _docx_grids([Table(child, document)])[0].rows:
                texts, seen = [], set()
                for origin, text in row:
                    if id(origin) not in seen:
                        seen.add(id(origin))
                        texts.append(" ".join(text.split()))
                lines.append("\t".join(texts))
    title = document.core_properties.title or ""
    return _finish(report, lines, title)


# --- entry point ------------------------------------------------------------------------------------------


def read_report(data: bytes, filename: str) -> ParsedReport:
    """Read a published annual report: HTML, DOCX or text, chosen by the file's content (and its name for
    text). Never raises on bad input: see ``problems`` and ``readable``."""
    try:
        return _read(data, filename)
    except Exception as error:  # the last line of defence: a file must never crash `report check`
        report = ParsedReport(format=FORMAT_TEXT)
        report.problems.append(f"文件无法读取（{type(error).__name__}） / the file could not be read "
                               f"({type(error).__name__})")  # fmt: skip
        return report


def _read(data: bytes, filename: str) -> ParsedReport:
    report = ParsedReport(format=FORMAT_TEXT)
    name = (filename or "").lower()
    head = data[:2048]
    if not data.strip():
        report.problems.append("文件是空的 / the file is empty")
        return _finish(report, [])
    if head.startswith(b"%PDF"):
        report.problems.append("这是PDF文件，请提供网页（HTML）或Word（DOCX）版本 / this is a PDF; give the web page "
                               "(HTML) or the Word (DOCX) version")  # fmt: skip
        return _finish(report, [])
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        report.problems.append("这是旧版Word（.doc）文件，请另存为DOCX / this is an old Word (.doc) file; save it "
                               "as DOCX")  # fmt: skip
        return _finish(report, [])
    if head.startswith(b"PK\x03\x04"):
        return _read_docx(data, report)
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        report.problems.append("这不是文本、网页或Word文件 / this is not a text, web page or Word file")
        return _finish(report, [])
    lowered = decode(head)[0].lower()
    if not name.endswith(".txt") and ("<table" in lowered or "<html" in lowered or "<!doctype" in lowered
                                      or "<body" in lowered or name.endswith((".html", ".htm", ".shtml"))):  # fmt: skip
        return _read_html(data, report)
    return _finish(report, decode(data)[0].replace("\r", "").split("\n"))
