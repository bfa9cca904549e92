"""Importing a department's submission: read, check every row, then store all of it or none of it; releasing it.

`import_file` has the file read and every row checked in a child process (`checking`: the standard's fields,
code lists and identifiers, the same decision number twice in one file, a 数据来源单位 other than the
submitter), and writes the accepted rows a chunk at a time (`bulk`) in one transaction: a killed process leaves
nothing behind. By default one bad row rejects the whole submission; with ``accept_valid`` the valid rows are
kept and the others returned. Either way the `Submission` is recorded with its report:
``{"rows", "accepted", "rejected", "errors": [{"row", "column", "field", "value", "message"}]}``, rows numbered as
the spreadsheet shows them (the header is row 1), and the records that became public after their due date.

A record is the pair (authority USCC, decision number): a new submission of it updates it and keeps the old
version (`RecordVersion`). Its publicity is due 7 working days after the decision (国办发〔2015〕51号). An
organisation that holds its submissions for review publishes them when a credit officer releases them
(`release`).

A penalty is published for a period set by its class and the regime of its decision date (`periods`,
STATUTES §3.5): the daily job takes it down at its 公示截止期 (`end_expired_publicity`), a credit officer may
change its class (`set_severity`), and an approved credit repair ends it early (`gongkai.credit.repairs`).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai import audit
from gongkai.credit import auth, bulk, checking, periods, policy, publicity, search, timeliness
from gongkai.credit.models import RECORD_MODELS, CreditSettings, Penalty, Severity, Submission
from gongkai.credit.standard import SEVERITIES, STANDARDS
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.lib.files import sha256_of
from gongkai.orgs.models import Organization
from gongkai.portal import pagecache
from gongkai.portal.models import PageGeneration
from gongkai.upstream import outbox
from gongkai.workdays.calendar import current_calendar

MAX_REPORTED = checking.MAX_REPORTED


@dataclass
class Report:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: list[dict] = field(default_factory=list)
    late: list[dict] = field(default_factory=list)  # accepted records made public after their due date
    file_error: str = ""

    def as_json(self) -> dict:
        summary = asdict(self)
        if not self.file_error:
            summary.pop("file_error")
        return summary


class _Returned(Exception):
    """The submission is returned whole: its rows are rolled back."""


@contextlib.contextmanager
def _on_disk(fileobj: BinaryIO) -> Iterator[str]:
    """A path the checking process can open: the upload's own file when it has one, else a temporary copy."""
    name = getattr(fileobj, "name", None)
    if hasattr(fileobj, "temporary_file_path"):  # a large upload, already on disk
        yield fileobj.temporary_file_path()
    elif isinstance(name, str) and hasattr(fileobj, "fileno") and Path(name).is_file():  # an open file
        yield str(Path(name).resolve())
    else:
        scratch = Path(settings.DATA_DIR) / "tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(prefix="credit-", dir=scratch) as copy:
            fileobj.seek(0)
            shutil.copyfileobj(fileobj, copy, 1 << 20)
            copy.flush()
            yield copy.name


def _job(path: str, name: str, record_type, organization, today, accept_valid) -> checking.Job:
    types = [record_type] if record_type else list(STANDARDS)
    return checking.Job(
        path=path,
        name=name,
        record_type=record_type,
        submitter_uscc=organization.uscc or "",
        today=today.isoformat(),
        accept_valid=accept_valid,
        publish_warnings=CreditSettings.of(organization).publish_warnings,
        overrides={rt: checking.overrides_of(policy.standard_for(rt)) for rt in types},
    )


def late_entries(model, submission: Submission, published_at: datetime.datetime) -> list[dict]:
    """The records of ``submission`` made public at ``published_at`` after their due date, as the report lists
    them (the first `MAX_REPORTED`)."""
    late = timeliness.late(model.objects.filter(submission=submission, first_published_at=published_at))
    return [
        {"decision_number": number, "due": due.isoformat()}
        for number, due in late.order_by("id").values_list("decision_number", "publicity_due")[:MAX_REPORTED]
    ]


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
    today = today or timezone.localdate()
    submission, summary = None, None
    with _on_disk(fileobj) as path:
        messages = checking.check_file(_job(path, name, record_type, organization, today, accept_valid))
        if dry_run:
            for message in messages:
                record_type = message.get("type", record_type)
                summary = message.get("report", summary)
        else:
            try:
                submission, record_type, summary = _write(
                    messages, name, organization, by, channel, accept_valid, today
                )
            except _Returned as returned:
                record_type, summary = returned.args
    report.rows, report.rejected, report.errors = summary["rows"], summary["rejected"], summary["errors"]
    report.file_error = summary["file_error"]
    report.late = submission.late if submission else []
    report.accepted = summary["accepted"]
    if report.rows == 0 and not report.file_error:
        report.file_error = "文件中没有数据行 / the file has no data rows"
    if report.file_error or (report.rejected and not accept_valid):
        report.accepted, report.rejected = 0, report.rows
    if dry_run:
        return None, report
    if submission is None:
        submission = _record_returned(name, organization, by, channel, record_type, report)
    return submission, report


def _write(messages, name, organization, by, channel, accept_valid, today):
    """Write the accepted rows as they come; raise `_Returned` (rolling them back) if the file is returned whole."""
    hold = CreditSettings.of(organization).hold_for_review
    now = timezone.now()
    rules = policy.publicity_rules()
    record_type, writer, summary = None, None, None
    with transaction.atomic():
        submission = Submission.objects.create(
            organization=organization, file_name=name[:255], channel=channel, submitted_by=by,
            outcome=Submission.Outcome.ACCEPTED, held=hold,
        )  # fmt: skip
        for message in messages:
            if "type" in message:
                record_type = message["type"]
                writer = bulk.Writer(
                    RECORD_MODELS[record_type], submission=submission, calendar=current_calendar(), hold=hold,
                    now=now, today=today, rules=rules,
                )  # fmt: skip
            elif "rows" in message:
                writer.write(message["rows"])
            else:
                summary = message["report"]
        if summary["file_error"] or not summary["accepted"] or (summary["rejected"] and not accept_valid):
            raise _Returned(record_type, summary)
        if writer.written != summary["accepted"]:
            raise RuntimeError(f"checking sent {writer.written} rows of {summary['accepted']} accepted")
        writer.close()
        # Every record this submission made public, changed or withdrew goes upstream: one set-based statement.
        outbox.records_changed(RECORD_MODELS[record_type], "t.submission_id = %s", [submission.pk])
        late = [] if hold else late_entries(RECORD_MODELS[record_type], submission, now)
        submission.record_type = record_type
        submission.outcome = Submission.Outcome.PARTIAL if summary["rejected"] else Submission.Outcome.ACCEPTED
        submission.rows, submission.accepted = summary["rows"], summary["accepted"]
        submission.rejected, submission.errors, submission.late = summary["rejected"], summary["errors"], late
        submission.save()
        audit.record(
            by, "credit.submitted", submission, organization=organization,
            summary=f"{name}: {summary['accepted']}/{summary['rows']}", outcome=submission.outcome,
        )  # fmt: skip
        # Last: the page cache's generation row stays locked from here to the commit, moments later.
        pagecache.public_content_changed(PageGeneration.CREDIT)
    return submission, record_type, summary


@transaction.atomic
def _record_returned(name, organization, by, channel, record_type, report: Report) -> Submission:
    submission = Submission.objects.create(
        organization=organization,
        record_type=record_type or "",
        file_name=name[:255],
        channel=channel,
        submitted_by=by,
        outcome=Submission.Outcome.REJECTED,
        rows=report.rows,
        accepted=0,
        rejected=report.rejected,
        errors=report.errors if not report.file_error else [{"row": 0, "message": report.file_error}],
    )
    audit.record(
        by, "credit.submitted", submission, organization=organization, summary=f"{name}: 0/{report.rows}",
        outcome=submission.outcome,
    )  # fmt: skip
    return submission


@transaction.atomic
def release(submission: Submission, *, by) -> int:
    """A credit officer releases a held submission: its records that may be published become public now.
    Returns how many. Records a later submission has replaced are left to that submission."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.held or submission.released_at is not None:
        raise Refused.because("该报送不在待审核状态", "this submission is not awaiting release")
    model = RECORD_MODELS[submission.record_type]
    now = timezone.now()
    ids = _publishable(model, submission, today=timezone.localdate())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        model.objects.filter(pk__in=chunk).update(is_public=True)
        model.objects.filter(pk__in=chunk, first_published_at__isnull=True).update(first_published_at=now)
        search.index(model, f"t.id IN ({', '.join(['%s'] * len(chunk))})", chunk)
    outbox.records_changed(model, "t.submission_id = %s AND t.is_public", [submission.pk])
    submission.released_at, submission.released_by = now, by
    submission.late = late_entries(model, submission, now)
    submission.save(update_fields=["released_at", "released_by", "late"])
    audit.record(by, "credit.released", submission, organization=submission.organization, summary=f"{len(ids)}")
    pagecache.public_content_changed(PageGeneration.CREDIT)
    return len(ids)


def _publishable(model, submission: Submission, *, today: datetime.date) -> list[int]:
    """The ids of the held records of ``submission`` that may be published now: `publicity.is_publishable`, and
    for a penalty, within its publicity period and not ended (`periods`)."""
    standard = STANDARDS[submission.record_type]
    warnings = CreditSettings.of(submission.organization).publish_warnings
    held = model.objects.filter(submission=submission, is_public=False)
    if model is not Penalty:
        rows = held.values_list("id", "data").iterator()
        return [pk for pk, data in rows if publicity.is_publishable(data, standard, publish_warnings=warnings)]
    rules = policy.publicity_rules()

    @functools.cache
    def in_publicity(decided: datetime.date, severity: str) -> bool:
        return periods.in_publicity(periods.periods_of(decided, severity, rules), today)

    rows = held.filter(publicity_ended_at__isnull=True).values_list("id", "data", "decision_date", "severity")
    return [
        pk
        for pk, data, decided, severity in rows.iterator()
        if publicity.is_publishable(data, standard, publish_warnings=warnings) and in_publicity(decided, severity)
    ]


@transaction.atomic
def keep_original(submission: Submission, upload, *, by=None) -> None:
    """Keep the file ``submission`` came in, so that the portal can give it back with its errors marked
    (`gongkai.credit.annotate`). The audit row carries the file's SHA-256: the kept copy is provably the one sent.

    ``upload`` is a Django ``UploadedFile`` (or any named, seekable binary file); it is stored under the
    submission's number, its own name staying in ``submission.file_name``."""

    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    digest = sha256_of(upload)
    submission.original.save(f"{submission.pk}{suffix}", upload, save=False)
    submission.save(update_fields=["original"])
    audit.record(by, "credit.original_kept", submission, summary=submission.file_name, sha256=digest)


# --- the publicity period of a penalty (STATUTES §3.5) ----------------------------------------------------------

END_BATCH = 500  # penalties ended in one transaction by the daily job
SEVERITY_LABELS = {value: label for label, value in SEVERITIES.items()}  # for the audit log, in Chinese


def end_publicity(penalties: list[Penalty], *, reason: str) -> None:
    """Take ``penalties`` (public, and locked or otherwise owned by the caller's transaction) out of public view
    for ``reason`` (`Penalty.EndReason`): their names leave the search index and each is queued for the upstream
    platforms, in this transaction. The end is final: a later version of the record stays out of view (`bulk`).
    The caller writes the audit log."""
    ids = [penalty.pk for penalty in penalties]
    search.unindex(Penalty, f"t.id IN ({', '.join(['%s'] * len(ids))})", ids)
    changes = {"is_public": False, "publicity_ended_at": timezone.now(), "publicity_end_reason": reason}
    if reason == Penalty.EndReason.REPAIRED:
        changes["repair_status"] = Penalty.RepairStatus.REPAIRED
    Penalty.objects.filter(pk__in=ids).update(**changes)
    pagecache.public_content_changed(PageGeneration.CREDIT)
    action = "repair" if reason == Penalty.EndReason.REPAIRED else "end_publicity"
    for penalty in penalties:
        for name, value in changes.items():
            setattr(penalty, name, value)
        outbox.record_changed(penalty, action=action)


def end_expired_publicity(today: datetime.date | None = None) -> int:
    """The daily job: every public penalty whose 公示截止期 is before ``today`` leaves public view (STATUTES §3.5:
    at the maximum, publicity stops automatically). Returns how many; a batch of `END_BATCH` a transaction, each
    with one audit event."""
    today = today or timezone.localdate()
    ended = 0
    while True:
        with transaction.atomic():
            batch = list(
                Penalty.objects.past_publicity(on=today).select_for_update().order_by("id")[:END_BATCH]
            )
            if not batch:
                return ended
            end_publicity(batch, reason=Penalty.EndReason.EXPIRED)
            audit.record(
                None, "credit.publicity_expired", summary=f"{len(batch)} 条行政处罚公示期满", on=today.isoformat(),
                penalties=[penalty.pk for penalty in batch],
            )  # fmt: skip
        ended += len(batch)


@transaction.atomic
def set_severity(penalty: Penalty, *, by, severity: str, reason: str) -> Penalty:
    """A credit officer changes the 失信严重程度 of a penalty (STATUTES §3.5: the class is an input with an audit
    trail). Its periods are counted again; if the new class puts it out of public view (its 公示截止期 has
    passed, or its class is not published), its publicity ends now."""
    if not auth.can_set_severity(by):
        raise Refused.because("只有信用管理员可以调整失信严重程度", "only a credit officer can change the class")
    errors = {}
    if severity not in Severity.values:
        errors["severity"] = "请选择失信严重程度 / choose the class"
    if not reason.strip():
        errors["reason"] = "请填写调整理由 / the reason is required"
    if errors:
        raise FieldErrors(errors)
    penalty = Penalty.objects.select_for_update().select_related("source").get(pk=penalty.pk)
    if severity == penalty.severity:
        raise Refused.because("失信严重程度没有变化", "the class is unchanged")
    before = penalty.severity
    counted = periods.periods_of(penalty.decision_date, severity, policy.publicity_rules())
    penalty.severity = severity
    penalty.publicity_min_until = counted.min_until if counted else None
    penalty.publicity_max_until = counted.max_until if counted else None
    penalty.save(update_fields=["severity", "publicity_min_until", "publicity_max_until"])
    audit.record(
        by, "credit.severity_set", penalty, organization=penalty.source,
        summary=f"{penalty.decision_number}：{SEVERITY_LABELS[before]}→{SEVERITY_LABELS[severity]}",
        before=before, after=severity, reason=reason.strip(),
        publicity_min_until=_iso(penalty.publicity_min_until), publicity_max_until=_iso(penalty.publicity_max_until),
    )  # fmt: skip
    today = timezone.localdate()
    if penalty.is_public and not periods.in_publicity(counted, today):
        expired = counted.max_until < today
        end_publicity([penalty], reason=Penalty.EndReason.EXPIRED if expired else Penalty.EndReason.UNPUBLISHED)
    return penalty


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""
