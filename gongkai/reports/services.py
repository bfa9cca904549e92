"""The annual report's workflow: prepared (counted from data, narrative drafted) → edited → signed off by the
office head → published in the 政府信息公开年报 column with its index number (issue 8, item 4). Each step is
one function that owns its transaction and writes the audit log.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai import audit
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Column, Publication
from gongkai.lib import files
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.lib.html import sanitize
from gongkai.orgs.models import OrganizationKind
from gongkai.reports import auth, checks, figures, layout, narrative, parse, rollup
from gongkai.reports.models import AnnualReport, ReportSettings, RollUp

Status = AnnualReport.Status
COLUMN = "annual-reports"
MAX_FEES = Decimal("99999999.99")


def title_for(organization, year: int) -> str:
    return f"{organization.name}{year}年政府信息公开工作年度报告"


def statutory_deadline(organization, year: int) -> datetime.date:
    """条例第四十九条: a 县级以上人民政府部门 publishes last year's report by 31 January; a government's report is
    published by its 主管部门 by 31 March. Streets, towns and institutions follow the departments' date."""
    if organization.kind == OrganizationKind.GOVERNMENT:
        return datetime.date(year + 1, 3, 31)
    return datetime.date(year + 1, 1, 31)


def report_settings(organization) -> ReportSettings:
    """The organisation's `ReportSettings`, or the defaults (20 January, reminded 10 days before) if it has none."""
    return ReportSettings.objects.filter(organization=organization).first() or ReportSettings()


def internal_deadline(organization, year: int, policy: ReportSettings | None = None) -> datetime.date:
    """The organisation's own deadline for the report on ``year``, never after the statutory one."""
    policy = policy or report_settings(organization)
    return min(policy.internal_deadline(year), statutory_deadline(organization, year))


def document_of(report: AnnualReport) -> dict:
    """The report as the exports and the page render it (`gongkai.reports.export`)."""
    publication = report.publication
    return {
        "title": report.title,
        "organization": report.organization.name,
        "year": report.year,
        "figures": report.figures,
        "narrative": {key: report.narrative.get(key, "") for key in layout.NARRATIVE_SECTIONS},
        "index_no": publication.index_no if publication and publication.index_no else "",
        "published_on": timezone.localtime(publication.published_at).date().isoformat()
        if publication and publication.published_at
        else "",
    }


def counted_now(organization, year: int, *, hand_entered: dict | None = None) -> AnnualReport:
    """The report ``year`` would be if it were prepared now (not saved), its written sections the first draft.
    A government's report covers the government as a whole (条例第四十九条): its figures are the sum of its own and
    its members' (`rollup`); so does a department's that covers its affiliated institutions."""
    report = AnnualReport(organization=organization, year=year, title=title_for(organization, year))
    if rollup.rolls_up(organization):
        rolled = rollup.roll_up(organization, year, hand_entered=hand_entered)
        report.figures, report.processing_fees = rolled.figures, rolled.processing_fees
    else:
        report.figures = figures.count(organization, year, hand_entered=hand_entered)
        report.processing_fees = figures.processing_fees(organization, year)
    report.narrative = narrative.draft(organization.name, year, report.figures, processing_fees=report.processing_fees)
    return report


def last_year_of(report: AnnualReport) -> AnnualReport | None:
    """The same organisation's report on the year before, when the system has it with tables."""
    earlier = AnnualReport.objects.for_year(report.organization, report.year - 1)
    return earlier if earlier is not None and earlier.figures.get("table3") else None


def problems(report: AnnualReport) -> list[checks.Failure]:
    """Every identity the report breaks, 上年结转 against last year's 结转下年度 included (when the system has it)."""
    if not report.figures.get("table3"):
        return []
    earlier = last_year_of(report)
    return checks.check(report.figures, last_year=earlier.figures if earlier else None)


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("organization").get(pk=report.pk)


@transaction.atomic
def prepare(organization, year: int, *, by) -> AnnualReport:
    """Count the figures of ``year`` from the system's data into a draft (a new one, or the existing draft counted
    again: hand-entered cells and edited text are kept). The written sections start as a draft from the figures."""
    if not auth.can_prepare(by, organization):
        raise Refused.because(
            f"您不能编制{organization.name}的年度报告", f"you cannot prepare {organization.name}'s report"
        )
    if year >= timezone.localdate().year + 1:
        raise Refused.because(f"{year}年尚未开始", f"the year {year} has not begun")
    report = AnnualReport.objects.select_for_update().filter(organization=organization, year=year).first()
    if report is not None and not report.is_editable:
        raise Refused.because(
            f"{year}年度报告已{report.get_status_display()}，不能重新统计",
            f"the {year} report is {report.status}: it cannot be counted again",
        )
    created = report is None
    if created:
        report = AnnualReport(organization=organization, year=year, title=title_for(organization, year), prepared_by=by)
    fresh = counted_now(organization, year, hand_entered=figures.hand_entered_of(report))
    report.figures, report.processing_fees = fresh.figures, fresh.processing_fees
    report.narrative = {key: report.narrative.get(key) or fresh.narrative[key] for key in layout.NARRATIVE_SECTIONS}
    report.counted_at = timezone.now()
    report.save()
    audit.record(
        by, "report.prepared" if created else "report.recounted", report, organization=organization,
        summary=report.title, year=year,
    )  # fmt: skip
    return report


def _clean_hand_entered(values: dict) -> tuple[dict, dict]:
    errors, cleaned = {}, {}
    if "coercion" in values:
        try:
            cleaned["coercion"] = int(str(values["coercion"]).strip())
            if cleaned["coercion"] < 0:
                raise ValueError
        except ValueError:
            errors["coercion"] = "行政强制决定数量应为非负整数 / 行政强制 must be a whole number ≥ 0"
    if "fees" in values:
        try:
            amount = Decimal(str(values["fees"]).strip() or "0")
            if not amount.is_finite() or amount < 0 or amount > MAX_FEES or amount != round(amount, 4):
                raise InvalidOperation
            cleaned["fees"] = str(amount)
        except InvalidOperation:
            errors["fees"] = "行政事业性收费金额应为不小于0的数，单位万元，最多4位小数 / the amount in 万元, ≥ 0"
    return cleaned, errors


@transaction.atomic
def edit(report: AnnualReport, *, by, narrative: dict | None = None, **hand_entered) -> AnnualReport:
    """Change a draft's written sections and its hand-entered cells (行政强制; 行政事业性收费 in 万元)."""
    report = _lock(report)
    if not auth.can_prepare(by, report.organization):
        raise Refused.because("您不能修改这份年度报告", "you cannot edit this report")
    if not report.is_editable:
        raise Refused.because("只能修改草稿", "only a draft can be edited")
    unknown = set(hand_entered) - set(layout.HAND_ENTERED)
    if unknown:
        raise ValueError(f"not hand-entered: {sorted(unknown)}")
    cleaned, errors = _clean_hand_entered(hand_entered)
    if narrative is not None:
        for key in layout.NARRATIVE_SECTIONS:
            if not (narrative.get(key) or "").strip():
                errors[key] = "这一部分不能为空 / this section cannot be empty"
    if errors:
        raise FieldErrors(errors)
    changed = []
    for key, value in cleaned.items():
        if report.figures["table2"][key] != value:
            report.figures["table2"][key] = value
            changed.append(key)
    if narrative is not None:
        for key in layout.NARRATIVE_SECTIONS:
            text = narrative[key].strip().replace("\r\n", "\n")
            if report.narrative.get(key) != text:
                report.narrative[key] = text
                changed.append(key)
    if changed:
        report.save(update_fields=["figures", "narrative", "updated_at"])
        audit.record(
            by, "report.edited", report, organization=report.organization, summary=report.title, fields=changed
        )
    return report


@transaction.atomic
def sign_off(report: AnnualReport, *, by) -> AnnualReport:
    """The office head signs the draft off. Refused while any identity fails (each named with its cells)."""
    report = _lock(report)
    if not auth.can_sign_off(by, report.organization):
        raise Refused.because("只有本机关的公开办负责人可以签发年度报告", "only the office head signs the report off")
    if not report.is_editable:
        raise Refused.because("只能签发草稿", "only a draft can be signed off")
    failures = problems(report)
    if failures:
        raise Refused.because(
            "勾稽关系不符，不能签发：" + "；".join(failure.message.split(" / ")[0] for failure in failures),
            "the figures do not add up: " + "; ".join(failure.message.split(" / ")[-1] for failure in failures),
        )
    report.status = Status.SIGNED_OFF
    report.signed_off_by, report.signed_off_at = by, timezone.now()
    report.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    audit.record(by, "report.signed_off", report, organization=report.organization, summary=report.title)
    return report


@transaction.atomic
def reopen(report: AnnualReport, *, by, reason: str) -> AnnualReport:
    """The office head takes a signed-off report back to draft (before it is published), with a reason."""
    report = _lock(report)
    if not auth.can_sign_off(by, report.organization):
        raise Refused.because("只有本机关的公开办负责人可以退回年度报告", "only the office head can reopen the report")
    if report.status != Status.SIGNED_OFF:
        raise Refused.because("只能退回已签发、未发布的报告", "only a signed-off report that is not published")
    if not reason.strip():
        raise FieldErrors({"reason": "请写明退回理由 / the reason is required"})
    report.status, report.signed_off_by, report.signed_off_at = Status.DRAFT, None, None
    report.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    audit.record(by, "report.reopened", report, organization=report.organization, summary=report.title, reason=reason)
    return report


@transaction.atomic
def publish(report: AnnualReport, *, by) -> AnnualReport:
    """Publish the signed-off report in the organisation's 政府信息公开年报 column: a publication approved by the
    office head's sign-off, made public by one of the organisation's publishers, with its index number."""
    report = _lock(report)
    if report.status != Status.SIGNED_OFF:
        raise Refused.because("年度报告签发后才能发布", "the report is published after it is signed off")
    today = timezone.localdate()
    publication = Publication.objects.create(
        publisher=report.organization,
        title=report.title,
        issued_on=today,
        summary=f"{report.organization.name}{report.year}年政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）。",
        body=sanitize(render_to_string("reports/_report.html", {"document": document_of(report), "no_title": True})),
        column=Column.objects.get(code=COLUMN),
        author=report.prepared_by or report.signed_off_by,
        status=Publication.Status.APPROVED,
        approved_by=report.signed_off_by,
        approved_at=report.signed_off_at,
    )
    catalog.publish(publication, by=by)  # the catalogue's rule: a publisher (or reviewer) of the organisation
    publication.refresh_from_db()
    report.publication, report.status = publication, Status.PUBLISHED
    report.save(update_fields=["publication", "status", "updated_at"])
    audit.record(
        by, "report.published", report, organization=report.organization, summary=report.title,
        index_no=publication.index_no, late=today > statutory_deadline(report.organization, report.year),
    )  # fmt: skip
    return report


MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def import_published(organization, upload, *, by, year: int | None = None):
    """Keep a report the organisation published elsewhere (an older year; the 2021 or 2019 format from HTML or
    DOCX, or text before 2019) as it was read, with the file. Returns (report, what `parse` made of it): the
    parser's problems are shown to the person; a file with no year, or a year the system already has, is
    refused."""
    if not auth.can_prepare(by, organization):
        raise Refused.because(
            f"您不能为{organization.name}导入年度报告", f"you cannot import {organization.name}'s reports"
        )
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise FieldErrors({"file": "文件超过20 MB / the file is larger than 20 MB"})
    if data[:2] == b"PK":  # DOCX: the upload checks' zip guards before anything unpacks it
        try:
            files.check_upload(upload, upload.name, max_bytes=MAX_IMPORT_BYTES)
        except files.FileRejected as rejected:
            raise FieldErrors({"file": str(rejected)}) from None
    parsed = parse.read_report(data, upload.name)
    if not parsed.text.strip():
        raise FieldErrors({"file": "文件中没有可读的报告内容 / the file holds no readable report"})
    year = year or parsed.year
    if year is None:
        raise FieldErrors({"year": "无法从文件中读出年度，请填写 / the year could not be read: enter it"})
    if AnnualReport.objects.filter(organization=organization, year=year).exists():
        raise Refused.because(
            f"{organization.name}已有{year}年度报告", f"{organization.name} already has a {year} report"
        )
    report = AnnualReport(
        organization=organization, year=year, format=parsed.format, source=AnnualReport.Source.IMPORTED,
        status=AnnualReport.Status.PUBLISHED, title=parsed.title or title_for(organization, year),
        figures=parsed.figures or {}, text=parsed.text, prepared_by=by,
        narrative={key: parsed.sections.get(key, "") for key in layout.NARRATIVE_SECTIONS},
    )  # fmt: skip
    upload.seek(0)
    report.original.save(f"{organization.uscc}-{year}{_suffix(upload.name)}", upload, save=False)
    report.save()
    audit.record(
        by, "report.imported", report, organization=organization, summary=report.title, format=parsed.format,
        problems=parsed.problems[:50],
    )  # fmt: skip
    return report, parsed


def _suffix(name: str) -> str:
    lowered = name.lower()
    return next((s for s in (".html", ".htm", ".docx", ".txt") if lowered.endswith(s)), ".bin")


@transaction.atomic
def configure_roll_up(government, *, members, include_own: bool, by) -> RollUp:
    """Set whose figures ``government``'s report adds up (the administrator, in the admin). No members: the
    default (`rollup.membership`)."""
    if not auth.can_configure_roll_up(by):
        raise Refused.because("只有系统管理员可以设置年度报告的汇总范围", "only an administrator sets the roll-up")
    members = list(members)
    errors = rollup.membership_errors(government, members, include_own)
    if errors:
        raise FieldErrors(errors)
    configured, created = RollUp.objects.select_for_update().get_or_create(
        government=government, defaults={"include_own": include_own}
    )
    before = (configured.include_own, sorted(configured.members.values_list("pk", flat=True)))
    configured.include_own = include_own
    configured.save(update_fields=["include_own"])
    configured.members.set(members)
    after = (include_own, sorted(member.pk for member in members))
    if created or before != after:
        audit.record(
            by, "report.roll_up_configured", configured, organization=government, summary=str(government),
            include_own=include_own, members=[member.name for member in members],
        )  # fmt: skip
    return configured


@transaction.atomic
def remove_roll_up(configured: RollUp, *, by) -> None:
    """Back to the default membership."""
    if not auth.can_configure_roll_up(by):
        raise Refused.because("只有系统管理员可以设置年度报告的汇总范围", "only an administrator sets the roll-up")
    audit.record(by, "report.roll_up_removed", configured, organization=configured.government,
                 summary=str(configured.government))  # fmt: skip
    configured.delete()
