"""Statistics per organisation and month of a year: what the dashboards under /staff/statistics/ draw and the CSV
downloads contain. Every function returns plain dataclasses, one per month (1–12), and reads the database with
a few GROUP BY queries; dates are days in Asia/Shanghai.

What is counted, and how (the dashboards print these definitions next to the figures):

* **Applications** (`request_months`): received in the month (收到申请之日), and closed in the month (办结日期) by
  outcome group, the six groups of annual-report table 三.
* **Replies** (`reply_months`): the applications closed in the month. The day of the reply is the day it was
  delivered (送达日期) or, when no delivery is recorded, the day it was closed — the rule of the staff worklist.
  A reply is *on time* when that day is on or before the due date of its reply clock
  (`gongkai.requests.clock.reply_clock`, with corrections, pauses, an extension and an art. 35 date), computed as
  of the day of the reply. Applications ended while the clock waited for a correction (（六）1, no due date) are
  not timed: they count in neither the on-time rate nor the days to reply.
* **Days to reply**: the working days from the day of receipt to the day of the reply, counted as the reply clock
  counts (the day of receipt is not counted: a reply on the next working day took 1 day), with the working-day
  calendar (`gongkai.workdays`). Time waiting for a correction, a consultation or a fee is included: it is the
  applicant's wait, while the on-time rate is the one that allows for it. The median is the middle value (the
  mean of the two middle values for an even count); the 90th percentile is by nearest rank: the smallest number
  of days within which at least 90 % of the replies were made.
* **Publications** (`publication_months`): publications of the organisation that are published now
  (`Publication.objects.published()`), by column and by the month of their 发布日期.
* **双公示** (`credit_months`): records first published in the month and how many of them within 7 working days
  of the decision (`gongkai.credit.timeliness`, the same rule as the department page); rows submitted in the
  month and rows returned (退回) from the organisation's submissions. The error rate is rows returned ÷ rows
  submitted; a submission returned whole returns all its rows.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Column, Publication
from gongkai.credit import timeliness
from gongkai.credit.models import RECORD_MODELS, Submission
from gongkai.requests.clock import ClockError, Event, Kind, reply_clock
from gongkai.requests.models import DisclosureRequest, RequestEvent
from gongkai.workdays.calendar import WorkCalendar, current_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTHS = tuple(range(1, 13))

# The six outcome groups of annual-report table 三, by the first part of an outcome's code ("3.4" → "3").
OUTCOME_GROUPS: tuple[tuple[str, str], ...] = (
    ("1", _("予以公开")),
    ("2", _("部分公开")),
    ("3", _("不予公开")),
    ("4", _("无法提供")),
    ("5", _("不予处理")),
    ("6", _("其他处理")),
)


def outcome_group(code: str) -> str:
    return code.split(".", 1)[0]


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (a month without data is not 0 %)."""
    return part / whole if whole else None


def median(values: list[int]) -> float | None:
    """The middle value, or the mean of the two middle values (an int when it is a whole number: 16, not 16.0)."""
    if not values:
        return None
    value = statistics.median(values)
    return int(value) if float(value).is_integer() else value


def percentile_90(values: list[int]) -> int | None:
    """Nearest rank: the smallest value that at least 90 % of the values do not exceed."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def _year_span(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year as aware datetimes [1 January 00:00, next 1 January 00:00) in Asia/Shanghai."""
    return datetime.datetime(year, 1, 1, tzinfo=SHANGHAI), datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


# --- applications received and closed ----------------------------------------------------------------------


@dataclass(frozen=True)
class RequestMonth:
    month: int  # 1–12; 0 for the year
    received: int
    closed: int
    by_group: tuple[int, ...]  # closed, per group of OUTCOME_GROUPS, in that order


def request_months(organization, year: int) -> list[RequestMonth]:
    """Applications of ``organization`` received and closed in each month of ``year``."""
    requests = DisclosureRequest.objects.of(organization).order_by()
    received = dict(
        requests.filter(received_on__year=year)
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    closed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        requests.filter(closed_on__year=year)
        .annotate(month=ExtractMonth("closed_on"))
        .values("month", "outcome")
        .annotate(n=Count("id"))
        .values_list("month", "outcome", "n")
    )
    for month, outcome, n in rows:
        closed[month][outcome_group(outcome or "6.3")] += n
    result = []
    for month in MONTHS:
        groups = tuple(closed[month][code] for code, _label in OUTCOME_GROUPS)
        result.append(RequestMonth(month, received.get(month, 0), sum(groups), groups))
    return result


def request_year(months: list[RequestMonth]) -> RequestMonth:
    groups = tuple(sum(month.by_group[i] for month in months) for i in range(len(OUTCOME_GROUPS)))
    return RequestMonth(0, sum(month.received for month in months), sum(groups), groups)


# --- replies: on time, and working days taken ---------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One closed application, as the statistics see it."""

    month: int  # of the day it was closed
    on_time: bool | None  # None: not timed (no due date)
    days: int  # working days from receipt to the reply


@dataclass(frozen=True)
class ReplyMonth:
    month: int  # 1–12; 0 for the year
    replies: int  # closed in the month
    timed: int  # of them, with a due date
    on_time: int
    median_days: float | None
    p90_days: int | None

    @property
    def late(self) -> int:
        return self.timed - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.timed)


def replies(organization, year: int, calendar: WorkCalendar | None = None) -> list[Reply]:
    """Every application of ``organization`` closed in ``year``, with its reply clock read from its events.

    Two queries (the applications' dates, their events); the clock is `reply_clock`, the one the staff pages use.
    """
    calendar = calendar or current_calendar()
    closed = DisclosureRequest.objects.of(organization).filter(closed_on__year=year)
    dates = list(closed.order_by().values_list("pk", "received_on", "closed_on", "delivered_on"))
    events: dict[int, list[Event]] = defaultdict(list)
    rows = (
        RequestEvent.objects.filter(request__in=closed.order_by().values("pk"))
        .order_by("request_id", "on", "id")
        .values_list("request_id", "kind", "on", "until", "days", "reply_by")
    )
    for request_id, kind, on, until, days, reply_by in rows.iterator():
        events[request_id].append(Event(Kind(kind), on, until=until, days=days, reply_by=reply_by))
    result = []
    for pk, received_on, closed_on, delivered_on in dates:
        replied_on = delivered_on or closed_on
        try:
            due = reply_clock(events[pk], calendar, as_of=replied_on).due
        except ClockError:
            due = None  # events the clock refuses (entered by hand in the admin): not timed
        on_time = None if due is None else replied_on <= due
        days = max(calendar.working_days_between(received_on, replied_on).days, 0)
        result.append(Reply(closed_on.month, on_time, days))
    return result


def _reply_summary(month: int, items: list[Reply]) -> ReplyMonth:
    timed = [item for item in items if item.on_time is not None]
    days = [item.days for item in timed]
    return ReplyMonth(
        month=month,
        replies=len(items),
        timed=len(timed),
        on_time=sum(1 for item in timed if item.on_time),
        median_days=median(days),
        p90_days=percentile_90(days),
    )


def reply_months(organization, year: int, calendar: WorkCalendar | None = None) -> tuple[list[ReplyMonth], ReplyMonth]:
    """Per month of ``year`` and for the year: replies, on time, median and 90th percentile of days to reply.

    The year's median and percentile are those of all its replies, not an average of the months'.
    """
    items = replies(organization, year, calendar)
    by_month: dict[int, list[Reply]] = defaultdict(list)
    for item in items:
        by_month[item.month].append(item)
    return [_reply_summary(month, by_month[month]) for month in MONTHS], _reply_summary(0, items)


# --- publications per column --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRow:
    column_id: int
    name: str  # 上级栏目 › 栏目
    months: tuple[int, ...]  # 12 counts

    @property
    def total(self) -> int:
        return sum(self.months)


@dataclass(frozen=True)
class PublicationStats:
    columns: list[ColumnRow]  # the columns with publications in the year, in the site's column order
    months: tuple[int, ...] = field(default=(0,) * 12)  # every column together

    @property
    def total(self) -> int:
        return sum(self.months)


def _tree_position(column: Column) -> tuple:
    """Where a column stands in the site's tree: the order of each of its ancestors from the root down, then its own."""
    path = []
    while column is not None:
        path.insert(0, (column.sort_order, column.pk))
        column = column.parent
    return tuple(path)


def publication_months(organization, year: int) -> PublicationStats:
    """Publications of ``organization`` published now, per column and month of their 发布日期 in ``year``."""
    start, end = _year_span(year)
    rows = (
        Publication.objects.published()
        .by(organization)
        .order_by()
        .filter(published_at__gte=start, published_at__lt=end)
        .annotate(month=ExtractMonth("published_at", tzinfo=SHANGHAI))
        .values("column", "month")
        .annotate(n=Count("id"))
        .values_list("column", "month", "n")
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for column_id, month, n in rows:
        counts[column_id][month - 1] += n
    columns = Column.objects.filter(pk__in=list(counts)).select_related("parent__parent")
    ordered = sorted(columns, key=_tree_position)
    result = [ColumnRow(column.pk, str(column), tuple(counts[column.pk])) for column in ordered]
    months = tuple(sum(row.months[i] for row in result) for i in range(12))
    return PublicationStats(result, months)


# --- 双公示 ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditMonth:
    month: int  # 1–12; 0 for the year
    published: int  # records first published in the month
    on_time: int  # of them, within 7 working days of the decision
    rows: int  # rows submitted in the month
    rejected: int  # of them, returned

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.published)

    @property
    def error_rate(self) -> float | None:
        return ratio(self.rejected, self.rows)


def credit_year(months: list[CreditMonth]) -> CreditMonth:
    return CreditMonth(
        0,
        sum(month.published for month in months),
        sum(month.on_time for month in months),
        sum(month.rows for month in months),
        sum(month.rejected for month in months),
    )


def credit_months(organizations, year: int) -> dict[int, list[CreditMonth]]:
    """Per organisation id and month of ``year``: 双公示 records published and on time, rows submitted and returned.

    Five GROUP BY queries whatever the number of organisations: published and late records of each type
    (`timeliness.late`, the rule of `timeliness.monthly_rates`), and the submissions.
    """
    ids = [organization.pk for organization in organizations]
    start, end = _year_span(year)
    published: dict[tuple[int, int], int] = defaultdict(int)
    late: dict[tuple[int, int], int] = defaultdict(int)
    for model in RECORD_MODELS.values():
        records = model.objects.order_by().filter(
            source_id__in=ids, first_published_at__gte=start, first_published_at__lt=end
        )
        for target, queryset in ((published, records), (late, timeliness.late(records))):
            rows = (
                queryset.annotate(month=ExtractMonth("first_published_at", tzinfo=SHANGHAI))
                .values("source_id", "month")
                .annotate(n=Count("id"))
                .values_list("source_id", "month", "n")
            )
            for source_id, month, n in rows:
                target[source_id, month] += n
    submitted: dict[tuple[int, int], tuple[int, int]] = {}
    rows = (
        Submission.objects.order_by()
        .filter(organization_id__in=ids, submitted_at__gte=start, submitted_at__lt=end)
        .exclude(outcome=Submission.Outcome.DRY_RUN)
        .annotate(month=ExtractMonth("submitted_at", tzinfo=SHANGHAI))
        .values("organization_id", "month")
        .annotate(rows=Sum("rows"), rejected=Sum("rejected"))
        .values_list("organization_id", "month", "rows", "rejected")
    )
    for organization_id, month, n_rows, rejected in rows:
        submitted[organization_id, month] = (n_rows or 0, rejected or 0)
    return {
        pk: [
            CreditMonth(
                month,
                published[pk, month],
                published[pk, month] - late[pk, month],
                *submitted.get((pk, month), (0, 0)),
            )
            for month in MONTHS
        ]
        for pk in ids
    }


@dataclass(frozen=True)
class CreditOrganization:
    organization: object  # Organization
    months: list[CreditMonth]
    year: CreditMonth


def credit_by_organization(organizations, year: int) -> list[CreditOrganization]:
    """The 双公示 figures of each of ``organizations`` (the reporting ones, usually), per month and for the year."""
    organizations = list(organizations)
    by_id = credit_months(organizations, year)
    return [
        CreditOrganization(organization, by_id[organization.pk], credit_year(by_id[organization.pk]))
        for organization in organizations
    ]
