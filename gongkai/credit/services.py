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
"""

from __future__ import annotations

import contextlib
import datetime
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
from gongkai.credit import bulk, checking, policy, publicity, search, timeliness
from gongkai.credit.models import RECORD_MODELS, CreditSettings, Submission
from gongkai.credit.standard import STANDARDS
from gongkai.lib.errors import Refused
from gongkai.lib.files import sha256_of
from gongkai.orgs.models import Organization
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
                submission, record_type, summary = _write(messages, name, organization, by, channel, accept_valid)
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


def _write(messages, name, organization, by, channel, accept_valid):
    """Write the accepted rows as they come; raise `_Returned` (rolling them back) if the file is returned whole."""
    hold = CreditSettings.of(organization).hold_for_review
    now = timezone.now()
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
                    RECORD_MODELS[record_type], submission=submission, calendar=current_calendar(), hold=hold, now=now
                )
            elif "rows" in message:
                writer.write(message["rows"])
            else:
                summary = message["report"]
        if summary["file_error"] or not summary["accepted"] or (summary["rejected"] and not accept_valid):
            raise _Returned(record_type, summary)
        if writer.written != summary["accepted"]:
            raise RuntimeError(f"checking sent {writer.written} rows of {summary['accepted']} accepted")
        writer.close()
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
    standard = STANDARDS[submission.record_type]
    settings_ = CreditSettings.of(submission.organization)
    now = timezone.now()
    held = model.objects.filter(submission=submission, is_public=False).values_list("id", "data")
    ids = [
        pk
        for pk, data in held.iterator()
        if publicity.is_publishable(data, standard, publish_warnings=settings_.publish_warnings)
    ]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        model.objects.filter(pk__in=chunk).update(is_public=True)
        model.objects.filter(pk__in=chunk, first_published_at__isnull=True).update(first_published_at=now)
        search.index(model, f"t.id IN ({', '.join(['%s'] * len(chunk))})", chunk)
    submission.released_at, submission.released_by = now, by
    submission.late = late_entries(model, submission, now)
    submission.save(update_fields=["released_at", "released_by", "late"])
    audit.record(by, "credit.released", submission, organization=submission.organization, summary=f"{len(ids)}")
    return len(ids)


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
