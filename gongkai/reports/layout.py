"""The annual report's tables as data: 国办公开办函〔2021〕30号 (STATUTES §2.2–2.5), and the 2019 trial format's
differences (§2.6). Everything that prints, fills, parses or checks a report reads the labels and the order here.

Figures are plain dicts, so that a report read from a file and one counted from the system's data are the same
thing (`empty_figures`):

- ``table2``: ``{"regulation": {"issued", "abolished", "in_force"}, "normative": {…}, "licence": n, "penalty": n,
  "coercion": n, "fees": "12.34"}`` (fees in 万元, a decimal string: the format allows decimals);
- ``table3``: ``{row key: [7 integers]}`` in `COLUMNS` order, the row keys of `TABLE3_ROWS` (a 2019-format report
  has ``"6"`` where a 2021 one has ``"6.1"``–``"6.3"``);
- ``table4``: ``{"reconsideration" | "direct" | "after": [结果维持, 结果纠正, 其他结果, 尚未审结, 总计]}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.requests import outcomes

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"

# Section titles, exact (§2.2); the parser also accepts the variants in `SECTION_VARIANTS`.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("remedies", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)
SECTION_VARIANTS = {"五、存在问题及改进情况": "problems", "五、政府信息公开工作存在的主要问题及改进情况": "problems"}
NARRATIVE_SECTIONS = ("overview", "problems", "other")  # written by people; the others are the tables


# --- table 二 (§2.3) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    caption: str  # 第二十条第（一）项
    value_headers: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]  # (key, label)


TABLE2_TITLE = "（一）主动公开政府信息情况"
TABLE2_BLOCKS: tuple[Block, ...] = (
    Block(
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (("regulation", "规章"), ("normative", "行政规范性文件")),
    ),
    Block("第二十条第（五）项", ("本年处理决定数量",), (("licence", "行政许可"),)),
    Block("第二十条第（六）项", ("本年处理决定数量",), (("penalty", "行政处罚"), ("coercion", "行政强制"))),
    Block("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("fees", "行政事业性收费"),)),
)
TABLE2_FIRST_HEADER = "信息内容"
DOCUMENT_COUNTS = ("issued", "abolished", "in_force")  # the three columns of 第二十条第（一）项
TABLE2_NUMBERS = ("licence", "penalty", "coercion")  # the single-number rows; "fees" is the amount
# Entered by hand in the report (the system has no records of them).
HAND_ENTERED = ("coercion", "fees")


# --- table 三 (§2.4) ---------------------------------------------------------------------------------------

# The value columns, in order: the applicant kinds of `requests.models.ApplicantKind`, then 总计.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
APPLICANT_COLUMNS = tuple(key for key, _label in COLUMNS[:-1])
TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_HEADERS = (
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)
RESULTS_GROUP = "三、本年度办理结果"


@dataclass(frozen=True)
class Row:
    key: str  # "new", "carried_in", an outcome code ("1", "3.1" …), "total", "carried_out"
    label: str  # the row's own label (the leaf's for an outcome)
    group: str = ""  # the 办理结果 group (（三）不予公开 …) for a leaf under one, "" otherwise
    level: int = 1  # 1: 一、二、四、; 2: （一）（二）（七）; 3: the numbered leaves


def _outcome_rows() -> tuple[Row, ...]:
    rows = []
    for outcome in outcomes.OUTCOMES:
        if outcome.label == outcome.group:
            rows.append(Row(outcome.code, outcome.label, level=2))
        else:
            rows.append(Row(outcome.code, outcome.label, outcome.group, level=3))
    return tuple(rows)


NEW = Row("new", "一、本年新收政府信息公开申请数量")
CARRIED_IN = Row("carried_in", "二、上年结转政府信息公开申请数量")
TOTAL = Row("total", "（七）总计", level=2)
CARRIED_OUT = Row("carried_out", "四、结转下年度继续办理")
OUTCOME_ROWS_2021 = _outcome_rows()
TABLE3_ROWS: tuple[Row, ...] = (NEW, CARRIED_IN, *OUTCOME_ROWS_2021, TOTAL, CARRIED_OUT)  # 25 rows (§2.4)

# The 2019 trial format: （六）其他处理 is one row (23 rows).
OTHER_2019 = Row("6", outcomes.OTHER, level=2)
OUTCOME_ROWS_2019 = (*(row for row in OUTCOME_ROWS_2021 if not row.key.startswith("6.")), OTHER_2019)
TABLE3_ROWS_2019: tuple[Row, ...] = (NEW, CARRIED_IN, *OUTCOME_ROWS_2019, TOTAL, CARRIED_OUT)


def table3_rows(format: str = FORMAT_2021) -> tuple[Row, ...]:
    return TABLE3_ROWS_2019 if format == FORMAT_2019 else TABLE3_ROWS


def outcome_rows(format: str = FORMAT_2021) -> tuple[Row, ...]:
    return OUTCOME_ROWS_2019 if format == FORMAT_2019 else OUTCOME_ROWS_2021


# --- table 四 (§2.5) ---------------------------------------------------------------------------------------

TABLE4_GROUPS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("direct", "未经复议直接起诉"),
    ("after", "复议后起诉"),
)
TABLE4_LITIGATION = "行政诉讼"
TABLE4_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


# --- figures ----------------------------------------------------------------------------------------------


def empty_figures(format: str = FORMAT_2021) -> dict:
    """All zeros, in the shape the module docstring describes."""
    return {
        "format": format,
        "table2": {
            "regulation": dict.fromkeys(DOCUMENT_COUNTS, 0),
            "normative": dict.fromkeys(DOCUMENT_COUNTS, 0),
            **dict.fromkeys(TABLE2_NUMBERS, 0),
            "fees": "0",
        },
        "table3": {row.key: [0] * len(COLUMNS) for row in table3_rows(format)},
        "table4": {key: [0] * len(TABLE4_RESULTS) for key, _label in TABLE4_GROUPS},
    }


def cell_name(table: str, row: str, column: str | int) -> str:
    """A cell's name for people, in the format's own words: 表三「（七）总计」×「自然人」."""
    if table == "table3":
        label = next(r for r in (*TABLE3_ROWS, OTHER_2019) if r.key == row).label
        heading = COLUMNS[column][1] if isinstance(column, int) else dict(COLUMNS)[column]
        return f"表三「{label}」×「{heading}」"
    if table == "table4":
        group = dict(TABLE4_GROUPS)[row]
        heading = TABLE4_RESULTS[column][1] if isinstance(column, int) else dict(TABLE4_RESULTS)[column]
        return f"表四「{group}」×「{heading}」"
    labels = {key: label for block in TABLE2_BLOCKS for key, label in block.rows}
    headings = {"issued": "本年制发件数", "abolished": "本年废止件数", "in_force": "现行有效件数"}
    return f"表二「{labels[row]}」" + (f"×「{headings[column]}」" if column in headings else "")
