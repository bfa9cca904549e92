"""`gongkai deadline`: the reply deadline of an application and how it was reached (条例第三十条至第三十五条)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.requests.clock import ClockError, calculator_clock
from gongkai.workdays import services
from gongkai.workdays.calendar import current_calendar


def _date(text: str, what: str):
    try:
        return services.parse_date(text)
    except ValueError as exc:
        raise CommandError(f"{what}: {exc}") from None


def _span(text: str):
    start, colon, end = text.partition(":")
    if not colon:
        raise CommandError(
            f"--paused “{text}”应为 起:止，如 2026-09-28:2026-10-12。 "
            f"--paused {text!r} must be FROM:TO, e.g. 2026-09-28:2026-10-12."
        )
    return _date(start, "--paused"), _date(end, "--paused")


class Command(BaseCommand):
    help = (
        "答复期限 / Reply deadline: 20 working days after receipt (条例第三十三条), with the trace of every "
        "correction, pause and extension."
    )

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, metavar="DATE", help="收到申请之日 / day received")
        parser.add_argument("--corrected", metavar="DATE", help="收到补正后申请之日 / corrected application received")
        parser.add_argument(
            "--paused",
            action="append",
            default=[],
            metavar="FROM:TO",
            help="不计入的期间（征求意见、缴费）/ a span not counted (consultation, fee); repeatable",
        )
        parser.add_argument(
            "--extended", type=int, default=0, metavar="N", help="延期工作日数（≤20）/ extension in working days"
        )

    def handle(self, *args, **options):
        try:
            clock = calculator_clock(
                current_calendar(),
                received=_date(options["received"], "--received"),
                corrected=_date(options["corrected"], "--corrected") if options["corrected"] else None,
                paused=tuple(_span(text) for text in options["paused"]),
                extended=options["extended"],
                as_of=timezone.localdate(),
            )
        except ClockError as exc:
            raise CommandError(str(exc)) from None
        provisional = " provisional" if clock.provisional else ""
        self.stdout.write(f"{clock.due.isoformat()}{provisional}")
        for line in clock.trace:
            self.stdout.write(f"  {line.text} → {line.due.isoformat() if line.due else '—'}")
        if clock.provisional:
            years = "、".join(str(year) for year in clock.missing_years)
            self.stdout.write(
                f"  暂定：{years}年的节假日安排尚未录入。 Provisional: the calendar of {years} is not entered yet."
            )
