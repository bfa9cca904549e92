"""`gongkai calendar …`: the working-day calendar from the command line, a thin shell over the services."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.workdays import services
from gongkai.workdays.calendar import CalendarYearMissing, current_calendar
from gongkai.workdays.models import CalendarDay


def _date(text: str):
    try:
        return services.parse_date(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _count(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise CommandError(
            f"工作日数“{text}”无效，应为不小于0的整数。 The number of working days {text!r} is not a whole number ≥ 0."
        )
    return value


def _year(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise CommandError(f"年份“{text}”无效。 The year {text!r} is not valid.") from None


class Command(BaseCommand):
    help = (
        "工作日历 / Working-day calendar: import FILE, add-working-days START N, between A B, "
        "is-working-day DATE, complete YEAR, status."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        p = sub.add_parser("import", help="从CSV导入一个年份 / import one year from CSV (date,type,name[,source])")
        p.add_argument("file", help="CSV file, UTF-8; type is 休 or 班 (holiday / workday)")
        p.add_argument("--complete", action="store_true", help="标记为完整 / mark the year complete")
        p.add_argument("--source", default="", help="依据（通知名称和文号）/ the notice and its number")
        p.add_argument("--year", default=None, help="核对年份 / the year the file must contain")
        p.add_argument("--replace", action="store_true", help="替换已完整的年份 / replace a complete year")
        p.add_argument("--by", default=None, help="操作人用户名 / username recorded in the audit log")

        p = sub.add_parser("add-working-days", help="START之后第N个工作日 / the N-th working day after START")
        p.add_argument("start")
        p.add_argument("n")

        p = sub.add_parser("between", help="(A, B]之间的工作日数 / working days in (A, B]")
        p.add_argument("a")
        p.add_argument("b")

        p = sub.add_parser("is-working-day", help="是否为工作日 / whether DATE is a working day")
        p.add_argument("date")

        p = sub.add_parser("complete", help="标记年份为完整 / mark YEAR complete")
        p.add_argument("year")
        p.add_argument("--by", default=None, help="操作人用户名 / username recorded in the audit log")

        sub.add_parser("status", help="各年份状态 / years and whether they are complete")

    def handle(self, *args, action: str, **options):
        handler = getattr(self, "handle_" + action.replace("-", "_"))
        try:
            handler(**options)
        except services.CalendarError as exc:
            raise CommandError(str(exc)) from None

    def _user(self, username: str | None):
        if username is None:
            return None
        User = get_user_model()
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"用户“{username}”不存在。 There is no user {username!r}.") from None

    def _provisional_note(self, missing: tuple[int, ...]) -> None:
        years = "、".join(str(year) for year in missing)
        self.stderr.write(
            f"暂定：{years}年工作日历尚未录入或未标记为完整，按周末推算。 "
            f"Provisional: the calendar of {', '.join(map(str, missing))} is missing; weekends only."
        )

    def handle_import(self, *, file: str, complete: bool, source: str, year, replace: bool, by, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                f"无法读取文件“{file}”：{exc.strerror}。 Cannot read the file {file!r}: {exc.strerror}."
            ) from None
        rows = services.read_calendar_csv(data)
        result = services.import_year(
            rows,
            year=None if year is None else _year(year),
            source=source,
            complete=complete,
            replace=replace,
            by=self._user(by),
        )
        state = "完整 complete" if result.complete else "未完整 not complete"
        self.stdout.write(
            f"{result.year}: {result.holidays} 休 holidays, "
            f"{result.make_up_working_days} 班 make-up working days, "
            f"{state}"
        )

    def handle_add_working_days(self, *, start: str, n: str, **options):
        start_date, count = _date(start), _count(n)
        try:
            due = current_calendar().add_working_days(start_date, count)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(due.date.isoformat() + (" provisional" if due.provisional else ""))
        if due.provisional:
            self._provisional_note(due.missing_years)

    def handle_between(self, *, a: str, b: str, **options):
        count = current_calendar().working_days_between(_date(a), _date(b))
        self.stdout.write(str(count.days) + (" provisional" if count.provisional else ""))
        if count.provisional:
            self._provisional_note(count.missing_years)

    def handle_is_working_day(self, *, date: str, **options):
        day = _date(date)
        try:
            working = current_calendar().is_working_day(day)
        except CalendarYearMissing as exc:
            raise CommandError(str(exc)) from None
        special = CalendarDay.objects.filter(date=day).first()
        note = f" ({special.name} {'调休上班日' if special.is_working_day else '放假'})" if special else ""
        self.stdout.write(f"{day.isoformat()} " + ("工作日 working day" if working else "休息日 rest day") + note)

    def handle_complete(self, *, year: str, by, **options):
        calendar_year = services.mark_year_complete(_year(year), by=self._user(by))
        self.stdout.write(f"{calendar_year.year}: 完整 complete")

    def handle_status(self, **options):
        for calendar_year in services.years_overview():
            state = "完整 complete" if calendar_year.complete else "未完整 NOT complete"
            self.stdout.write(
                f"{calendar_year.year}  {state:<20} {calendar_year.holiday_count:>3} 休  "
                f"{calendar_year.make_up_count:>2} 班  {calendar_year.source}"
            )
        for warning in services.calendar_warnings(timezone.localdate()):
            self.stdout.write(self.style.WARNING(warning))
