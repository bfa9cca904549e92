"""Annual report files for the parser's tests, written the way real sites write them, from a figures dict so
the tests know the truth.

A table is first described as rows of `C` cells (text, rowspan, colspan), from `layout`'s labels; the same
description is drawn as HTML (messy: a layout table around everything, ``<p><span>`` and ``&nbsp;`` in the
cells, "1." in some labels and "１．" in others, 合计 for 总计) or as DOCX (python-docx, with merged cells).
"""

from __future__ import annotations

import copy
import io
import random
from dataclasses import dataclass
from html import escape

from gongkai.reports import layout, parse

ORGANIZATION = "张店区发展和改革局"


def title_of(year: int, organization: str = ORGANIZATION) -> str:
    return f"{organization}{year}年政府信息公开工作年度报告"


# --- figures ----------------------------------------------------------------------------------------------


def consistent(figures: dict) -> dict:
    """``figures`` with （七）总计, 一、本年新收 and every row's 总计 recomputed from the 办理结果 rows, 上年结转 and
    结转下年度, so that every identity of `checks` holds (结转下年度 is raised where 本年新收 would go negative)."""
    t3 = figures["table3"]
    rows = layout.outcome_rows(figures["format"])
    for row in rows:
        t3[row.key][6] = sum(t3[row.key][:6])
    t3["total"] = [sum(t3[row.key][column] for row in rows) for column in range(6)] + [0]
    for column in range(6):
        shortfall = t3["carried_in"][column] - t3["total"][column] - t3["carried_out"][column]
        if shortfall > 0:
            t3["carried_out"][column] += shortfall
        t3["new"][column] = t3["total"][column] + t3["carried_out"][column] - t3["carried_in"][column]
    for key in ("new", "carried_in", "total", "carried_out"):
        t3[key][6] = sum(t3[key][:6])
    for key, _label in layout.TABLE4_GROUPS:
        figures["table4"][key][4] = sum(figures["table4"][key][:4])
    return figures


def figures_2021(seed: int = 1, format: str = layout.FORMAT_2021) -> dict:
    """Consistent figures, every cell a small number fixed by ``seed``."""
    rng = random.Random(seed)
    figures = layout.empty_figures(format)
    for row in layout.table3_rows(format):
        figures["table3"][row.key] = [rng.randint(0, 9) for _ in range(6)] + [0]
    figures["table3"]["carried_in"] = [rng.randint(0, 3) for _ in range(6)] + [0]
    figures["table3"]["carried_out"] = [rng.randint(0, 3) for _ in range(6)] + [0]
    for key, _label in layout.TABLE4_GROUPS:
        figures["table4"][key] = [rng.randint(0, 3) for _ in range(4)] + [0]
    figures["table4"]["after"][1] = 0  # a zero, which the messy HTML writes as a dash
    if format == layout.FORMAT_2019:
        figures["table2"] = table2_2019(rng)
    else:
        figures["table2"] = {
            "regulation": {"issued": 0, "abolished": 0, "in_force": 0},
            "normative": {"issued": rng.randint(1, 5), "abolished": rng.randint(0, 3), "in_force": rng.randint(5, 20)},
            "licence": rng.randint(10, 90),
            "penalty": rng.randint(1, 30),
            "coercion": rng.randint(0, 3),
            "fees": "12.34",
        }
    return consistent(figures)


def figures_2019(seed: int = 1) -> dict:
    return figures_2021(seed, layout.FORMAT_2019)


def table2_2019(rng: random.Random) -> dict:
    table2 = parse.empty_table2_2019()
    for row in parse.TABLE2_2019_ROWS:
        for column in row.columns:
            table2[row.key][column] = rng.randint(0, 40)
    table2["licence"]["change"] = -2
    table2["procurement"]["amount"] = "356.8"
    return table2


# --- tables as cells --------------------------------------------------------------------------------------


@dataclass
class C:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


def _number(value, place: tuple, overrides: dict, zero: str = "0") -> C:
    text = overrides.get(place, zero if value in (0, "0") else str(value))
    return C(text)


def table2_2021(figures: dict, overrides: dict | None = None) -> list[list[C]]:
    overrides = overrides or {}
    rows, table2 = [], figures["table2"]
    for block in layout.TABLE2_BLOCKS:
        rows.append([C(block.caption, colspan=4, header=True)])
        span = 3 // len(block.value_headers)
        rows.append([C(layout.TABLE2_FIRST_HEADER, header=True)] +
                    [C(h, colspan=span, header=True) for h in block.value_headers])  # fmt: skip
        for key, label in block.rows:
            value = table2[key]
            if isinstance(value, dict):
                cells = [_number(value[c], ("table2", key, c), overrides) for c in layout.DOCUMENT_COUNTS]
            else:
                cells = [_number(value, ("table2", key, None), overrides)]
                cells[0].colspan = 3
            rows.append([C(label), *cells])
    return rows


def table2_2019_cells(figures: dict) -> list[list[C]]:
    table2, rows = figures["table2"], []
    blocks = (
        ("第二十条第（一）项", ("regulation", "normative")),
        ("第二十条第（五）项", ("licence", "other_services")),
        ("第二十条第（六）项", ("penalty", "coercion")),
        ("第二十条第（八）项", ("fees",)),
        ("第二十条第（九）项", ("procurement",)),
    )
    by_key = {row.key: row for row in parse.TABLE2_2019_ROWS}
    for caption, keys in blocks:
        columns = by_key[keys[0]].columns
        spans = [1] * (len(columns) - 1) + [4 - len(columns)]
        rows.append([C(caption, colspan=4, header=True)])
        rows.append([C("信息内容", header=True)] + [
            C(parse.TABLE2_2019_HEADINGS[c], colspan=s, header=True) for c, s in zip(columns, spans, strict=True)
        ])  # fmt: skip
        for key in keys:
            rows.append([C(by_key[key].label)] + [
                C(str(table2[key][c]), colspan=s) for c, s in zip(columns, spans, strict=True)
            ])  # fmt: skip
    return rows


def _messy_label(row: layout.Row, index: int, messy: bool) -> str:
    label = row.label
    if not messy:
        return label
    if row.key == "total":
        return label.replace("总计", "合计")
    if row.level == 3 and index % 2:  # every other leaf with a full-width digit and dot: "１．"
        digit, rest = label.split(".", 1)
        label = chr(ord("０") + int(digit)) + "．" + rest
    if row.key == "3.3":
        label = label.replace("“", '"').replace("”", '"')
    if row.key == "new":
        label = "一、本年新收 政府信息公开申请数量"
    return label


def table3_cells(
    figures: dict, *, messy: bool = False, drop_rows: tuple[str, ...] = (), overrides: dict | None = None
) -> list[list[C]]:
    """Table 三 as the format draws it. ``drop_rows`` leaves rows out but keeps the group's rowspans, as when
    someone deletes a row in an editor."""
    overrides = overrides or {}
    total = "合计" if messy else "总计"
    top, natural, legal, *kinds, _total = layout.TABLE3_HEADERS
    rows = [
        [C(layout.TABLE3_CORNER, rowspan=3, colspan=3), C(top, colspan=7, header=True)],
        [C(natural, rowspan=2, header=True), C(legal, colspan=5, header=True), C(total, rowspan=2, header=True)],
        [C(kind, header=True) for kind in kinds],
    ]
    all_rows = layout.table3_rows(figures["format"])
    results = [row for row in all_rows if row.level > 1]
    seen_groups = set()
    for index, row in enumerate(all_rows):
        cells = []
        if row is results[0]:
            cells.append(C(layout.RESULTS_GROUP, rowspan=len(results)))
        label = _messy_label(row, index, messy)
        if row.level == 1:
            cells.append(C(label, colspan=3))
        elif row.level == 2:
            cells.append(C(label, colspan=2))
        else:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                cells.append(C(row.group, rowspan=sum(1 for other in all_rows if other.group == row.group)))
            cells.append(C(label))
        values = figures["table3"][row.key]
        cells += [_number(value, ("table3", row.key, column), overrides) for column, value in enumerate(values)]
        if row.key not in drop_rows:
            rows.append(cells)
    return rows


def table4_cells(figures: dict, *, messy: bool = False, overrides: dict | None = None) -> list[list[C]]:
    overrides = overrides or {}
    results = [label.replace("总计", "合计") if messy else label for _key, label in layout.TABLE4_RESULTS]
    (_k, review), (_k2, direct), (_k3, after) = layout.TABLE4_GROUPS
    data = [
        _number(value, ("table4", key, column), overrides, zero="—" if messy else "0")
        for key, _label in layout.TABLE4_GROUPS
        for column, value in enumerate(figures["table4"][key])
    ]
    return [
        [C(review, colspan=5, header=True), C(layout.TABLE4_LITIGATION, colspan=10, header=True)],
        [C(r, rowspan=2, header=True) for r in results]
        + [C(direct, colspan=5, header=True), C(after, colspan=5, header=True)],
        [C(r, header=True) for r in results] * 2,
        data,
    ]


# --- HTML -------------------------------------------------------------------------------------------------


def html_table(rows: list[list[C]], *, messy: bool = True) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">', "<tbody>"]
    for row in rows:
        out.append("<tr>")
        for cell in row:
            attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            text = escape(cell.text, quote=False)
            if messy:
                text = f'<p style="text-align:center"><span style="font-family:宋体">&nbsp;{text}&nbsp;</span></p>'
            out.append(f'<td{attrs} valign="middle">{text}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


OVERVIEW = "本报告根据《中华人民共和国政府信息公开条例》编制。本年度，我局认真贯彻落实政务公开工作要点。"
PROBLEMS = "一是公开内容不够全面；二是解读形式较为单一。下一步，我局将加强培训。"
OTHER = "本年度未收取信息处理费。"


def html_report(
    figures: dict,
    *,
    year: int = 2023,
    organization: str = ORGANIZATION,
    charset: str = "utf-8",
    tables: tuple[str, ...] = ("table2", "table3", "table4"),
    drop_rows: tuple[str, ...] = (),
    overrides: dict | None = None,
    messy: bool = True,
) -> bytes:
    """A report page as a district site serves it: navigation and content in a layout table, the section
    headings in ``<p><strong>``, the tables inside. ``charset`` is the page's encoding and its ``<meta>``."""
    title = title_of(year, organization)
    table2 = table2_2019_cells(figures) if figures["format"] == layout.FORMAT_2019 else table2_2021(figures, overrides)
    drawn = {
        "table2": html_table(table2, messy=messy),
        "table3": html_table(table3_cells(figures, messy=messy, drop_rows=drop_rows, overrides=overrides), messy=messy),
        "table4": html_table(table4_cells(figures, messy=messy, overrides=overrides), messy=messy),
    }
    sections = []
    for key, heading in layout.SECTIONS:
        sections.append(f'<p style="text-indent:2em"><strong><span>{heading}</span></strong></p>')
        text = {"overview": OVERVIEW, "problems": PROBLEMS, "other": OTHER}.get(key)
        if text:
            sections.append(f'<p style="text-indent:2em"><span>{text}</span></p>')
        table = {"proactive": "table2", "requests": "table3", "remedies": "table4"}.get(key)
        if table in tables:
            sections.append(f'<div align="center">{drawn[table]}</div>')
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head>{meta}<title>{title}_张店区人民政府</title>
<script>var a = "<table><tr><td>1.属于国家秘密</td></tr></table>";</script></head>
<body><table width="100%" class="layout"><tr><td class="nav"><a href="/">首页</a>&gt;<a href="#">政府信息公开</a></td>
<td class="main"><table width="100%"><tr><td><h1 style="text-align:center">{title}</h1></td></tr>
<tr><td><!-- 正文开始 --><div class="content">
<p>　　本年度报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。</p>
{"".join(sections)}
</div></td></tr></table></td></tr></table></body></html>"""
    return page.encode("gbk" if charset.lower() == "gb2312" else charset)  # sites say gb2312 and write GBK


# --- DOCX -------------------------------------------------------------------------------------------------


def _docx_table(doc, rows: list[list[C]]) -> None:
    placed, occupied = [], set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            placed.append((r, c, cell))
            occupied |= {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            c += cell.colspan
    width = max(c for _r, c in occupied) + 1
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, c, cell in placed:
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text


def docx_report(figures: dict, *, year: int = 2023, organization: str = ORGANIZATION) -> bytes:
    """The report as a Word document: headings and paragraphs, the three tables with merged cells."""
    from docx import Document

    doc = Document()
    doc.add_paragraph(title_of(year, organization), style="Title")
    tables = {
        "proactive": table2_2021(figures) if figures["format"] == layout.FORMAT_2021 else table2_2019_cells(figures),
        "requests": table3_cells(figures, messy=True),
        "remedies": table4_cells(figures, messy=True),
    }
    for key, heading in layout.SECTIONS:
        doc.add_heading(heading, level=1)
        text = {"overview": OVERVIEW, "problems": PROBLEMS, "other": OTHER}.get(key)
        if text:
            doc.add_paragraph(text)
        if key in tables:
            _docx_table(doc, tables[key])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- a report from before 2019, as text -------------------------------------------------------------------

TEXT_2017 = """张店区发展和改革局2017年政府信息公开工作年度报告

本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止。

一、概述
　　2017年，我局高度重视政府信息公开工作，成立了领导小组。

二、主动公开政府信息情况
　　全年主动公开政府信息126条，其中规范性文件3件。

三、依申请公开政府信息情况
　　全年共受理政府信息公开申请5件，均已按时答复。

四、政府信息公开的收费及减免情况
　　未收取任何费用。

五、因政府信息公开申请行政复议、提起行政诉讼的情况
　　未发生行政复议和行政诉讼。

六、政府信息公开工作存在的主要问题及改进情况
　　公开的及时性有待提高。

七、其他需要报告的事项
　　无。
"""


def text_report() -> bytes:
    return TEXT_2017.encode("utf-8")


def deep(figures: dict) -> dict:
    return copy.deepcopy(figures)
