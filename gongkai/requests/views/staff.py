"""The staff side of 依申请公开: the worklist, registration, and one page per application with its clock.

Every list is scoped to the organisations the user works for (`orgs.auth.organizations_for`). Each step is
a small POST form that calls one service function; the service checks the role and the clock.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.lib.forms import add_service_errors
from gongkai.orgs import auth as orgs_auth
from gongkai.orgs.roles import REVIEWER
from gongkai.requests import auth, inquiries, services
from gongkai.requests.clock import Clock
from gongkai.requests.forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ConfirmReceiptForm,
    CorrectedForm,
    CorrectionNoticeForm,
    DeliveryForm,
    EndForNoCorrectionForm,
    ExtendForm,
    FeeNoticeForm,
    IssueForm,
    LaterDateForm,
    LetterForm,
    PauseForm,
    PaymentForm,
    RegisterForm,
    RemedyForm,
    RemedyResultForm,
    ResumeForm,
    WaiverForm,
)
from gongkai.requests.models import Channel, DisclosureRequest, Inquiry, RequestEvent, RequestSettings
from gongkai.workdays.calendar import current_calendar

PAGE_SIZE = 30
SOON = 5  # working days: "due soon" on the worklist, as the reminders count them


def requests_staff_view(view):
    """Logged in, and handling requests for at least one organisation."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not any(auth.can_handle(request.user, org) for org in orgs_auth.organizations_for(request.user)):
            raise PermissionDenied(_("您没有依申请公开工作的角色。 You have no role in handling applications."))
        return view(request, *args, **kwargs)

    return wrapped


def _scoped(user):
    return DisclosureRequest.objects.filter(organization__in=orgs_auth.organizations_for(user))


def _application(request: HttpRequest, pk: int) -> DisclosureRequest:
    queryset = _scoped(request.user).select_related("organization", "handler", "created_by", "letter")
    application = get_object_or_404(queryset.prefetch_related("events"), pk=pk)
    if not auth.can_handle(request.user, application.organization):
        raise Http404
    return application


# --- the worklist -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    application: DisclosureRequest
    clock: Clock
    days_left: int | None  # working days from today to the due date; negative when overdue

    @property
    def overdue(self) -> bool:
        return not self.application.is_closed and self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def due_soon(self) -> bool:
        return not self.application.is_closed and self.days_left is not None and 0 <= self.days_left <= SOON

    @property
    def late(self) -> bool:
        """Closed, and delivered after the due date (or decided late and not yet delivered)."""
        application = self.application
        if not application.is_closed or self.clock.due is None:
            return False
        return (application.delivered_on or application.closed_on) > self.clock.due


def _rows(applications, today: datetime.date) -> list[Row]:
    calendar = current_calendar()
    rows = []
    for application in applications:
        clock = services.clock_of(application, today=today)
        left = calendar.working_days_between(today, clock.due).days if clock.due else None
        rows.append(Row(application, clock, left))
    return rows


@dataclass
class HandlerSummary:
    handler: str
    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    late: int = 0


def _summary(rows: list[Row]) -> list[HandlerSummary]:
    """The office head's view: due, overdue and late applications per handler."""
    by_handler: dict[str, HandlerSummary] = {}
    for row in rows:
        name = str(row.application.handler) if row.application.handler else _("未分配")
        summary = by_handler.setdefault(name, HandlerSummary(name))
        summary.open += not row.application.is_closed
        summary.due_soon += row.due_soon
        summary.overdue += row.overdue
        summary.late += row.late
    return sorted(by_handler.values(), key=lambda summary: (-summary.overdue, -summary.due_soon, summary.handler))


TABS = {"open": gettext_lazy("办理中"), "closed": gettext_lazy("已办结")}


@requests_staff_view
def request_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("status") if request.GET.get("status") in TABS else "open"
    today = timezone.localdate()
    scoped = (
        _scoped(request.user)
        .select_related("organization", "handler")
        .prefetch_related(Prefetch("events", queryset=RequestEvent.objects.order_by("on", "id")))
    )
    listed = scoped.open().order_by("received_on", "id") if tab == "open" else scoped.closed().order_by("-closed_on")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(page.object_list, today)
    if tab == "open":
        rows.sort(key=lambda row: (row.clock.due or datetime.date.max, row.application.pk))
    may_oversee = any(auth.can_extend(request.user, org) for org in orgs_auth.organizations_for(request.user))
    summary = _summary(_rows(scoped.filter(received_on__year__gte=today.year - 1), today)) if may_oversee else []
    return render(
        request,
        "requests/staff/list.html",
        {
            "tabs": TABS,
            "tab": tab,
            "tab_label": TABS[tab],
            "page": page,
            "rows": rows,
            "summary": summary,
            "nav_current": "list",
        },
    )


# --- registration -------------------------------------------------------------------------------------------


def _channels(organization) -> list[tuple[str, str]]:
    opened = RequestSettings.of(organization).opened()
    return [("", _("——请选择——"))] + [(value, label) for value, label in Channel.choices if value in opened]


@requests_staff_view
def request_new(request: HttpRequest) -> HttpResponse:
    organization = request.user.organization
    if organization is None or not auth.can_handle(request.user, organization):
        raise PermissionDenied(_("只有本机关的依申请公开经办人可以登记申请。 Only a request handler can register."))
    form = RegisterForm(request.POST or None, channels=_channels(organization))
    if request.method == "POST" and form.is_valid():
        try:
            application = services.register(
                organization=organization,
                by=request.user,
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                evidence=form.cleaned_data["evidence"],
                **form.applicant_values(),
            )
        except (services.RequestInvalid, services.RequestError) as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("已登记，查询码 %(code)s。") % {"code": application.tracking_code})
            return redirect("requests_staff:detail", application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "requests/staff/new.html", {"form": form, "nav_current": "new"}, status=status)


# --- one application ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step on the application page: its form, the service it calls, who may take it."""

    title: str
    form: type[forms.Form]
    call: Callable
    head_only: bool = False
    when_closed: bool = False


STEPS: dict[str, Step] = {
    "confirm": Step(
        gettext_lazy("确认收到申请之日"),
        ConfirmReceiptForm,
        lambda application, by, data: services.confirm_receipt(
            application, by=by, on=data["on"], evidence=data["evidence"]
        ),
    ),
    "assign": Step(
        gettext_lazy("指定经办人"),
        AssignForm,
        lambda application, by, data: services.assign(application, by=by, handler=data["handler"]),
    ),
    "correction": Step(
        gettext_lazy("发出补正通知"),
        CorrectionNoticeForm,
        lambda application, by, data: services.send_correction_notice(
            application, by=by, on=data["on"], note=data["note"], correct_by=data["correct_by"]
        ),
    ),
    "no_correction": Step(
        gettext_lazy("逾期未补正，终止办理"),
        EndForNoCorrectionForm,
        lambda application, by, data: services.end_for_no_correction(application, by=by, on=data["on"]),
    ),
    "corrected": Step(
        gettext_lazy("收到补正后的申请"),
        CorrectedForm,
        lambda application, by, data: services.receive_correction(application, by=by, on=data["on"]),
    ),
    "pause": Step(
        gettext_lazy("开始征求意见或收费（不计时）"),
        PauseForm,
        lambda application, by, data: services.start_pause(
            application, by=by, kind=data["kind"], on=data["on"], note=data["note"]
        ),
    ),
    "resume": Step(
        gettext_lazy("征求意见或缴费结束"),
        ResumeForm,
        lambda application, by, data: services.end_pause(application, by=by, kind=data["kind"], until=data["until"]),
    ),
    "extend": Step(
        gettext_lazy("延期答复（负责人）"),
        ExtendForm,
        lambda application, by, data: services.extend(
            application, by=by, days=data["days"], on=data["on"], note=data["note"]
        ),
        head_only=True,
    ),
    "later_date": Step(
        gettext_lazy("确定延迟答复期限（第三十五条，负责人）"),
        LaterDateForm,
        lambda application, by, data: services.set_later_reply_date(
            application, by=by, on=data["on"], reply_by=data["reply_by"], reason=data["reason"]
        ),
        head_only=True,
    ),
    "close": Step(
        gettext_lazy("答复并办结"),
        CloseForm,
        lambda application, by, data: services.close(
            application, by=by, outcome=data["outcome"], on=data["on"], reasons=data["reasons"]
        ),
    ),
    "fee": Step(
        gettext_lazy("发出收费通知"),
        FeeNoticeForm,
        lambda application, by, data: services.send_fee_notice(
            application, by=by, method=data["method"], quantity=data["quantity"], on=data["on"]
        ),
    ),
    "paid": Step(
        gettext_lazy("登记缴费"),
        PaymentForm,
        lambda application, by, data: services.record_payment(application, by=by, on=data["on"]),
    ),
    "waive": Step(
        gettext_lazy("减免信息处理费（负责人）"),
        WaiverForm,
        lambda application, by, data: services.waive_fee(application, by=by, on=data["on"], reason=data["reason"]),
        head_only=True,
    ),
    "deliver": Step(
        gettext_lazy("登记送达"),
        DeliveryForm,
        lambda application, by, data: services.record_delivery(
            application, by=by, on=data["on"], method=data["method"]
        ),
        when_closed=True,
    ),
    "remedy": Step(
        gettext_lazy("登记行政复议或行政诉讼"),
        RemedyForm,
        lambda application, by, data: services.record_remedy(
            application, by=by, kind=data["kind"], filed_on=data["filed_on"], note=data["note"]
        ),
        when_closed=True,
    ),
    "remedy_result": Step(
        gettext_lazy("登记复议或诉讼结果"),
        RemedyResultForm,
        lambda application, by, data: services.decide_remedy(
            data["remedy"], by=by, result=data["result"], decided_on=data["decided_on"]
        ),
        when_closed=True,
    ),
}


def _fee_unpaid(application: DisclosureRequest) -> bool:
    return hasattr(application, "fee") and not (application.fee.paid_on or application.fee.waived)


# A step is offered only when it can apply: these say when, beyond open/closed and the role.
OFFERED: dict[str, Callable[[DisclosureRequest], bool]] = {
    "assign": lambda application: True,
    "confirm": lambda application: (
        application.channel in services.CONFIRMED_CHANNELS and not application.events.exclude(kind="received").exists()
    ),
    "corrected": lambda application: (
        application.events.filter(kind="correction_notice").exists()
        and not application.events.filter(kind="corrected").exists()
    ),
    "correction": lambda application: not application.events.filter(kind="correction_notice").exists(),
    "no_correction": lambda application: services.correction_lapsed(application, timezone.localdate()),
    "fee": lambda application: not hasattr(application, "fee"),
    "paid": lambda application: hasattr(application, "fee") and not (application.fee.paid_on or application.fee.waived),
    "waive": lambda application: (
        hasattr(application, "fee") and not (application.fee.paid_on or application.fee.waived)
    ),
    "deliver": lambda application: not application.delivered_on,
    "remedy_result": lambda application: application.remedies.filter(result="pending").exists(),
}


def step_kwargs(code: str, application: DisclosureRequest) -> dict:
    if code == "assign":
        return {"organization": application.organization}
    if code == "remedy_result":
        return {"application": application}
    return {}


def _steps_for(user, application: DisclosureRequest) -> list[tuple[str, Step, forms.Form]]:
    may_extend = auth.can_extend(user, application.organization)
    shown = []
    for code, step in STEPS.items():
        if step.head_only and not may_extend:
            continue
        if application.is_closed != step.when_closed:
            continue
        if not OFFERED.get(code, lambda application: True)(application):
            continue
        shown.append((code, step, step.form(prefix=code, **step_kwargs(code, application))))
    return shown


@requests_staff_view
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    clock = services.clock_of(application)
    return render(
        request,
        "requests/staff/detail.html",
        {
            "application": application,
            "clock": clock,
            "events": application.events.all(),
            "steps": _steps_for(request.user, application),
            "on_time": clock.is_met_by(application.delivered_on) if application.delivered_on else None,
            **_letter_forms(application),
        },
    )


def _letter_forms(application: DisclosureRequest) -> dict:
    letter = getattr(application, "letter", None)
    if letter is None or letter.is_issued:
        return {"letter": letter}
    return {
        "letter": letter,
        "letter_form": LetterForm(initial={"addressee": letter.addressee, "body": letter.body}),
        "issue_form": IssueForm(initial={"on": timezone.localdate()}),
    }


@require_POST
@requests_staff_view
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = LetterForm(request.POST)
    if form.is_valid():
        try:
            services.edit_letter(application, by=request.user, **form.cleaned_data)
        except (services.RequestError, services.RequestInvalid) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("答复书已保存。"))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect(reverse("requests_staff:detail", args=[application.pk]) + "#letter")


@require_POST
@requests_staff_view
def letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            letter = services.issue_letter(application, by=request.user, on=form.cleaned_data["on"])
        except (services.RequestError, services.RequestInvalid) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("答复书已出具：%(number)s。") % {"number": letter.number or letter.title})
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect(reverse("requests_staff:detail", args=[application.pk]) + "#letter")


@requests_staff_view
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@requests_staff_view
def letter_download(request: HttpRequest, pk: int) -> FileResponse:
    application = _application(request, pk)
    letter = getattr(application, "letter", None)
    if letter is None or not letter.is_issued:
        raise Http404
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=f"{letter.number or letter.title}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@require_POST
@requests_staff_view
def request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    application = _application(request, pk)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    form = chosen.form(request.POST, prefix=step, **step_kwargs(step, application))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{chosen.title}：{error}")
        return redirect("requests_staff:detail", application.pk)
    try:
        chosen.call(application, request.user, form.cleaned_data)
    except services.RequestInvalid as invalid:
        for message in invalid.errors.values():
            messages.error(request, f"{chosen.title}：{message}")
    except services.RequestError as refused:
        messages.error(request, f"{chosen.title}：{refused}")
    else:
        messages.success(request, _("已登记：%(step)s。") % {"step": chosen.title})
    return redirect("requests_staff:detail", application.pk)


# --- 咨询 --------------------------------------------------------------------------------------------------


def _may_see_inquiries(user, organization) -> bool:
    return auth.can_handle(user, organization) or orgs_auth.can_act_as(user, REVIEWER, organization)


def inquiries_staff_view(view):
    """Logged in, and answering (request handlers) or reviewing (reviewers) an organisation's questions."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not any(_may_see_inquiries(request.user, org) for org in orgs_auth.organizations_for(request.user)):
            raise PermissionDenied(_("您没有处理咨询的角色。 You have no role in answering questions."))
        return view(request, *args, **kwargs)

    return wrapped


def _scoped_inquiries(user):
    organizations = [org for org in orgs_auth.organizations_for(user) if _may_see_inquiries(user, org)]
    return Inquiry.objects.filter(organization__in=organizations).select_related("organization", "answered_by")


@inquiries_staff_view
def inquiry_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    listed = _scoped_inquiries(request.user).order_by("published_at", "answered_at", "asked_at")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(inquiry, inquiries.is_overdue(inquiry, today)) for inquiry in page.object_list]
    return render(request, "requests/staff/inquiries.html", {"page": page, "rows": rows, "nav_current": "inquiries"})


@inquiries_staff_view
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(_scoped_inquiries(request.user), pk=pk)
    may_answer = auth.can_handle(request.user, inquiry.organization) and not inquiry.is_published
    form = AnswerForm(request.POST or None, initial={"answer": inquiry.answer})
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied(_("您不能答复这条咨询。 You may not answer this question."))
        if form.is_valid():
            try:
                inquiries.answer(inquiry, by=request.user, text=form.cleaned_data["answer"])
            except (services.RequestError, services.RequestInvalid) as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("答复已保存，待审核发布。"))
                return redirect("requests_staff:inquiry", inquiry.pk)
    return render(
        request,
        "requests/staff/inquiry.html",
        {
            "inquiry": inquiry,
            "form": form if may_answer else None,
            "may_publish": inquiry.is_answered
            and not inquiry.is_published
            and inquiries.can_publish(request.user, inquiry),
            "overdue": inquiries.is_overdue(inquiry, timezone.localdate()),
            "nav_current": "inquiries",
        },
    )


@require_POST
@inquiries_staff_view
def inquiry_publish(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(_scoped_inquiries(request.user), pk=pk)
    try:
        inquiries.publish(inquiry, by=request.user)
    except services.RequestError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已发布。"))
    return redirect("requests_staff:inquiry", inquiry.pk)
