"""Two years' reports of one organisation side by side: the figures that changed, the rows only one of them has
(a 2019-format report against a 2021-format one), and 上年结转 against last year's 结转下年度 (STATUTES §2.4,
identity 4).

Cells are compared by their place in the format (table, row key, column), so a 2019-format report and a
2021-format one meet on the rows they share: table 三 but for （六）, table 四, and in table 二 the 处理决定数量
of 行政许可, 行政处罚 and 行政强制 (the 2021 format's 本年处理决定数量).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongkai.reports import checks, layout, parse


@dataclass(frozen=True)
class Change:
    table: str  # "table2", "table3", "table4"
    row: str  # the row key (`layout`)
    column: str | int | None  # a column index (tables 三, 四), a column key (表二), None for a one-number row
    cell: str  # the cell's name for people (`layout.cell_name`)
    earlier: int | str  # 收费金额 and 采购总金额 are decimal strings
    later: int | str

    def as_json(self) -> dict:
        return {"cell": self.cell, "earlier": self.earlier, "later": self.later}


@dataclass(frozen=True)
class Comparison:
    changes: list[Change]
    only_earlier: list[str]  # the names of rows (or cells, in 表二) only the earlier report has
    only_later: list[str]
    carried_over: list[checks.Failure]  # 上年结转 of the later ≠ 结转下年度 of the earlier


# 2019 table 二 columns with the meaning of a 2021 one-number row.
_SAME_AS_2021 = {("licence", "decisions"), ("penalty", "decisions"), ("coercion", "decisions")}


def cells(figures: dict) -> dict[tuple[str, str, str | int | None], int | str]:
    """Every figure by its place, in table order (二, 三, 四)."""
    found: dict[tuple[str, str, str | int | None], int | str] = {}
    table2 = figures["table2"]
    if figures.get("format") == layout.FORMAT_2019:
        for row in parse.TABLE2_2019_ROWS:
            for column in row.columns:
                place = None if (row.key, column) in _SAME_AS_2021 else column
                found["table2", row.key, place] = table2[row.key][column]
    else:
        for block in layout.TABLE2_BLOCKS:
            for key, _label in block.rows:
                if isinstance(table2[key], dict):
                    for count in layout.DOCUMENT_COUNTS:
                        found["table2", key, count] = table2[key][count]
                else:
                    found["table2", key, None] = table2[key]
    for row in layout.table3_rows(figures.get("format", layout.FORMAT_2021)):
        for column, value in enumerate(figures["table3"][row.key]):
            found["table3", row.key, column] = value
    for key, _label in layout.TABLE4_GROUPS:
        for column, value in enumerate(figures["table4"][key]):
            found["table4", key, column] = value
    return found


def cell_name(table: str, row: str, column: str | int | None) -> str:
    if table == "table2" and column is not None and column not in layout.DOCUMENT_COUNTS:
        return parse.table2_2019_cell_name(row, column)
    return layout.cell_name(table, row, "" if column is None else column)


def _row_name(table: str, row: str) -> str:
    if table == "table3":
        return f"表三「{next(r for r in (*layout.TABLE3_ROWS, layout.OTHER_2019) if r.key == row).label}」"
    if table == "table4":
        return f"表四「{dict(layout.TABLE4_GROUPS)[row]}」"
    labels = {key: label for block in layout.TABLE2_BLOCKS for key, label in block.rows}
    labels.update({r.key: r.label for r in parse.TABLE2_2019_ROWS if r.key not in labels})
    return f"表二「{labels[row]}」"


def _same(a: int | str, b: int | str) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b


def compare(earlier: dict, later: dict) -> list[Change]:
    """The cells both reports have whose figures differ, in table order."""
    before, after = cells(earlier), cells(later)
    return [
        Change(place[0], place[1], place[2], cell_name(*place), before[place], value)
        for place, value in after.items()
        if place in before and not _same(before[place], value)
    ]


def only_in_one(earlier: dict, later: dict) -> tuple[list[str], list[str]]:
    """(rows only the earlier has, rows only the later has): a whole row by its name, or in a row both have the
    cells only one has (表二 of the two formats)."""

    def missing(mine: dict, theirs: dict) -> list[str]:
        rows_there = {(table, row) for table, row, _column in theirs}
        names = []
        for table, row, column in mine:
            if (table, row, column) in theirs:
                continue
            name = cell_name(table, row, column) if (table, row) in rows_there else _row_name(table, row)
            if name not in names:
                names.append(name)
        return names

    before, after = cells(earlier), cells(later)
    return missing(before, after), missing(after, before)


def carried_over(earlier: dict, later: dict) -> list[checks.Failure]:
    """The later report's 上年结转 against the earlier's 结转下年度继续办理, per column."""
    return [failure for failure in checks.check(later, last_year=earlier) if failure.identity == "carried_over"]


def comparison(earlier: dict, later: dict) -> Comparison:
    only_earlier, only_later = only_in_one(earlier, later)
    return Comparison(compare(earlier, later), only_earlier, only_later, carried_over(earlier, later))
