"""Importing a department's submission: read, check every row, then store all of it or none of it.

`import_file` reads the file (`reader`), checks each row against the standard (`rows.check_row`) and across rows
(the same decision number twice in one file; a 数据来源单位 other than the submitter), and writes in one
transaction: a killed process leaves nothing behind. By default one bad row rejects the whole submission;
with ``accept_valid`` the valid rows are kept and the others returned. Either way the `Submission` is recorded
with its report: ``{"rows", "accepted", "rejected", "errors": [{"row", "column", "field", "value", "message"}]}``,
rows numbered as the spreadsheet shows them (the header is row 1).

A record is the pair (authority USCC, decision number): a new submission of it updates it and keeps the old
version (`RecordVersion`). Its publicity is due 7 working days after the decision (国办发〔2015〕51号).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from gongkai import audit
from gongkai.credit import publicity
from gongkai.credit.models import CreditSettings, Licence, Penalty, RecordType, RecordVersion, Submission
from gongkai.credit.reader import FileProblem, column_letter, read
from gongkai.credit.rows import check_row
from gongkai.credit.standard import STANDARDS, Standard
from gongkai.lib.text import normalize_text
from gongkai.orgs.models import Organization
from gongkai.workdays.calendar import current_calendar

PUBLICITY_DAYS = 7  # 国办发〔2015〕51号 §(十八)
MAX_REPORTED_ERRORS = 1000  # the report lists this many; the counts are always exact
MODELS = {RecordType.LICENCE: Licence, RecordType.PENALTY: Penalty}


@dataclass
class Report:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: list[dict] = field(default_factory=list)
    late: list[dict] = field(default_factory=list)  # accepted records published after their due date
    file_error: str = ""

    def add(self, *, row: int, column: str, field_code: str, value: str, message: str) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(
                {"row": row, "column": column, "field": field_code, "value": value[:200], "message": message}
            )

    def as_json(self) -> dict:
        summary = asdict(self)
        if not self.file_error:
            summary.pop("file_error")
        return summary


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _columns(standard: Standard, values: dict, organization: Organization, submission: Submission, due) -> dict:
    prefix = standard.prefix
    common = {
        "authority_uscc": values[standard.authority_code_field()],
        "decision_number": values[standard.decision_number_field()],
        "subject_name": values[f"{prefix}_XDR_MC"],
        "name_norm": normalize_text(values[f"{prefix}_XDR_MC"])[:200],
        "subject_kind": values[f"{prefix}_XDR_LB"],
        "subject_uscc": values.get(f"{prefix}_XDR_SHXYM") or "",
        "decision_date": values[f"{prefix}_JDRQ"],
        "status": values[f"{prefix}_ZT"] if prefix == "XK" else "有效",
        "data": {code: _text(value) for code, value in values.items()},
        "source": organization,
        "submission": submission,
        "publicity_due": due,
    }
    if standard.record_type == RecordType.LICENCE:
        return {
            **common,
            "category": values["XK_XKLB"],
            "valid_from": values["XK_YXQZ"],
            "valid_to": values["XK_YXQZI"],
        }
    return {
        **common,
        "categories": _text(values["CF_CFLB"]),
        "fine": values.get("CF_NR_FK"),
        "confiscated": values.get("CF_NR_WFFF"),
    }


def _store(standard: Standard, accepted: list[dict], organization, submission: Submission, report: Report) -> None:
    """Create or update each record and keep the version. A record is public once accepted, unless the
    organisation holds submissions for review or the publicity rules keep it back (`publicity`)."""
    model = MODELS[standard.record_type]
    calendar = current_calendar()
    settings = CreditSettings.of(organization)
    now = timezone.now()
    for values in accepted:
        due = calendar.add_working_days(values[standard.decision_date_field()], PUBLICITY_DAYS).date
        columns = _columns(standard, values, organization, submission, due)
        public = not settings.hold_for_review and publicity.is_publishable(
            columns["data"], standard, publish_warnings=settings.publish_warnings
        )
        record, _created = model.objects.update_or_create(
            authority_uscc=columns.pop("authority_uscc"),
            decision_number=columns.pop("decision_number"),
            defaults={**columns, "is_public": public},
            create_defaults={**columns, "is_public": public, "first_published_at": now if public else None},
        )
        if public and record.first_published_at is None:
            record.first_published_at = now
            record.save(update_fields=["first_published_at"])
        published = record.first_published_at
        if (
            published
            and published == now
            and timezone.localtime(now).date() > due
            and len(report.late) < MAX_REPORTED_ERRORS
        ):
            report.late.append({"decision_number": record.decision_number, "due": due.isoformat()})
        RecordVersion.objects.create(
            record_type=standard.record_type, record_id=record.pk, submission=submission, data=columns["data"]
        )


def detect_record_type(fileobj: BinaryIO, name: str) -> str:
    """行政许可 or 行政处罚, from the file's header row."""
    problems = []
    for record_type, standard in STANDARDS.items():
        fileobj.seek(0)
        try:
            next(read(fileobj, name, standard), None)
        except FileProblem as problem:
            problems.append(str(problem))
            continue
        finally:
            fileobj.seek(0)
        return record_type
    raise FileProblem(problems[0])


def _check_rows(fileobj: BinaryIO, name: str, standard: Standard, organization, today, report: Report) -> list[dict]:
    """Every row checked; the values of the good ones. Problems go into ``report``."""
    accepted: list[dict] = []
    seen: dict[str, int] = {}
    number_field = standard.decision_number_field()
    source_field = "XK_LYDWDM" if standard.prefix == "XK" else "CF_SJLYDM"
    for raw in read(fileobj, name, standard):
        report.rows += 1
        result = check_row(raw.cells, standard, today=today)

        def reject(field_code: str, value: str, message: str, raw=raw) -> None:
            column = column_letter(raw.columns[field_code]) if field_code in raw.columns else ""
            report.add(row=raw.number, column=column, field_code=field_code, value=value, message=message)

        for problem in raw.problems:
            reject("", "", problem)
        for error in result.errors:
            reject(error.field, error.value, error.message)
        bad = bool(result.errors or raw.problems)
        source = result.values.get(source_field)
        if not bad and organization.uscc and source != organization.uscc:
            bad = True
            reject(
                source_field,
                source,
                f"数据来源单位应为报送单位（{organization.uscc}） / the source must be the submitter",
            )
        key = f"{result.values.get(standard.authority_code_field())}|{result.values.get(number_field)}"
        if not bad and key in seen:
            bad = True
            number = result.values[number_field]
            reject(number_field, number, f"决定文书号“{number}”与第{seen[key]}行重复 / repeats row {seen[key]}")
        seen.setdefault(key, raw.number)
        if bad:
            report.rejected += 1
        else:
            accepted.append(result.values)
    return accepted


def import_file(
    fileobj: BinaryIO,
    name: str,
    *,
    record_type: str | None = None,
    organization: Organization,
    by=None,
    channel: str = "command",
    dry_run: bool = False,
    accept_valid: bool = False,
    today: datetime.date | None = None,
) -> tuple[Submission | None, Report]:
    """Check and store one file. Returns the recorded submission (None for a dry run) and its report."""
    report = Report()
    accepted: list[dict] = []
    try:
        record_type = record_type or detect_record_type(fileobj, name)
        accepted = _check_rows(
            fileobj, name, STANDARDS[record_type], organization, today or timezone.localdate(), report
        )
    except FileProblem as problem:
        report.file_error = str(problem)
    if report.rows == 0 and not report.file_error:
        report.file_error = "文件中没有数据行 / the file has no data rows"
    if report.file_error or (report.rejected and not accept_valid):
        report.rejected, accepted = report.rows, []
    report.accepted = len(accepted)
    if dry_run:
        return None, report
    if report.accepted and not report.rejected:
        outcome = Submission.Outcome.ACCEPTED
    else:
        outcome = Submission.Outcome.PARTIAL if report.accepted else Submission.Outcome.REJECTED
    with transaction.atomic():
        submission = Submission.objects.create(
            organization=organization,
            record_type=record_type or "",
            file_name=name[:255],
            channel=channel,
            submitted_by=by,
            outcome=outcome,
            rows=report.rows,
            accepted=report.accepted,
            rejected=report.rejected,
            errors=report.errors if not report.file_error else [{"row": 0, "message": report.file_error}],
        )
        if accepted:
            _store(STANDARDS[record_type], accepted, organization, submission, report)
        audit.record(
            by,
            "credit.submitted",
            submission,
            organization=organization,
            summary=f"{name}: {report.accepted}/{report.rows}",
            outcome=outcome,
        )
    return submission, report
