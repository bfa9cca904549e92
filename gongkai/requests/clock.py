"""The reply clock of an application for disclosure (政府信息公开申请), as a pure function.

`reply_clock(events, calendar)` reads what has happened to an application — its receipt, a correction
notice (补正) and the corrected application, consultations and the fee notice (time not counted), an
extension (延期答复), a later reply date under art. 35 — and returns its due date (答复期限) with a
**trace**: one line per event saying how it moved the date. It never touches the database, so the request
pages, the public deadline calculator and `gongkai deadline` print the same result from the same events.

The rules (STATUTES §1.5, §1.8; 《中华人民共和国政府信息公开条例》):

* 第三十一条: the clock starts on the day the application is received (by channel; the caller decides).
* 第三十三条第二款: the reply is due within 20 working days. The start day is not counted: day 1 is the
  next working day (STATUTES §6; `WorkCalendar.add_working_days`).
* 第三十条: a correction notice must go out, once, within 7 working days of receipt (a later one is
  flagged); the clock then waits, and starts again on the day the corrected application arrives.
* 第三十二条, 第三十四条: time spent consulting a third party or another agency is not counted; each
  has 15 working days to answer, so at most 15 working days of a consultation are left out.
* 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号): the time from the fee notice to payment is
  not counted; the applicant has 20 working days to pay.
* 第三十三条第二款: one extension of at most 20 working days, approved by the head of the disclosure
  office (the service checks who approves; the clock checks the number and the count).
* 第三十五条: the agency may set a reasonable later reply date; it replaces the computed one.

Paused working days move the due date on by as many working days. A pause still open is counted up to
``as_of`` (the caller's today), and the result says so. Dates in a year whose calendar has not been entered are
computed by the weekend rule and marked provisional (暂定), as `WorkCalendar` does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.workdays.calendar import WorkCalendar

REPLY_DAYS = 20  # 第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 第三十条
CONSULTATION_DAYS = 15  # 第三十二条 (third party), 第三十四条 (other agencies)
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 and the provincial notices implementing it (STATUTES §1.7)
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款


class Kind(StrEnum):
    RECEIVED = "received"
    CORRECTION_NOTICE = "correction_notice"
    CORRECTED = "corrected"
    THIRD_PARTY = "third_party"
    OTHER_AGENCY = "other_agency"
    FEE = "fee"
    PAUSED = "paused"  # any other span not counted, as the deadline calculator takes it
    EXTENSION = "extension"
    LATER_DATE = "later_date"


PAUSES = {
    # kind: (longest pause counted in working days, or None; what it is, for the trace)
    Kind.THIRD_PARTY: (CONSULTATION_DAYS, gettext_noop("征求第三方意见（第三十二条）")),
    Kind.OTHER_AGENCY: (CONSULTATION_DAYS, gettext_noop("征求其他机关意见（第三十三条、第三十四条）")),
    Kind.FEE: (FEE_PAYMENT_DAYS, gettext_noop("收费通知至缴费（国办函〔2020〕109号）")),
    Kind.PAUSED: (None, gettext_noop("不计入答复期限的期间")),
}


class ClockError(ValueError):
    """The events cannot happen in this order or with these values; the message is Chinese, then English."""


@dataclass(frozen=True)
class Event:
    """One thing that happened to the application.

    ``on`` is the day it happened: the receipt, the notice sent, the corrected application received, a pause's
    first day, the extension's notice to the applicant, the art. 35 decision. A pause also has ``until`` (the
    day the answer or the payment came; None while it is still open). An extension has ``days``; an art. 35
    decision has ``reply_by``.
    """

    kind: Kind
    on: datetime.date
    until: datetime.date | None = None
    days: int | None = None
    reply_by: datetime.date | None = None


@dataclass(frozen=True)
class TraceLine:
    on: datetime.date
    text: str
    due: datetime.date | None  # the due date after this event; None while the clock waits for a correction


@dataclass(frozen=True)
class Clock:
    due: datetime.date | None  # None: waiting for the corrected application
    provisional: bool
    missing_years: tuple[int, ...]
    started_on: datetime.date | None  # the day the 20 working days run from
    counted_days: int  # 20 + paused working days + extension
    paused: bool  # a pause is still open: the due date moves on each working day until it ends
    awaiting_correction: bool
    late_correction_notice: bool
    trace: list[TraceLine] = field(default_factory=list)

    def is_met_by(self, delivered_on: datetime.date) -> bool:
        """A reply is on time when delivered (交邮之日 / 签收之日) on or before the due date."""
        return self.due is not None and delivered_on <= self.due


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def reply_clock(events: list[Event], calendar: WorkCalendar, *, as_of: datetime.date) -> Clock:
    """The due date of an application from its events and the trace.

    Events are read in date order; events of one day in the order given.
    """
    receipts = [event for event in events if event.kind == Kind.RECEIVED]
    if not receipts:
        raise ClockError("申请须先有收到日期。 An application starts with the day it was received.")
    if len(receipts) > 1:
        raise ClockError("一件申请只有一个收到日期。 An application is received once.")
    received_on = receipts[0].on
    for event in events:
        if event.on < received_on:
            raise ClockError(
                f"{_iso(event.on)}早于收到申请之日{_iso(received_on)}。 "
                f"{_iso(event.on)} is before the application was received ({_iso(received_on)})."
            )
    state = _State(calendar, as_of)
    state.apply(receipts[0])
    for event in sorted((event for event in events if event.kind != Kind.RECEIVED), key=lambda event: event.on):
        state.apply(event)
    return state.result()


class _State:
    """The clock while the events are read one by one."""

    def __init__(self, calendar: WorkCalendar, as_of: datetime.date) -> None:
        self.calendar = calendar
        self.as_of = as_of
        self.received_on: datetime.date | None = None
        self.start: datetime.date | None = None
        self.paused_days = 0
        self.extension_days = 0
        self.reply_by: datetime.date | None = None
        self.awaiting_correction = False
        self.correction_sent = False
        self.corrected = False
        self.late_correction_notice = False
        self.open_pause = False
        self.trace: list[TraceLine] = []
        self.missing: set[int] = set()

    # --- the due date as it stands ---

    def counted_days(self) -> int:
        return REPLY_DAYS + self.paused_days + self.extension_days

    def due(self) -> datetime.date | None:
        if self.reply_by is not None:
            return self.reply_by
        if self.start is None or self.awaiting_correction:
            return None
        result = self.calendar.add_working_days(self.start, self.counted_days())
        self.missing.update(result.missing_years)
        return result.date

    def note(self, on: datetime.date, text: str) -> None:
        self.trace.append(TraceLine(on, text, self.due()))

    def working_days(self, a: datetime.date, b: datetime.date) -> int:
        count = self.calendar.working_days_between(a, b)
        self.missing.update(count.missing_years)
        return max(count.days, 0)

    # --- the events ---

    def apply(self, event: Event) -> None:
        getattr(self, f"on_{event.kind.value}")(event)

    def on_received(self, event: Event) -> None:
        self.received_on = self.start = event.on
        self.note(
            event.on,
            _("%(on)s 收到申请（第三十一条）：自次日起%(days)s个工作日内答复（第三十三条第二款）")
            % {"on": _iso(event.on), "days": REPLY_DAYS},
        )

    def on_correction_notice(self, event: Event) -> None:
        if self.correction_sent:
            raise ClockError("补正通知只能一次性发出（第三十条）。 The correction notice is sent once only (art. 30).")
        self.correction_sent = self.awaiting_correction = True
        limit = self.calendar.add_working_days(self.received_on, CORRECTION_NOTICE_DAYS)
        self.missing.update(limit.missing_years)
        self.late_correction_notice = event.on > limit.date
        values = {"on": _iso(event.on), "days": CORRECTION_NOTICE_DAYS, "limit": _iso(limit.date)}
        if self.late_correction_notice:
            text = _(
                "%(on)s 发出补正通知，已超过%(days)s个工作日的告知期限（应于%(limit)s前发出）；"
                "答复期限自收到补正后的申请之日起重新计算（第三十条）"
            )
        else:
            text = _(
                "%(on)s 发出补正通知，在%(days)s个工作日内（%(limit)s前）；"
                "答复期限自收到补正后的申请之日起重新计算（第三十条）"
            )
        if event.until is not None:
            text += _("；补正期限至%(until)s") % {"until": _iso(event.until)}
        self.note(event.on, text % values)

    def on_corrected(self, event: Event) -> None:
        if self.corrected:
            raise ClockError(
                "补正后的申请已经收到，不能再次登记。 The corrected application has already been received."
            )
        # Without a notice among the events (the deadline calculator), the correction is taken as given.
        self.awaiting_correction = False
        self.corrected = True
        self.start = event.on
        # Pauses and extensions before the correction belong to the old count.
        self.paused_days = self.extension_days = 0
        self.note(
            event.on,
            _("%(on)s 收到补正后的申请：自次日起重新计算%(days)s个工作日（第三十条）")
            % {"on": _iso(event.on), "days": REPLY_DAYS},
        )

    def _pause(self, event: Event) -> None:
        limit, what = PAUSES[event.kind]
        if self.awaiting_correction or self.start is None:
            raise ClockError(
                f"等待补正期间不计时，无需登记{what}。 The clock is already stopped while waiting for the correction."
            )
        if event.until is not None and event.until < event.on:
            raise ClockError(
                f"{what}的结束日期{_iso(event.until)}早于开始日期{_iso(event.on)}。 "
                f"The pause ends ({_iso(event.until)}) before it starts ({_iso(event.on)})."
            )
        due = self.due()
        if self.reply_by is None and due is not None and event.on > due:
            self.note(
                event.on,
                _("%(on)s %(what)s：开始时答复期限已过，期限不再顺延") % {"on": _iso(event.on), "what": _(what)},
            )
            return
        end = event.until
        if end is None:
            self.open_pause = True
            end = max(self.as_of, event.on)
        days = self.working_days(event.on, end)
        counted = days if limit is None else min(days, limit)
        self.paused_days += counted
        values = {"on": _iso(event.on), "end": _iso(end), "what": _(what), "days": days, "counted": counted}
        if event.until is None:
            text = _("%(on)s至%(end)s（尚未结束） %(what)s：%(days)s个工作日不计入，期限顺延%(counted)s个工作日")
        else:
            text = _("%(on)s至%(end)s %(what)s：%(days)s个工作日不计入，期限顺延%(counted)s个工作日")
        if limit is not None and days > limit:
            text += _("（最多扣除%(limit)s个工作日）") % {"limit": limit}
        self.note(event.on, text % values)

    on_third_party = on_other_agency = on_fee = on_paused = _pause

    def on_extension(self, event: Event) -> None:
        days = event.days or 0
        if self.extension_days:
            raise ClockError(
                "答复期限只能延长一次（第三十三条第二款）。 The deadline may be extended once only (art. 33)."
            )
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise ClockError(
                f"延长期限须为1至{MAX_EXTENSION_DAYS}个工作日，不能是{days}。 "
                f"An extension is 1 to {MAX_EXTENSION_DAYS} working days, not {days} (art. 33)."
            )
        if self.start is None or self.awaiting_correction:
            raise ClockError("等待补正期间不能延期。 The deadline cannot be extended while waiting for a correction.")
        self.extension_days = days
        self.note(
            event.on,
            _("%(on)s 经政府信息公开工作机构负责人同意，延期答复%(days)s个工作日并告知申请人（第三十三条第二款）")
            % {"on": _iso(event.on), "days": days},
        )

    def on_later_date(self, event: Event) -> None:
        if event.reply_by is None or event.reply_by < event.on:
            raise ClockError(
                "第三十五条的答复期限须为决定之日或以后的日期。 "
                "The art. 35 reply date must be on or after the day of the decision."
            )
        self.reply_by = event.reply_by
        self.note(
            event.on,
            _("%(on)s 申请数量、频次明显超过合理范围，确定延迟答复期限%(reply_by)s（第三十五条）")
            % {"on": _iso(event.on), "reply_by": _iso(event.reply_by)},
        )

    def result(self) -> Clock:
        due = self.due()
        return Clock(
            due=due,
            provisional=bool(self.missing) and due is not None,
            missing_years=tuple(sorted(self.missing)),
            started_on=self.start,
            counted_days=self.counted_days(),
            paused=self.open_pause,
            awaiting_correction=self.awaiting_correction,
            late_correction_notice=self.late_correction_notice,
            trace=self.trace,
        )


def calculator_clock(
    calendar: WorkCalendar,
    *,
    received: datetime.date,
    corrected: datetime.date | None = None,
    paused: tuple[tuple[datetime.date, datetime.date], ...] = (),
    extended: int = 0,
    as_of: datetime.date,
) -> Clock:
    """The deadline calculator's clock (the public page and `gongkai deadline`): the same rules, fewer facts.

    An extension is taken as decided on the last day of the deadline it extends, which is when it must be
    decided at the latest.
    """
    events = [Event(Kind.RECEIVED, received)]
    if corrected is not None:
        events.append(Event(Kind.CORRECTED, corrected))
    events += [Event(Kind.PAUSED, start, until=end) for start, end in paused]
    if extended:
        before = reply_clock(events, calendar, as_of=as_of)
        events.append(Event(Kind.EXTENSION, before.due or received, days=extended))
    return reply_clock(events, calendar, as_of=as_of)
