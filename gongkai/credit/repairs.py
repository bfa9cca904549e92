"""信用修复: the subject of a penalty, or its agent, applies online to end its publicity early; a credit officer
decides.

STATUTES §3.5: once the minimum period has passed, a subject that has corrected its failing, performed the
penalty and made a public 信用承诺 may apply (2025 《信用修复管理办法》); the materials are the 信用承诺书, proof that
the penalty was performed and, for an agent, the 授权委托书 (58号令 practice). An application is refused at once,
with the reason, when the penalty is not in publicity, when its class under the regime of its decision date
cannot be repaired, or before the minimum period has passed (naming the day it can be made).

    submitted → approved | rejected | more_needed → (materials added) → submitted → …

Each step is one function here that owns its transaction and writes the audit log. An approval ends the
penalty's publicity (`services.end_publicity`, reason 已信用修复), which queues it for the upstream platforms.
"""

from __future__ import annotations

import datetime
from pathlib import PurePath

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai import audit
from gongkai.credit import auth, periods, policy, services
from gongkai.credit.models import Penalty, RepairApplication, RepairEvent, RepairFile
from gongkai.credit.standard import GENERAL, MINOR, SERIOUS
from gongkai.lib import files, identifiers
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.requests.services import address_key, check_hourly_limit, new_tracking_code

MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_KINDS = ("pdf", "png", "jpeg", "gif", "webp", "docx")
CLASS_NAMES = {MINOR: ("轻微", "minor"), GENERAL: ("一般", "general"), SERIOUS: ("严重", "serious")}

Status = RepairApplication.Status


class RepairRefused(Refused):
    """A repair step that is not allowed now, or not to this person."""


class RepairInvalid(FieldErrors):
    """An application's field errors, keyed by field name, each bilingual; nothing was saved."""


refusal = RepairRefused.because


def check_file(upload) -> files.FileKind:
    """An applicant's file: PDF, image or Word document, at most 10 MB, its type read from its content."""
    kind = files.check_upload(upload, upload.name, max_bytes=MAX_FILE_BYTES)
    if kind.kind not in FILE_KINDS:
        raise files.FileRejected(
            f"“{upload.name}”：修复材料只收PDF、图片或Word文档 / '{upload.name}': only PDF, images or Word documents "
            "are accepted"
        )
    return kind


def find_penalty(decision_number: str, identity: str) -> Penalty | None:
    """The penalty with ``decision_number`` whose subject has the USCC, or the identity number, ``identity``."""
    identity = identifiers.normalize(identity)
    if not identity:
        return None
    for penalty in Penalty.objects.filter(decision_number=decision_number.strip()).order_by("id"):
        if identity in (penalty.subject_uscc, (penalty.data.get("CF_XDR_ZJHM") or "").upper()):
            return penalty
    return None


def why_not_repairable(penalty: Penalty, *, today: datetime.date, rules) -> str | None:
    """Why a repair of ``penalty`` cannot be applied for on ``today`` (bilingual), or None if it can."""
    if penalty.repair_status == Penalty.RepairStatus.REPAIRED:
        return "该行政处罚已信用修复 / this penalty has already been repaired"
    if not penalty.is_public:
        if penalty.publicity_ended_at is not None:
            return "该行政处罚已停止公示，无需申请信用修复 / this penalty is no longer published: no repair is needed"
        return "该行政处罚不在公示中 / this penalty is not published"
    if penalty.repair_applications.open().exists():
        return "该行政处罚已有正在办理的信用修复申请 / an application to repair this penalty is already being handled"
    counted = periods.periods_of(penalty.decision_date, penalty.severity, rules)
    if counted is None:
        return (
            "无法确定该行政处罚的公示期，请联系信用管理部门 / the publicity period of this penalty is not known; "
            "please contact the credit office"
        )
    if not counted.rule.repairable:
        chinese, english = CLASS_NAMES[penalty.severity]
        return (
            f"按{counted.rule.regime_name}，{chinese}失信的行政处罚信息不能申请信用修复 / "
            f"under the {counted.rule.regime} rules a penalty of the {english} class cannot be repaired"
        )
    min_until = penalty.publicity_min_until or counted.min_until
    if today <= min_until:
        start = min_until + datetime.timedelta(days=1)
        return (
            f"最短公示期至{min_until.isoformat()}，自{start.isoformat()}起可以申请信用修复 / the minimum period of "
            f"publicity runs until {min_until.isoformat()}: you may apply from {start.isoformat()}"
        )
    return None


def _checked_files(uploads: list[tuple[str, str, object]]) -> tuple[list[tuple], dict[str, str]]:
    """``uploads`` as (form field, `RepairFile.Kind`, file) checked: (kind, file, `files.FileKind`) for each, and
    the first error of each form field."""
    checked, errors = [], {}
    for field, kind, upload in uploads:
        try:
            checked.append((kind, upload, check_file(upload)))
        except files.FileRejected as rejected:
            errors.setdefault(field, str(rejected))
    return checked, errors


def _save_files(application: RepairApplication, checked: list[tuple]) -> None:
    first = application.files.count() + 1
    for number, (kind, upload, file_kind) in enumerate(checked, start=first):
        upload.seek(0)
        RepairFile.objects.create(
            application=application,
            kind=kind,
            file=File(upload, name=f"{application.tracking_code}-{number}{file_kind.extension}"),
            original_name=PurePath(upload.name).name[:200],
            content_type=file_kind.content_type,
            size=upload.size,
        )


def apply(
    *,
    decision_number: str,
    identity: str,
    applicant_kind: str,
    applicant_name: str,
    contact: str,
    commitment,
    evidence: list,
    authorization=None,
    note: str = "",
    submission_key: str,
    client_address: str,
) -> tuple[RepairApplication, bool]:
    """An application from the public form; the same form sent twice is one application: (application, created).

    ``commitment`` is the 信用承诺书, ``evidence`` the proof that the penalty was performed (one or more files),
    ``authorization`` the 授权委托书 an agent must add. An address may send at most
    ``GONGKAI_APPLICATIONS_PER_HOUR`` applications an hour."""
    existing = RepairApplication.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    errors = {}
    for field, value, chinese, english in (
        ("decision_number", decision_number, "行政处罚决定书文号", "the decision number"),
        ("identity", identity, "统一社会信用代码或身份证号码", "the USCC or identity number"),
        ("applicant_name", applicant_name, "申请人姓名或名称", "the applicant's name"),
        ("contact", contact, "联系电话", "a phone number"),
    ):
        if not (value or "").strip():
            errors[field] = f"请填写{chinese} / {english} is required"
    if applicant_kind not in RepairApplication.ApplicantKind.values:
        errors["applicant_kind"] = "请选择申请人身份 / choose who is applying"
    if commitment is None:
        errors["commitment"] = "请上传信用承诺书 / the commitment letter is required"
    if not evidence:
        errors["evidence"] = "请上传已履行行政处罚的证明 / proof that the penalty was performed is required"
    if applicant_kind == RepairApplication.ApplicantKind.AGENT and authorization is None:
        errors["authorization"] = "代理人申请的，请上传授权委托书 / an agent must add the letter of authority"
    uploads = [("commitment", RepairFile.Kind.COMMITMENT, commitment)] if commitment is not None else []
    uploads += [("evidence", RepairFile.Kind.EVIDENCE, upload) for upload in evidence]
    if authorization is not None:
        uploads.append(("authorization", RepairFile.Kind.AUTHORIZATION, authorization))
    checked, file_errors = _checked_files(uploads)
    errors = {**file_errors, **errors}
    if errors:
        raise RepairInvalid(errors)
    key = address_key(client_address)
    check_hourly_limit(
        RepairApplication.objects.filter(submitted_from=key), "submitted_at", "件信用修复申请", "repair applications"
    )
    penalty = find_penalty(decision_number, identity)
    if penalty is None:
        raise RepairInvalid(
            {
                "decision_number": "没有找到决定书文号和统一社会信用代码（或身份证号码）相符的行政处罚 / "
                "no penalty has this decision number and this USCC or identity number"
            }
        )
    try:
        with transaction.atomic():
            penalty = Penalty.objects.select_for_update().select_related("source").get(pk=penalty.pk)
            reason = why_not_repairable(penalty, today=timezone.localdate(), rules=policy.publicity_rules())
            if reason:
                raise RepairRefused(reason)
            application = RepairApplication.objects.create(
                penalty=penalty,
                tracking_code=new_tracking_code(),
                applicant_kind=applicant_kind,
                applicant_name=applicant_name.strip(),
                contact=contact.strip(),
                note=note.strip(),
                submission_key=submission_key,
                submitted_from=key,
            )
            _save_files(application, checked)
            RepairEvent.objects.create(application=application, kind=RepairEvent.Kind.SUBMITTED, note=note.strip())
            audit.record(
                None, "credit.repair_applied", application, organization=penalty.source,
                summary=f"{application.tracking_code} {penalty.decision_number}", penalty=penalty.pk,
            )  # fmt: skip
    except IntegrityError:
        return RepairApplication.objects.get(submission_key=submission_key), False
    return application, True


@transaction.atomic
def add_materials(application: RepairApplication, *, uploads: list, note: str = "") -> RepairApplication:
    """The applicant adds the materials the credit officer asked for; the application waits for review again."""
    application = _lock(application)
    if application.status != Status.MORE_NEEDED:
        raise refusal("该申请目前不需要补充材料", "no materials have been asked for")
    if not uploads:
        raise RepairInvalid({"files": "请上传补充材料 / add at least one file"})
    checked, errors = _checked_files([("files", RepairFile.Kind.MORE, upload) for upload in uploads])
    if errors:
        raise RepairInvalid(errors)
    _save_files(application, checked)
    application.status = Status.SUBMITTED
    application.save(update_fields=["status"])
    RepairEvent.objects.create(application=application, kind=RepairEvent.Kind.MATERIALS_ADDED, note=note.strip())
    audit.record(
        None, "credit.repair_materials_added", application, organization=application.penalty.source,
        summary=application.tracking_code, files=len(checked),
    )  # fmt: skip
    return application


def _lock(application: RepairApplication) -> RepairApplication:
    return (
        RepairApplication.objects.select_for_update(of=("self",))
        .select_related("penalty__source")
        .get(pk=application.pk)
    )


def _for_review(application: RepairApplication, by, *, states: tuple[str, ...]) -> RepairApplication:
    if not auth.can_review_repairs(by):
        raise refusal("只有信用管理员可以审核信用修复申请", "only a credit officer can review repair applications")
    application = _lock(application)
    if application.status not in states:
        raise refusal(
            f"该申请的状态是“{application.get_status_display()}”，不能这样办理",
            f"the application is {application.status}: this step is not possible",
        )
    return application


def _decide(application: RepairApplication, by, status: str, kind: str, note: str, action: str) -> None:
    application.status = status
    if status in (Status.APPROVED, Status.REJECTED):
        application.decided_by, application.decided_at = by, timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    RepairEvent.objects.create(application=application, kind=kind, note=note.strip(), by=by)
    audit.record(
        by, action, application, organization=application.penalty.source,
        summary=f"{application.tracking_code} {application.penalty.decision_number}", note=note.strip(),
    )  # fmt: skip


@transaction.atomic
def approve(application: RepairApplication, *, by, note: str = "") -> RepairApplication:
    """准予修复: the penalty leaves public view now (its name index and the upstream platforms follow)."""
    application = _for_review(application, by, states=(Status.SUBMITTED,))
    penalty = Penalty.objects.select_for_update().get(pk=application.penalty_id)
    if not penalty.is_public:
        raise refusal("该行政处罚已不在公示中", "the penalty is no longer published")
    services.end_publicity([penalty], reason=Penalty.EndReason.REPAIRED)
    _decide(application, by, Status.APPROVED, RepairEvent.Kind.APPROVED, note, "credit.repair_approved")
    return application


@transaction.atomic
def reject(application: RepairApplication, *, by, reasons: str) -> RepairApplication:
    """不予修复, with the reasons the applicant reads on the status page."""
    if not reasons.strip():
        raise RepairInvalid({"reasons": "请填写不予修复的理由 / the reasons are required"})
    application = _for_review(application, by, states=(Status.SUBMITTED, Status.MORE_NEEDED))
    _decide(application, by, Status.REJECTED, RepairEvent.Kind.REJECTED, reasons, "credit.repair_rejected")
    return application


@transaction.atomic
def ask_for_more(application: RepairApplication, *, by, needed: str) -> RepairApplication:
    """要求补充材料: the applicant reads what is needed on the status page and adds it there."""
    if not needed.strip():
        raise RepairInvalid({"needed": "请写明需要补充的材料 / say what is needed"})
    application = _for_review(application, by, states=(Status.SUBMITTED,))
    _decide(application, by, Status.MORE_NEEDED, RepairEvent.Kind.MORE_NEEDED, needed, "credit.repair_more_needed")
    return application
