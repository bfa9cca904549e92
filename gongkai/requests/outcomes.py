"""办理结果: the outcomes of an application, exactly the leaves of annual-report table 三 (2021 format).

Each closed application is counted once, in one leaf (STATUTES §2.4): the labels below are the table's,
character for character ([V]); the annual report reads them from here. Each outcome also says which reply
type of 条例第三十六条 it is given under and the article the reply letter cites. A request still open on
31 December is carried over (四、结转下年度继续办理) and has no outcome yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Outcome:
    code: str  # "1", "2", "3.1" … "6.3": the group and the number within it
    group: str  # the table's group label, e.g. （三）不予公开
    label: str  # the leaf's exact label
    article: str  # the article the reply cites
    english: str

    @property
    def full_label(self) -> str:
        """The group and the leaf as the table writes them, e.g. （三）不予公开 · 1.属于国家秘密."""
        return self.group if self.label == self.group else f"{self.group} · {self.label}"

    def display(self) -> str:
        """For the interface: the table's words, or in English the code and an English gloss."""
        if (get_language() or "").startswith("en"):
            return f"{self.code} {self.english}"
        return self.full_label


OPEN = "（一）予以公开"
PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_HANDLED = "（五）不予处理"
OTHER = "（六）其他处理"

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("1", OPEN, OPEN, "第三十六条第一项、第二项", "disclosed"),
    Outcome("2", PARTLY, PARTLY, "第三十七条", "partly disclosed (separable parts)"),
    Outcome("3.1", WITHHELD, "1.属于国家秘密", "第十四条、第三十六条第三项", "withheld: state secret"),
    Outcome("3.2", WITHHELD, "2.其他法律行政法规禁止公开", "第十四条、第三十六条第三项", "withheld: forbidden by law"),
    Outcome("3.3", WITHHELD, "3.危及“三安全一稳定”", "第十四条、第三十六条第三项", "withheld: security and stability"),
    Outcome("3.4", WITHHELD, "4.保护第三方合法权益", "第十五条、第三十六条第三项", "withheld: third party's rights"),
    Outcome("3.5", WITHHELD, "5.属于三类内部事务信息", "第十六条第一款、第三十六条第三项", "internal affairs"),
    Outcome("3.6", WITHHELD, "6.属于四类过程性信息", "第十六条第二款、第三十六条第三项", "process information"),
    Outcome("3.7", WITHHELD, "7.属于行政执法案卷", "第十六条第二款、第三十六条第三项", "withheld: enforcement files"),
    Outcome("3.8", WITHHELD, "8.属于行政查询事项", "第三十六条第七项", "withheld: special access regime"),
    Outcome("4.1", UNAVAILABLE, "1.本机关不掌握相关政府信息", "第三十六条第四项、第五项", "not held by this agency"),
    Outcome("4.2", UNAVAILABLE, "2.没有现成信息需要另行制作", "第三十八条", "would have to be created"),
    Outcome("4.3", UNAVAILABLE, "3.补正后申请内容仍不明确", "第三十条", "still unclear after correction"),
    Outcome("5.1", NOT_HANDLED, "1.信访举报投诉类申请", "第三十九条第一款", "a petition or complaint"),
    Outcome("5.2", NOT_HANDLED, "2.重复申请", "第三十六条第六项", "a repeated request"),
    Outcome("5.3", NOT_HANDLED, "3.要求提供公开出版物", "第三十九条第二款", "asks for a publication"),
    Outcome("5.4", NOT_HANDLED, "4.无正当理由大量反复申请", "第三十五条", "mass or repeated requests"),
    Outcome("5.5", NOT_HANDLED, "5.要求行政机关确认或重新出具已获取信息", "第三十九条", "asks to confirm or reissue"),
    Outcome(
        "6.1",
        OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "第三十条",
        "no correction in time",
    ),
    Outcome(
        "6.2",
        OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "国办函〔2020〕109号",
        "fee not paid in time",
    ),
    Outcome("6.3", OTHER, "3.其他", "", "other (withdrawn and the like)"),
)

BY_CODE = {outcome.code: outcome for outcome in OUTCOMES}
CHOICES = [(outcome.code, outcome.full_label) for outcome in OUTCOMES]  # the model's (and migrations') choices


def display_choices() -> list[tuple[str, str]]:
    """The choices as a form shows them, in the active language."""
    return [(outcome.code, outcome.display()) for outcome in OUTCOMES]


# Outcomes reached by the applicant's silence rather than by a decision on the information.
NO_CORRECTION = "6.1"
FEE_NOT_PAID = "6.2"

# The verbose name used by the model field.
VERBOSE_NAME = _("办理结果")
