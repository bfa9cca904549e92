"""The first draft of the report's written sections, from its figures (issue 8, item 3). Pure: the office edits
it afterwards; nothing here is sent without a person reading it.

Sections 一 (总体情况: 主动公开、依申请公开、政府信息管理、平台建设、监督保障, STATUTES §2.2), 五 and 六 (which
reports the 信息处理费 collected, §2.2 [R]).
"""

from __future__ import annotations

from decimal import Decimal

from gongkai.reports import layout


def _outcome_sum(table3: dict, prefix: str) -> int:
    return sum(values[-1] for key, values in table3.items() if key == prefix or key.startswith(prefix + "."))


def draft(organization_name: str, year: int, figures: dict, *, processing_fees: Decimal) -> dict[str, str]:
    table2, table3, table4 = figures["table2"], figures["table3"], figures["table4"]
    received, carried_in = table3["new"][-1], table3["carried_in"][-1]
    closed, carried_out = table3["total"][-1], table3["carried_out"][-1]
    remedies = sum(table4[key][-1] for key, _label in layout.TABLE4_GROUPS)
    corrected = sum(table4[key][1] for key, _label in layout.TABLE4_GROUPS)
    overview = "\n\n".join(
        [
            f"{year}年，{organization_name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”，"
            "依法做好主动公开、依申请公开、政府信息管理、平台建设和监督保障各项工作。",
            f"（一）主动公开。本年制发行政规范性文件{table2['normative']['issued']}件，废止"
            f"{table2['normative']['abolished']}件，现行有效{table2['normative']['in_force']}件；"
            f"依法“双公示”行政许可决定{table2['licence']}件、行政处罚决定{table2['penalty']}件。",
            f"（二）依申请公开。本年新收政府信息公开申请{received}件，上年结转{carried_in}件，办结{closed}件，"
            f"其中予以公开{table3['1'][-1]}件、部分公开{table3['2'][-1]}件、不予公开{_outcome_sum(table3, '3')}件、"
            f"无法提供{_outcome_sum(table3, '4')}件、不予处理{_outcome_sum(table3, '5')}件、"
            f"其他处理{_outcome_sum(table3, '6')}件；结转下年度继续办理{carried_out}件。",
            "（三）政府信息管理。严格执行公开前保密审查和“先审查、后公开”制度，对规范性文件实行动态更新，"
            "及时标注有效性。",
            "（四）平台建设。依托政府信息公开专栏集中发布法定主动公开内容，做好信息公开指南和目录的维护。",
            f"（五）监督保障。本年因政府信息公开工作被申请行政复议、提起行政诉讼共{remedies}件，"
            f"其中被纠错{corrected}件。",
        ]
    )
    problems = (
        f"{year}年，本机关政府信息公开工作取得一定成效，但仍存在主动公开的深度和广度有待拓展、"
        "政策解读形式不够丰富等问题。下一步，将进一步加强业务培训，提高公开质量，及时回应社会关切。"
    )
    fees = f"{processing_fees:,.2f}".rstrip("0").rstrip(".") if processing_fees else "0"
    other = f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费共计{fees}元。"
    return {"overview": overview, "problems": problems, "other": other}
