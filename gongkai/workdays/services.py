"""Every change to the working-day calendar (工作日历), one named function each.

Each service owns its transaction, gives the touched year a new revision (so every process reloads its
calendar, see `calendar.current_calendar`) and writes the audit log in the same transaction. The
command line and the admin call these and nothing else.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from gongkai import audit
from gongkai.workdays.models import FIRST_YEAR, LAST_YEAR, CalendarDay, CalendarYear, check_day

# Values accepted in the `type` column, mapped to is_working_day.
DAY_TYPES = {"休": False, "holiday": False, "班": True, "workday": True}
MAX_REPORTED_ERRORS = 50


class CalendarError(ValueError):
    """A calendar change was refused. `errors` holds one bilingual message per problem."""

    def __init__(self, errors: str | Sequence[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        shown = self.errors[:MAX_REPORTED_ERRORS]
        if len(self.errors) > len(shown):
            shown.append(f"……另有{len(self.errors) - len(shown)}个错误。 …and {len(self.errors) - len(shown)} more.")
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class DayRow:
    """One row as read from an import file, before validation. `line` is its line number in the file."""

    line: int
    date: str
    type: str
    name: str
    source: str = ""


@dataclass(frozen=True)
class ImportResult:
    year: int
    holidays: int
    make_up_working_days: int
    complete: bool
    replaced: int


def _mark(is_working_day: bool) -> str:
    return "班" if is_working_day else "休"


def _bump(year: CalendarYear, *fields: str) -> None:
    """Give the year a new revision and update time, saving `fields` with them."""
    year.revision = uuid.uuid4()
    year.updated_at = timezone.now()
    year.save(update_fields=[*fields, "revision", "updated_at"])


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError(
            f"年份“{year}”无效，应在{FIRST_YEAR}至{LAST_YEAR}之间。 "
            f"The year {year!r} is not valid; expected {FIRST_YEAR} to {LAST_YEAR}."
        )


def _get_year(year: int, *, lock: bool = True) -> CalendarYear:
    _check_year(year)
    queryset = CalendarYear.objects.select_for_update() if lock else CalendarYear.objects
    try:
        return queryset.get(year=year)
    except CalendarYear.DoesNotExist:
        raise CalendarError(f"没有{year}年的工作日历。 There is no working-day calendar for {year}.") from None


_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(text: str) -> date:
    """A date written as YYYY-MM-DD (also YYYY/M/D, as spreadsheets write it). ValueError names the text."""
    match = _DATE_RE.match(text.strip())
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise ValueError(
        f"日期“{text}”无效，应为真实存在的日期，格式YYYY-MM-DD。 "
        f"The date {text!r} is not a real date in the form YYYY-MM-DD."
    )


# --- reading an import file -------------------------------------------------------------------------

REQUIRED_COLUMNS = ("date", "type", "name")


def read_calendar_csv(data: bytes | str) -> list[DayRow]:
    """The rows of a calendar CSV file: UTF-8 (with or without BOM), header `date,type,name[,source]`.

    `type` is 休 (holiday) or 班 (make-up working day), or `holiday` / `workday`.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CalendarError(
                f"文件不是UTF-8编码（第{exc.start + 1}个字节）。请另存为“CSV UTF-8”。 "
                f'The file is not UTF-8 (byte {exc.start + 1}); save it as "CSV UTF-8".'
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CalendarError("文件为空。 The file is empty.")
    columns = [column.strip().lower() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise CalendarError(
            f"第1行（表头）缺少列：{', '.join(missing)}；"
            f"表头应为 date,type,name[,source]，实际为“{','.join(header)}”。 "
            f"Row 1 (header) lacks the columns {', '.join(missing)}; expected date,type,name[,source], "
            f"got {','.join(header)!r}."
        )
    position = {column: columns.index(column) for column in (*REQUIRED_COLUMNS, "source") if column in columns}
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue

        def cell(column: str, values: list[str] = values) -> str:
            index = position.get(column)
            return values[index].strip() if index is not None and index < len(values) else ""

        rows.append(DayRow(line, cell("date"), cell("type"), cell("name"), cell("source")))
    return rows


@dataclass(frozen=True)
class _CleanDay:
    date: date
    is_working_day: bool
    name: str
    source: str


def _validate_rows(rows: Sequence[DayRow], year: int | None) -> tuple[int, list[_CleanDay]]:
    """Phase 1 of an import: every row checked, every problem collected, nothing written."""
    errors: list[str] = []
    clean: list[_CleanDay] = []
    seen: dict[date, int] = {}
    if not rows:
        raise CalendarError("文件中没有数据行。 The file has no data rows.")
    for row in rows:
        where_zh, where_en = f"第{row.line}行", f"row {row.line}"
        try:
            day = parse_date(row.date)
        except ValueError as exc:
            errors.append(
                f"{where_zh}：{exc}" if row.date else f"{where_zh}：日期为空。 {where_en}: the date is empty."
            )
            continue
        if year is None:
            year = day.year
        if day.year != year:
            errors.append(
                f"{where_zh}：日期{day.isoformat()}不在{year}年内（一次只能导入一个年份）。 "
                f"{where_en}: the date {day.isoformat()} is not in {year} (import one year at a time)."
            )
            continue
        if day in seen:
            errors.append(
                f"{where_zh}：日期{day.isoformat()}与第{seen[day]}行重复。 "
                f"{where_en}: the date {day.isoformat()} repeats row {seen[day]}."
            )
            continue
        seen[day] = row.line
        kind = DAY_TYPES.get(row.type.strip().lower())
        if kind is None:
            errors.append(
                f"{where_zh}：类别“{row.type}”无效，应为“休”或“班”（holiday / workday）。 "
                f"{where_en}: the type {row.type!r} is not valid; expected 休 or 班 (holiday / workday)."
            )
            continue
        name = row.name.strip()
        if not name:
            errors.append(f"{where_zh}：名称为空（如：春节）。 {where_en}: the name is empty (e.g. 春节).")
            continue
        if len(name) > 50:
            errors.append(
                f"{where_zh}：名称“{name}”超过50个字。 {where_en}: the name {name!r} is longer than 50 characters."
            )
            continue
        if len(row.source) > 200:
            errors.append(f"{where_zh}：来源超过200个字。 {where_en}: the source is longer than 200 characters.")
            continue
        problems = check_day(day, kind)
        if problems:
            errors.extend(f"{where_zh}：{problem}" for problem in problems)
            continue
        clean.append(_CleanDay(day, kind, name, row.source))
    if errors:
        raise CalendarError(errors)
    assert year is not None
    return year, clean


@transaction.atomic
def import_year(
    rows: Sequence[DayRow],
    *,
    year: int | None = None,
    source: str = "",
    complete: bool = False,
    replace: bool = False,
    by=None,
) -> ImportResult:
    """Enter one year of the State Council notice, all or nothing.

    The notice is 国务院办公厅关于YYYY年部分节假日安排的通知.

    Every row is checked first: a real date in the year (the year of the first row when `year` is not
    given), no date twice, an explicit type (休 or 班), a name, and a make-up working day only on a
    Saturday or Sunday. Any problem refuses the whole file, naming each row and value. Then the year's
    rows are replaced by the file's. A year already complete is replaced only with `replace`, so that a
    published calendar is not overwritten by mistake. The year is complete afterwards exactly when
    `complete` is given (so replacing a complete year without it reopens the year).
    """
    if year is not None:
        _check_year(year)
    year, clean = _validate_rows(rows, year)
    _check_year(year)
    source = source.strip()
    if len(source) > 200:
        raise CalendarError("依据超过200个字。 The source is longer than 200 characters.")
    calendar_year, created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    was_complete = calendar_year.complete
    if was_complete and not replace:
        raise CalendarError(
            f"{year}年工作日历已标记为完整，未覆盖。如需整年替换请使用 --replace，或在管理界面逐日修改。 "
            f"The {year} working-day calendar is already complete and was not overwritten; use --replace to "
            f"replace the whole year, or correct single days in the admin."
        )
    replaced, _ = calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=day.date,
                is_working_day=day.is_working_day,
                name=day.name,
                source=day.source or source,
                year=calendar_year,
            )
            for day in clean
        ]
    )
    fields = []
    if source:
        calendar_year.source = source
        fields.append("source")
    if complete != was_complete:
        calendar_year.complete = complete
        calendar_year.completed_at = timezone.now() if complete else None
        calendar_year.completed_by = by if complete else None
        fields += ["complete", "completed_at", "completed_by"]
    _bump(calendar_year, *fields)
    result = ImportResult(
        year=year,
        holidays=sum(not day.is_working_day for day in clean),
        make_up_working_days=sum(day.is_working_day for day in clean),
        complete=complete,
        replaced=replaced,
    )
    audit.record(
        by,
        "calendar.year_imported",
        calendar_year,
        summary=(
            f"导入{year}年工作日历：{result.holidays}个节假日、{result.make_up_working_days}个调休上班日"
            f"{'，标记为完整' if complete else ''}。"
        ),
        year=year,
        source=calendar_year.source,
        holidays=result.holidays,
        make_up_working_days=result.make_up_working_days,
        complete=complete,
        was_complete=was_complete,
        created=created,
        replaced_rows=replaced,
        days=[[day.date.isoformat(), "班" if day.is_working_day else "休", day.name] for day in clean],
    )
    return result


@transaction.atomic
def save_year(year: int, *, source: str, by=None) -> CalendarYear:
    """Create a year (not complete) or change its source (依据)."""
    _check_year(year)
    source = source.strip()
    calendar_year, created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    previous = calendar_year.source
    calendar_year.source = source
    _bump(calendar_year, "source")
    audit.record(
        by,
        "calendar.year_created" if created else "calendar.year_changed",
        calendar_year,
        summary=f"{'新建' if created else '修改'}{year}年工作日历：{source}",
        year=year,
        source=source,
        previous_source=previous,
    )
    return calendar_year


@transaction.atomic
def set_day(day: date, *, is_working_day: bool, name: str, source: str = "", by=None) -> CalendarDay:
    """Enter or correct one special date. Its year is created (not complete) if it does not exist."""
    _check_year(day.year)
    name = name.strip()
    errors = check_day(day, is_working_day)
    if not name:
        errors.append(f"{day.isoformat()}的名称为空。 The name of {day.isoformat()} is empty.")
    if errors:
        raise CalendarError(errors)
    calendar_year, _ = CalendarYear.objects.select_for_update().get_or_create(year=day.year)
    previous = CalendarDay.objects.filter(date=day).values("is_working_day", "name", "source").first()
    calendar_day, created = CalendarDay.objects.update_or_create(
        date=day,
        defaults={
            "is_working_day": is_working_day,
            "name": name,
            "source": source.strip(),
            "year": calendar_year,
        },
    )
    _bump(calendar_year)
    audit.record(
        by,
        "calendar.day_set",
        calendar_year,
        summary=f"{'新增' if created else '修改'}{day.isoformat()}：{name}（{_mark(is_working_day)}）",
        date=day.isoformat(),
        is_working_day=is_working_day,
        name=name,
        source=calendar_day.source,
        previous=previous,
        year_complete=calendar_year.complete,
    )
    return calendar_day


@transaction.atomic
def delete_day(day: date, *, by=None) -> None:
    """Remove a special date: the day then follows the Monday–Friday rule."""
    try:
        calendar_day = CalendarDay.objects.select_related("year").get(date=day)
    except CalendarDay.DoesNotExist:
        raise CalendarError(
            f"{day.isoformat()}不是已录入的节假日或调休上班日。 {day.isoformat()} is not an entered special date."
        ) from None
    calendar_year = CalendarYear.objects.select_for_update().get(year=calendar_day.year_id)
    calendar_day.delete()
    _bump(calendar_year)
    audit.record(
        by,
        "calendar.day_deleted",
        calendar_year,
        summary=f"删除{day.isoformat()}：{calendar_day.name}（{_mark(calendar_day.is_working_day)}）",
        date=day.isoformat(),
        is_working_day=calendar_day.is_working_day,
        name=calendar_day.name,
        year_complete=calendar_year.complete,
    )


@transaction.atomic
def mark_year_complete(year: int, *, by=None) -> CalendarYear:
    """Declare that every holiday and make-up working day of `year` has been entered.

    From now on deadlines that reach into `year` are exact, no longer provisional. A year without a
    single holiday cannot be complete (every State Council notice has 元旦 and 春节).
    """
    calendar_year = _get_year(year)
    if calendar_year.complete:
        raise CalendarError(f"{year}年工作日历已是完整的。 The {year} working-day calendar is already complete.")
    if not calendar_year.days.filter(is_working_day=False).exists():
        raise CalendarError(
            f"{year}年还没有录入任何节假日，不能标记为完整。 "
            f"No holiday has been entered for {year}, so it cannot be marked complete."
        )
    calendar_year.complete = True
    calendar_year.completed_at = timezone.now()
    calendar_year.completed_by = by
    _bump(calendar_year, "complete", "completed_at", "completed_by")
    audit.record(
        by,
        "calendar.year_completed",
        calendar_year,
        summary=f"{year}年工作日历标记为完整。",
        year=year,
        source=calendar_year.source,
        holidays=calendar_year.days.filter(is_working_day=False).count(),
        make_up_working_days=calendar_year.days.filter(is_working_day=True).count(),
    )
    return calendar_year


@transaction.atomic
def reopen_year(year: int, *, reason: str = "", by=None) -> CalendarYear:
    """Take back the mark complete (e.g. the notice was entered wrongly): the year is provisional again."""
    calendar_year = _get_year(year)
    if not calendar_year.complete:
        raise CalendarError(f"{year}年工作日历本来就未标记为完整。 The {year} working-day calendar is not complete.")
    calendar_year.complete = False
    calendar_year.completed_at = None
    calendar_year.completed_by = None
    _bump(calendar_year, "complete", "completed_at", "completed_by")
    audit.record(
        by,
        "calendar.year_reopened",
        calendar_year,
        summary=f"{year}年工作日历取消“完整”标记。{reason}",
        year=year,
        reason=reason,
    )
    return calendar_year


# --- reading ----------------------------------------------------------------------------------------


def missing_years(today: date) -> list[int]:
    """The current and the next year, those whose calendar is not complete (for warnings)."""
    wanted = [today.year, today.year + 1]
    complete = set(CalendarYear.objects.complete().filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in complete]


def calendar_warnings(today: date) -> list[str]:
    """Bilingual warnings for administrators about missing years (shown on admin and staff pages)."""
    return [
        f"{year}年工作日历尚未录入或未标记为完整：涉及该年的期限只能按周末推算，标为“暂定”。"
        f"请根据国务院办公厅关于{year}年部分节假日安排的通知录入。 / "
        f"The {year} working-day calendar is missing or not marked complete: deadlines reaching into {year} "
        f"are counted by weekends only and marked provisional. Enter it from the State Council notice."
        for year in missing_years(today)
    ]


def years_overview() -> Iterable[CalendarYear]:
    """Every year with its holiday and make-up working day counts (for `calendar status`)."""
    from django.db.models import Count, Q

    return CalendarYear.objects.order_by("year").annotate(
        holiday_count=Count("days", filter=Q(days__is_working_day=False)),
        make_up_count=Count("days", filter=Q(days__is_working_day=True)),
    )
