"""The department portal of 双公示, under /staff/credit/: a department uploads its licences and penalties, reads
the report (with a copy of its file where the bad cells are marked), sees its late records and monthly on-time
rates; the credit office releases the submissions held for its review, reviews the applications for credit
repair and changes the class (失信严重程度) of a penalty.

Every page asks the predicates of `gongkai.credit.auth`; submissions are looked up in the user's scope only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.credit import auth, periods, policy, repairs, services, templates, timeliness
from gongkai.credit.annotate import annotate
from gongkai.credit.forms import (
    ApproveRepairForm,
    AskForMoreForm,
    DepartmentForm,
    RejectRepairForm,
    SeverityForm,
    UploadForm,
)
from gongkai.credit.models import RECORD_MODELS, Licence, Penalty, RecordType, RepairApplication, Submission
from gongkai.credit.standard import STANDARDS
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.lib.forms import add_service_errors
from gongkai.upstream import auth as upstream_auth

PAGE_SIZE = 30
LATE_SHOWN = 50  # late records listed on the department page; the count above them is exact
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FORMATS = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


def credit_staff_view(view):
    """Logged in, and submitting for an organisation or working in the credit office."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not auth.viewable_organizations(request.user):
            raise PermissionDenied(_("您没有双公示报送的角色。 You have no role in 双公示 submissions."))
        return view(request, *args, **kwargs)

    return wrapped


def _submission(request: HttpRequest, pk: int) -> Submission:
    queryset = auth.viewable_submissions(request.user).select_related("organization", "submitted_by", "released_by")
    return get_object_or_404(queryset, pk=pk)


# --- the report of a submission (or of a check) ---------------------------------------------------------------


@dataclass(frozen=True)
class ErrorRow:
    row: int
    column: str
    field: str
    label: str  # the field's Chinese label, when the field is known
    value: str
    message: str


@dataclass(frozen=True)
class ReportView:
    rows: int
    accepted: int
    rejected: int
    file_errors: list[str]
    errors: list[ErrorRow]
    late: list[dict]
    truncated: bool  # the report lists the first errors only; the counts are exact


# Field code → Chinese label, both standards (their codes do not overlap: XK_… and CF_…).
LABELS = {code: field.label for standard in STANDARDS.values() for code, field in standard.by_code().items()}


def _report_view(rows: int, accepted: int, rejected: int, errors: list[dict], late: list[dict]) -> ReportView:
    file_errors = [error["message"] for error in errors if not error.get("row")]
    rows_errors = [
        ErrorRow(
            row=error["row"],
            column=error.get("column") or "",
            field=error.get("field") or "",
            label=LABELS.get(error.get("field") or "", ""),
            value=error.get("value") or "",
            message=error["message"],
        )
        for error in errors
        if error.get("row")
    ]
    return ReportView(rows, accepted, rejected, file_errors, rows_errors, late, len(errors) >= services.MAX_REPORTED)


def report_of_submission(submission: Submission) -> ReportView:
    return _report_view(submission.rows, submission.accepted, submission.rejected, submission.errors, submission.late)


def report_of_check(report: services.Report) -> ReportView:
    errors = [{"row": 0, "message": report.file_error}] if report.file_error else report.errors
    return _report_view(report.rows, report.accepted, report.rejected, errors, report.late)


# --- the department page and its submissions ------------------------------------------------------------------


@dataclass(frozen=True)
class LateRecord:
    kind: str
    record: Licence | Penalty


def _late_records(organization) -> tuple[list[LateRecord], int]:
    """The organisation's records first published after their due date, latest first, and how many in all."""
    shown: list[LateRecord] = []
    total = 0
    for record_type, model in RECORD_MODELS.items():
        late = timeliness.late(model.objects.of(organization))
        total += late.count()
        kind = RecordType(record_type).label
        shown += [LateRecord(kind, record) for record in late.order_by("-first_published_at")[:LATE_SHOWN]]
    shown.sort(key=lambda item: item.record.first_published_at, reverse=True)
    return shown[:LATE_SHOWN], total


@credit_staff_view
def submission_list(request: HttpRequest) -> HttpResponse:
    form = DepartmentForm(request.GET or None, organizations=auth.viewable_organizations(request.user))
    organization = form.chosen_organization()
    year = form.chosen_year()
    submissions = auth.viewable_submissions(request.user).of(organization).select_related("submitted_by")
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    late, late_total = _late_records(organization)
    rates = timeliness.monthly_rates(organization, year)
    year_total = timeliness.MonthRate(0, sum(r.published for r in rates), sum(r.on_time for r in rates))  # 0: the year
    return render(
        request,
        "credit/staff/list.html",
        {
            "form": form,
            "organization": organization,
            "may_submit": auth.can_submit(request.user, organization),
            "page": page,
            "query": urlencode({"org": organization.pk, "year": year}),
            "late": late,
            "late_total": late_total,
            "year": year,
            "rates": rates,
            "year_total": year_total,
            "nav_current": "list",
        },
        status=400 if form.errors else 200,
    )


@credit_staff_view
def upload(request: HttpRequest) -> HttpResponse:
    organizations = auth.submitting_organizations(request.user)
    if not organizations:
        raise PermissionDenied(_("只有报送单位的填报员可以上传。 Only a department's submitter can upload."))
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, organizations=organizations)
    else:
        form = UploadForm(organizations=organizations)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            submission, report = services.import_file(
                upload.file,
                upload.name,
                organization=form.cleaned_data["organization"],
                by=request.user,
                channel="portal",
                dry_run=form.cleaned_data["dry_run"],
                accept_valid=form.cleaned_data["accept_valid"],
            )
            if submission is not None:
                services.keep_original(submission, upload, by=request.user)
        if submission is None:
            return render(
                request,
                "credit/staff/checked.html",
                {
                    "file_name": upload.name,
                    "report": report_of_check(report),
                    "nav_current": "upload",
                },
            )
        return redirect("credit_staff:detail", submission.pk)  # the report is the submission's page
    status = 400 if request.method == "POST" else 200
    return render(request, "credit/staff/upload.html", {"form": form, "nav_current": "upload"}, status=status)


@credit_staff_view
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    return render(
        request,
        "credit/staff/detail.html",
        {
            "submission": submission,
            "report": report_of_submission(submission),
            # The copy of the file with its bad cells marked: for a file kept by the portal that had errors.
            "annotated_url": (
                reverse("credit_staff:annotated", args=[submission.pk])
                if submission.original and submission.errors
                else ""
            ),
            "awaiting_release": Submission.objects.awaiting_release().filter(pk=submission.pk).exists(),
            "may_release": auth.can_release(request.user),
            "nav_current": "list",
        },
    )


@credit_staff_view
def annotated_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded file as XLSX, each cell with an error filled and commented."""
    submission = _submission(request, pk)
    if not submission.original or not submission.errors:
        raise Http404
    with submission.original.open("rb") as original:
        content = annotate(original.read(), submission.file_name, submission.errors)
    name = f"{PurePath(submission.file_name).stem}（错误标注）.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@credit_staff_view
def template_download(request: HttpRequest, record_type: str, fmt: str) -> HttpResponse:
    if record_type not in STANDARDS or fmt not in TEMPLATE_FORMATS:
        raise Http404
    standard = policy.standard_for(record_type)  # this installation's required fields and code lists
    content = templates.xlsx_template(standard) if fmt == "xlsx" else templates.csv_template(standard)
    response = HttpResponse(content, content_type=TEMPLATE_FORMATS[fmt])
    name = f"{RecordType(record_type).label}报送模板.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# --- the credit office: held submissions -------------------------------------------------------------------------


def _may_release(request: HttpRequest) -> None:
    if not auth.can_release(request.user):
        raise PermissionDenied(_("只有信用管理员可以审核报送。 Only a credit officer can release submissions."))


@credit_staff_view
def release_queue(request: HttpRequest) -> HttpResponse:
    _may_release(request)
    waiting = Submission.objects.awaiting_release().select_related("organization", "submitted_by")
    page = Paginator(waiting.order_by("submitted_at", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credit/staff/queue.html", {"page": page, "nav_current": "queue"})


@require_POST
@credit_staff_view
def release(request: HttpRequest, pk: int) -> HttpResponse:
    _may_release(request)
    submission = _submission(request, pk)
    try:
        services.release(submission, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已审核通过“%(name)s”，记录已公示。") % {"name": submission.file_name})
    return redirect("credit_staff:detail", submission.pk)


# --- the credit office: credit repair and the class of a penalty -------------------------------------------------


def _may_review(request: HttpRequest) -> None:
    if not auth.can_review_repairs(request.user):
        raise PermissionDenied(
            _("只有信用管理员可以审核信用修复申请。 Only a credit officer can review repair applications.")
        )


def _may_set_severity(request: HttpRequest) -> None:
    if not auth.can_set_severity(request.user):
        raise PermissionDenied(_("只有信用管理员可以调整失信严重程度。 Only a credit officer can change the class."))


@credit_staff_view
def repair_list(request: HttpRequest) -> HttpResponse:
    """The applications for credit repair: the open ones, oldest first, or those of one status, newest first."""
    _may_review(request)
    status = request.GET.get("status", "")
    applications = RepairApplication.objects.select_related("penalty")
    if status in RepairApplication.Status.values:
        applications = applications.filter(status=status)
    else:
        status, applications = "", applications.open().order_by("submitted_at", "id")
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/staff/repairs.html",
        {
            "page": page,
            "status": status,
            "statuses": RepairApplication.Status.choices,
            "query": urlencode({"status": status}),
            "nav_current": "repairs",
        },
    )


@dataclass(frozen=True)
class RepairStep:
    title: str
    form: type
    run: object  # the service function: (application, *, by, **form.cleaned_data)
    done: str


REPAIR_STEPS = {
    "approve": RepairStep(
        gettext_lazy("准予修复"), ApproveRepairForm, repairs.approve, gettext_lazy("已准予修复，该行政处罚已停止公示。")
    ),
    "more": RepairStep(
        gettext_lazy("要求补充材料"), AskForMoreForm, repairs.ask_for_more, gettext_lazy("已要求申请人补充材料。")
    ),
    "reject": RepairStep(gettext_lazy("不予修复"), RejectRepairForm, repairs.reject, gettext_lazy("已决定不予修复。")),
}


def _repair(pk: int) -> RepairApplication:
    # The credit office works for the whole district: every application is in its scope.
    return get_object_or_404(RepairApplication.objects.select_related("penalty__source", "decided_by"), pk=pk)


@credit_staff_view
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_review(request)
    application = _repair(pk)
    penalty = application.penalty
    steps = []
    if application.status == RepairApplication.Status.SUBMITTED:
        steps = [(code, step, step.form()) for code, step in REPAIR_STEPS.items()]
    elif application.status == RepairApplication.Status.MORE_NEEDED:
        steps = [("reject", REPAIR_STEPS["reject"], RejectRepairForm())]
    return render(
        request,
        "credit/staff/repair.html",
        {
            "application": application,
            "penalty": penalty,
            "counted": periods.periods_of(penalty.decision_date, penalty.severity, policy.publicity_rules()),
            "files": application.files.all(),
            "events": application.events.select_related("by"),
            "steps": steps,
            "nav_current": "repairs",
        },
    )


@require_POST
@credit_staff_view
def repair_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    _may_review(request)
    application = _repair(pk)
    if step not in REPAIR_STEPS:
        raise Http404
    chosen = REPAIR_STEPS[step]
    form = chosen.form(request.POST)
    if form.is_valid():
        try:
            chosen.run(application, by=request.user, **form.cleaned_data)
        except (FieldErrors, Refused) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, str(chosen.done))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("credit_staff:repair", application.pk)


@credit_staff_view
def repair_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    _may_review(request)
    attached = get_object_or_404(_repair(pk).files, pk=file_pk)
    return FileResponse(
        attached.file.open("rb"),
        as_attachment=True,
        filename=attached.original_name,
        content_type=attached.content_type,
    )


@credit_staff_view
def penalty_search(request: HttpRequest) -> HttpResponse:
    """The penalties with a decision number, to open one and change its class."""
    _may_set_severity(request)
    number = (request.GET.get("number") or "").strip()[:128]
    found = Penalty.objects.filter(decision_number=number).select_related("source") if number else []
    return render(
        request, "credit/staff/penalties.html", {"number": number, "found": found, "nav_current": "penalties"}
    )


def _penalty_page(request: HttpRequest, penalty: Penalty, form: SeverityForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "credit/staff/penalty.html",
        {
            "penalty": penalty,
            "counted": periods.periods_of(penalty.decision_date, penalty.severity, policy.publicity_rules()),
            "applications": penalty.repair_applications.all(),
            "sees_upstream": upstream_auth.can_watch(request.user),
            "form": form,
            "nav_current": "penalties",
        },
        status=status,
    )


@credit_staff_view
def penalty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_set_severity(request)
    penalty = get_object_or_404(Penalty.objects.select_related("source"), pk=pk)
    return _penalty_page(request, penalty, SeverityForm(initial={"severity": penalty.severity}))


@require_POST
@credit_staff_view
def penalty_severity(request: HttpRequest, pk: int) -> HttpResponse:
    _may_set_severity(request)
    penalty = get_object_or_404(Penalty.objects.select_related("source"), pk=pk)
    form = SeverityForm(request.POST)
    if form.is_valid():
        try:
            penalty = services.set_severity(
                penalty, by=request.user, severity=form.cleaned_data["severity"], reason=form.cleaned_data["reason"]
            )
        except (FieldErrors, Refused) as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("已调整失信严重程度，公示期已重新计算。"))
            return redirect("credit_staff:penalty", penalty.pk)
    return _penalty_page(request, penalty, form, status=400)
