"""The annual report's figures for organisation O and year Y, counted from the system's own data (issue 8, item 1).

The year runs from 1 January to 31 December (STATUTES §2.1); dates are the business dates the records carry
(received, closed, decided, issued), which are Asia/Shanghai dates. Every count is one GROUP BY query.

- Table 二: 规章 and 行政规范性文件 from the catalogue (the genre's ``report_category``; issued = 发文日期 in Y,
  abolished = 废止日期 in Y, in force = issued by the end of Y and neither repealed nor expired by then);
  行政许可 and 行政处罚 = the 双公示 decisions dated in Y with O as the deciding authority (not those whose
  当前状态 is 撤销 or 无效: a decision entered in error); 行政强制 and 行政事业性收费 are entered by hand.
- Table 三: received in Y per applicant kind (一); received before Y and not closed before Y (二); closed in Y
  per outcome, one leaf each (三, so 部分公开 counts only there); received by the end of Y and not closed by
  then (四). The identity 一 + 二 = （七） + 四 holds by construction.
- Table 四: the 行政复议 and 行政诉讼 about O's applications filed in Y, by their result at the end of Y (one
  decided later is 尚未审结).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gongkai.catalog.models import Genre, Publication
from gongkai.credit.models import Licence, Penalty
from gongkai.credit.standard import WITHDRAWN_STATUSES
from gongkai.reports import layout
from gongkai.requests.models import DisclosureRequest, ProcessingFee, Remedy

REMEDY_GROUPS = {
    Remedy.Kind.RECONSIDERATION: "reconsideration",
    Remedy.Kind.DIRECT_LITIGATION: "direct",
    Remedy.Kind.LITIGATION_AFTER_RECONSIDERATION: "after",
}
RESULT_COLUMNS = {key: index for index, (key, _label) in enumerate(layout.TABLE4_RESULTS)}


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def hand_entered_of(report) -> dict | None:
    """The cells a report's people entered by hand (2021 format), to count the rest beside them."""
    if report is None or report.format != layout.FORMAT_2021 or not report.figures.get("table2"):
        return None
    table2 = report.figures["table2"]
    return {key: table2[key] for key in layout.HAND_ENTERED if key in table2}


def count(organization, year: int, *, hand_entered: dict | None = None) -> dict:
    """The figures of ``organization`` for ``year``, in `layout`'s shape; ``hand_entered`` supplies the cells the
    system has no records of (``{"coercion": n, "fees": "1.5"}``), kept from an earlier count."""
    figures = layout.empty_figures()
    figures["table2"].update(_documents(organization, year))
    figures["table2"].update(_decisions(organization, year))
    for key in layout.HAND_ENTERED:
        if hand_entered and key in hand_entered:
            figures["table2"][key] = hand_entered[key]
    figures["table3"] = _requests(organization, year)
    figures["table4"] = _remedies(organization, year)
    return figures


def _documents(organization, year: int) -> dict:
    first, last = year_bounds(year)
    result = {}
    for category in (Genre.ReportCategory.REGULATION, Genre.ReportCategory.NORMATIVE):
        counted = Publication.objects.published().filter(publisher=organization, genre__report_category=category)
        counted = counted.aggregate(
            issued=Count("id", filter=Q(issued_on__range=(first, last))),
            abolished=Count("id", filter=Q(repealed_on__range=(first, last))),
            in_force=Count(
                "id",
                filter=Q(issued_on__lte=last)
                & ~Q(repealed_on__lte=last, repealed_on__isnull=False)
                & ~Q(expired_on__lte=last, expired_on__isnull=False),
            ),
        )
        result[category] = {key: counted[key] for key in layout.DOCUMENT_COUNTS}
    return result


def _decisions(organization, year: int) -> dict:
    first, last = year_bounds(year)
    return {
        key: model.objects.filter(authority_uscc=organization.uscc, decision_date__range=(first, last))
        .exclude(status__in=WITHDRAWN_STATUSES)
        .count()
        for key, model in (("licence", Licence), ("penalty", Penalty))
    }


def _requests(organization, year: int) -> dict:
    first, last = year_bounds(year)
    columns = {key: index for index, key in enumerate(layout.APPLICANT_COLUMNS)}
    table = {row.key: [0] * len(layout.COLUMNS) for row in layout.TABLE3_ROWS}

    def add(row: str, kind: str, n: int) -> None:
        table[row][columns[kind]] += n
        table[row][-1] += n

    requests = DisclosureRequest.objects.filter(organization=organization)
    not_closed_before = Q(closed_on__isnull=True) | Q(closed_on__gte=first)
    not_closed_by_end = Q(closed_on__isnull=True) | Q(closed_on__gt=last)
    counted = (
        requests.filter(received_on__lte=last)
        .values("applicant_kind")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=first)),
            carried_in=Count("id", filter=Q(received_on__lt=first) & not_closed_before),
            carried_out=Count("id", filter=not_closed_by_end),
        )
    )
    for row in counted:
        for key in ("new", "carried_in", "carried_out"):
            add(key, row["applicant_kind"], row[key])
    closed = requests.filter(closed_on__range=(first, last)).values("applicant_kind", "outcome").annotate(n=Count("id"))
    for row in closed:
        add(row["outcome"], row["applicant_kind"], row["n"])
        add("total", row["applicant_kind"], row["n"])
    return table


def _remedies(organization, year: int) -> dict:
    first, last = year_bounds(year)
    table = {key: [0] * len(layout.TABLE4_RESULTS) for key, _label in layout.TABLE4_GROUPS}
    counted = (
        Remedy.objects.filter(request__organization=organization, filed_on__range=(first, last))
        .values("kind", "result")
        .annotate(n=Count("id"), decided_later=Count("id", filter=Q(decided_on__gt=last)))
    )
    for row in counted:
        group = table[REMEDY_GROUPS[row["kind"]]]
        pending = row["decided_later"] if row["result"] != Remedy.Result.PENDING else row["n"]
        group[RESULT_COLUMNS[row["result"]]] += row["n"] - pending
        group[RESULT_COLUMNS["pending"]] += pending
        group[RESULT_COLUMNS["total"]] += row["n"]
    return table


def processing_fees(organization, year: int) -> Decimal:
    """信息处理费 actually collected in ``year`` (paid, not waived), in 元: for section 六 (STATUTES §2.2 [R])."""
    first, last = year_bounds(year)
    paid = ProcessingFee.objects.filter(
        request__organization=organization, paid_on__range=(first, last), waived=False
    ).aggregate(total=Sum("amount"))
    return Decimal(paid["total"] or 0)
