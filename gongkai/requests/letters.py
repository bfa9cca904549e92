"""Reply letters (答复书 / 告知书): the text drafted from the outcome, and the DOCX in official-document layout.

A reply is a formal 国家公文 (国办公开办函〔2016〕235号). The draft is written from a template per outcome
group that cites the article the decision rests on (条例第三十六条 and the articles named in
`outcomes.OUTCOMES`), and always ends with the notice of the applicant's remedies: 行政复议 within 60 days
(《中华人民共和国行政复议法》第二十条) and 行政诉讼 within 6 months (《中华人民共和国行政诉讼法》第四十六条).
Staff edit the text before it is issued; the issued DOCX is kept as the record and never changes.

Layout after GB/T 9704-2012 《党政机关公文格式》 as far as a letter needs it: title in 小标宋 二号 centred,
the 文号 centred below it, the addressee flush left, the body in 仿宋 三号 with a two-character first-line
indent, the agency and the date right-aligned at the end with room for the seal.
"""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from gongkai.requests import outcomes

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"

# The first sentence of every letter, then a paragraph per outcome group.
OPENING = "{received}，本机关收到您提出的政府信息公开申请，申请获取“{description}”。经审查，现答复如下："

BODIES = {
    "（一）": "您申请获取的政府信息属于公开范围。根据{citation}的规定，本机关向您提供该政府信息（见附件），"
    "获取方式为{delivery}。",
    "（二）": "您申请获取的政府信息中，部分内容属于不予公开的范围，但能够作区分处理。根据{citation}的规定，"
    "本机关向您提供可以公开的部分（见附件）。不予公开部分的理由是：{reasons}",
    "（三）": "经审查，您申请获取的政府信息不予公开。理由是：{reasons}依据为{citation}。",
    "（四）": "经本机关查找，{reasons}根据{citation}的规定，特此告知。",
    "（五）": "经审查，{reasons}根据{citation}的规定，本机关不作为政府信息公开申请处理。",
    "（六）": "{reasons}根据{citation}的规定，本机关不再处理您的政府信息公开申请。",
}
REMEDIES = (
    "如对本答复不服，可以自收到本答复之日起六十日内向{reconsideration}申请行政复议，"
    "或者自收到本答复之日起六个月内向{court}提起行政诉讼。"
)


def title_for(outcome_code: str) -> str:
    """答复书 for a decision on the information itself, 告知书 for the rest (不予处理, 其他处理, 无法提供)."""
    return "政府信息公开申请答复书" if outcome_code[0] in "123" else "政府信息公开申请告知书"


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def citation(outcome: outcomes.Outcome) -> str:
    """The legal basis as a letter writes it."""
    if outcome.article.startswith("第"):
        return f"《中华人民共和国政府信息公开条例》{outcome.article}"
    if outcome.article.startswith("国办函"):
        return f"《政府信息公开信息处理费管理办法》（{outcome.article}）"
    return "有关规定"


def draft_body(application, settings) -> str:
    """The letter's text, from the outcome and the application, for staff to edit before it is issued."""
    outcome = outcomes.BY_CODE[application.outcome]
    group = next(prefix for prefix in BODIES if outcome.group.startswith(prefix))
    reasons = application.reasons.strip() or "（请写明理由。）"
    paragraphs = [
        OPENING.format(received=_chinese_date(application.received_on), description=application.description.strip()),
        BODIES[group].format(citation=citation(outcome), reasons=reasons, delivery=application.get_delivery_display()),
        REMEDIES.format(
            reconsideration=settings.reconsideration_body or "本级人民政府",
            court=settings.court or "有管辖权的人民法院",
        ),
    ]
    return "\n\n".join(paragraphs)


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def render_docx(*, title: str, number: str, addressee: str, body: str, organization: str, on: datetime.date) -> bytes:
    """The letter as a DOCX file."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(title), TITLE_FONT, 22)
    if number:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(line.add_run(number), BODY_FONT, 16)
    _font(document.add_paragraph().add_run(f"{addressee}："), BODY_FONT, 16)
    for text in [part.strip() for part in body.split("\n") if part.strip()]:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号 (16 pt)
        paragraph.paragraph_format.line_spacing = Pt(28)
        _font(paragraph.add_run(text), BODY_FONT, 16)
    document.add_paragraph()
    for text in (organization, _chinese_date(on)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(64)  # four characters from the right, room for the seal
        _font(paragraph.add_run(text), BODY_FONT, 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
