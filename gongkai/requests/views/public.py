"""The public pages of 依申请公开: apply online, follow one's application, compute a deadline.

Nothing here shows an applicant's personal data to anyone but the applicant: the receipt page shows the
tracking code, the agency and dates; the status page opens only with the code plus the phone or identity
number given in the application.
"""

from __future__ import annotations

import secrets

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from gongkai.lib import identifiers
from gongkai.lib.files import FileRejected
from gongkai.lib.forms import add_service_errors
from gongkai.orgs.models import Organization
from gongkai.requests import inquiries, services
from gongkai.requests.clock import ClockError, calculator_clock
from gongkai.requests.forms import ApplicationForm, DeadlineForm, InquiryForm, TrackingForm
from gongkai.requests.models import DisclosureRequest, Inquiry
from gongkai.workdays.calendar import current_calendar


def _online_agencies():
    return Organization.objects.active().exclude(request_settings__online=False)


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    """网上申请: the form of 条例第二十九条; one application however often the form is sent."""
    agencies = _online_agencies()
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, organizations=agencies)
        if form.is_valid():
            try:
                application, _created = services.submit_online(
                    organization=form.cleaned_data["organization"],
                    submission_key=form.cleaned_data["submission_key"],
                    client_address=request.META.get("REMOTE_ADDR", ""),
                    attachment=form.cleaned_data["attachment"],
                    **form.applicant_values(),
                )
            except FileRejected as rejected:
                form.add_error("attachment", str(rejected))
            except (services.RequestInvalid, services.RequestError) as refused:
                add_service_errors(form, refused)
            else:
                return redirect("requests:received", code=application.tracking_code)
    else:
        form = ApplicationForm.blank(request, agencies)
    return render(request, "requests/public/apply.html", {"form": form})


@never_cache
def received(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt: the tracking code to keep, nothing personal."""
    application = DisclosureRequest.objects.select_related("organization").filter(tracking_code=code.upper()).first()
    if application is None:
        raise Http404
    clock = services.clock_of(application)
    return render(request, "requests/public/received.html", {"application": application, "clock": clock})


def _find(code: str, secret: str) -> DisclosureRequest | None:
    application = (
        DisclosureRequest.objects.select_related("organization").filter(tracking_code=code.strip().upper()).first()
    )
    if application is None:
        return None
    secret = secret.strip()
    # Compared as bytes: compare_digest refuses str with characters outside ASCII (which anyone can type).
    matches = secret and (
        secrets.compare_digest(secret.encode(), application.phone.encode())
        or secrets.compare_digest(identifiers.normalize(secret).encode(), application.identity_number.encode())
    )
    return application if matches else None


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """申请办理进度: the applicant's own page (POST, so that the number never lands in a URL or a log)."""
    application = clock = None
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if form.is_valid():
            application = _find(form.cleaned_data["code"], form.cleaned_data["secret"])
            if application is None:
                form.add_error(
                    None,
                    "查询码与联系电话或身份证明号码不匹配 / "
                    "the tracking code and the phone or identity number do not match",
                )
            else:
                clock = services.clock_of(application)
    else:
        form = TrackingForm(initial={"code": request.GET.get("code", "")})
    return render(request, "requests/public/track.html", {"form": form, "application": application, "clock": clock})


def deadline(request: HttpRequest) -> HttpResponse:
    """答复期限计算器: what `gongkai deadline` prints, from a form."""
    form = DeadlineForm(request.GET or None)
    clock = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            clock = calculator_clock(
                current_calendar(),
                received=data["received"],
                corrected=data["corrected"],
                paused=data["paused"],
                extended=data["extended"],
                as_of=timezone.localdate(),
            )
        except ClockError as error:
            form.add_error(None, str(error))
    return render(request, "requests/public/deadline.html", {"form": form, "clock": clock})


# --- 咨询 --------------------------------------------------------------------------------------------------

INQUIRIES_PER_PAGE = 20


@never_cache
def ask(request: HttpRequest) -> HttpResponse:
    """我要咨询: anyone may ask; the answer is published after review, without the asker's name or contact."""
    agencies = Organization.objects.active()
    if request.method == "POST":
        form = InquiryForm(request.POST, organizations=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry, _created = inquiries.ask(
                    organization=data["organization"],
                    submission_key=data["submission_key"],
                    client_address=request.META.get("REMOTE_ADDR", ""),
                    name=data["name"],
                    contact=data["contact"],
                    subject=data["subject"],
                    question=data["question"],
                )
            except (services.RequestInvalid, services.RequestError) as refused:
                add_service_errors(form, refused)
            else:
                return render(request, "requests/public/asked.html", {"inquiry": inquiry})
    else:
        form = InquiryForm.blank(request, agencies)
    return render(request, "requests/public/ask.html", {"form": form})


def questions(request: HttpRequest) -> HttpResponse:
    """The published questions and answers, newest first."""
    published = Inquiry.objects.published().select_related("organization").order_by("-published_at", "-id")
    page = Paginator(published, INQUIRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "requests/public/questions.html", {"page": page})
