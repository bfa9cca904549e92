"""The arithmetic identities of the annual report (STATUTES §2.4 and §2.5), as pure functions over figures.

Each failing identity is one `Failure` naming the cells involved in the format's own words, with both sides
of the equation: sign-off is refused while any is left, and `gongkai report check FILE` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.reports import layout


@dataclass(frozen=True)
class Failure:
    identity: str  # "balance", "outcomes", "row_total", "table4_total", "carried_over", "negative"
    cells: tuple[str, ...]  # the cells involved, for people (`layout.cell_name`)
    left: str
    right: str
    message: str  # Chinese / English

    def as_json(self) -> dict:
        return {"identity": self.identity, "cells": list(self.cells), "left": self.left, "right": self.right,
                "message": self.message}  # fmt: skip


def check(figures: dict, *, last_year: dict | None = None) -> list[Failure]:
    """Every identity of table 三 and table 四 that ``figures`` break, and 上年结转 against ``last_year``'s
    结转下年度 when given. An empty list: the report adds up."""
    return [
        *_negative(figures),
        *_balance(figures),
        *_outcomes(figures),
        *_row_totals(figures),
        *_table4_totals(figures),
        *(_carried_over(figures, last_year) if last_year else []),
    ]


def _negative(figures: dict) -> list[Failure]:
    found = []
    for key, values in figures["table3"].items():
        for column, value in enumerate(values):
            if value < 0:
                name = layout.cell_name("table3", key, column)
                found.append(Failure("negative", (name,), str(value), "≥ 0", f"{name}为负数 / is negative"))
    for key, values in figures["table4"].items():
        for column, value in enumerate(values):
            if value < 0:
                name = layout.cell_name("table4", key, column)
                found.append(Failure("negative", (name,), str(value), "≥ 0", f"{name}为负数 / is negative"))
    return found


def _balance(figures: dict) -> list[Failure]:
    """一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理, per column (the table's own note)."""
    table3, found = figures["table3"], []
    for column, (_key, heading) in enumerate(layout.COLUMNS):
        left = table3["new"][column] + table3["carried_in"][column]
        right = table3["total"][column] + table3["carried_out"][column]
        if left != right:
            cells = tuple(
                layout.cell_name("table3", row, column) for row in ("new", "carried_in", "total", "carried_out")
            )
            found.append(
                Failure(
                    "balance", cells, f"{table3['new'][column]} + {table3['carried_in'][column]} = {left}",
                    f"{table3['total'][column]} + {table3['carried_out'][column]} = {right}",
                    f"「{heading}」列：本年新收加上年结转（{left}）不等于总计加结转下年度（{right}） / "
                    f"column {heading}: received plus carried over ({left}) ≠ total plus carried forward ({right})",
                )
            )  # fmt: skip
    return found


def _outcomes(figures: dict) -> list[Failure]:
    """（七）总计 = the sum of the 办理结果 rows, per column."""
    table3, found = figures["table3"], []
    rows = layout.outcome_rows(figures.get("format", layout.FORMAT_2021))
    for column, (_key, heading) in enumerate(layout.COLUMNS):
        total = sum(table3[row.key][column] for row in rows)
        if total != table3["total"][column]:
            found.append(
                Failure(
                    "outcomes", (layout.cell_name("table3", "total", column),), str(table3["total"][column]),
                    " + ".join(str(table3[row.key][column]) for row in rows) + f" = {total}",
                    f"「{heading}」列：总计（{table3['total'][column]}）不等于各项办理结果之和（{total}） / "
                    f"column {heading}: the total ({table3['total'][column]}) ≠ the sum of the outcomes ({total})",
                )
            )  # fmt: skip
    return found


def _row_totals(figures: dict) -> list[Failure]:
    """总计 = the six applicant columns, per row."""
    found = []
    for row in layout.table3_rows(figures.get("format", layout.FORMAT_2021)):
        values = figures["table3"][row.key]
        if sum(values[:-1]) != values[-1]:
            found.append(
                Failure(
                    "row_total", (layout.cell_name("table3", row.key, "total"),), str(values[-1]),
                    " + ".join(map(str, values[:-1])) + f" = {sum(values[:-1])}",
                    f"「{row.label}」行：总计（{values[-1]}）不等于六类申请人之和（{sum(values[:-1])}） / "
                    f"row {row.label}: the total ({values[-1]}) ≠ the six applicant columns ({sum(values[:-1])})",
                )
            )  # fmt: skip
    return found


def _table4_totals(figures: dict) -> list[Failure]:
    """Each 总计 of table 四 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    found = []
    for key, label in layout.TABLE4_GROUPS:
        values = figures["table4"][key]
        if sum(values[:4]) != values[4]:
            found.append(
                Failure(
                    "table4_total", (layout.cell_name("table4", key, "total"),), str(values[4]),
                    " + ".join(map(str, values[:4])) + f" = {sum(values[:4])}",
                    f"表四「{label}」：总计（{values[4]}）不等于四种结果之和（{sum(values[:4])}） / "
                    f"table 4, {label}: the total ({values[4]}) ≠ the four results ({sum(values[:4])})",
                )
            )  # fmt: skip
    return found


def _carried_over(figures: dict, last_year: dict) -> list[Failure]:
    """This year's 上年结转 = last year's 结转下年度继续办理, per column (§2.4, identity 4)."""
    found = []
    for column, (_key, heading) in enumerate(layout.COLUMNS):
        now, then = figures["table3"]["carried_in"][column], last_year["table3"]["carried_out"][column]
        if now != then:
            found.append(
                Failure(
                    "carried_over", (layout.cell_name("table3", "carried_in", column) + "（本年）",
                                     layout.cell_name("table3", "carried_out", column) + "（上年）"),
                    str(now), str(then),
                    f"「{heading}」列：上年结转（{now}）不等于上一年报告的结转下年度（{then}） / "
                    f"column {heading}: carried over ({now}) ≠ last year's carried forward ({then})",
                )
            )  # fmt: skip
    return found
