"""信用修复 on the credit site, under /xinyong/xiufu/: apply online, and follow one's application.

Nothing here shows an applicant's data to anyone else: the receipt shows the tracking code and the status; the
status page, with the officer's reasons and the form for more materials, opens only with the code plus the
phone number given in the application (POST, so that neither lands in a URL or a log).
"""

from __future__ import annotations

import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.credit import repairs
from gongkai.credit.forms import RepairApplicationForm, RepairMaterialsForm, RepairTrackingForm
from gongkai.credit.models import RepairApplication
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.lib.forms import add_service_errors


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    """申请信用修复: the penalty by its decision number and the subject's code, the applicant, the materials."""
    if request.method == "POST":
        form = RepairApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application, _created = repairs.apply(
                    decision_number=data["decision_number"],
                    identity=data["identity"],
                    applicant_kind=data["applicant_kind"],
                    applicant_name=data["applicant_name"],
                    contact=data["contact"],
                    commitment=data["commitment"],
                    evidence=data["evidence"],
                    authorization=data["authorization"],
                    note=data["note"],
                    submission_key=data["submission_key"],
                    client_address=request.META.get("REMOTE_ADDR", ""),
                )
            except (FieldErrors, Refused) as refused:
                add_service_errors(form, refused)
            else:
                return redirect("credit:repair_received", code=application.tracking_code)
    else:
        form = RepairApplicationForm.blank(request.GET.get("number", ""))
    return render(request, "credit/repair/apply.html", {"form": form})


@never_cache
def received(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt: the tracking code to keep, nothing personal."""
    application = RepairApplication.objects.filter(tracking_code=code.upper()).first()
    if application is None:
        raise Http404
    return render(request, "credit/repair/received.html", {"application": application})


def _find(code: str, contact: str) -> RepairApplication | None:
    application = RepairApplication.objects.select_related("penalty").filter(tracking_code=code.strip().upper()).first()
    contact = contact.strip()
    # Compared as bytes: compare_digest refuses str with characters outside ASCII (which anyone can type).
    if application is None or not contact or not secrets.compare_digest(contact.encode(), application.contact.encode()):
        return None
    return application


NOT_MATCHING = "查询码与联系电话不匹配 / the tracking code and the phone number do not match"


def _status_page(request: HttpRequest, application: RepairApplication, materials_form=None, **context):
    if materials_form is None and application.status == RepairApplication.Status.MORE_NEEDED:
        initial = {"code": application.tracking_code, "contact": application.contact}
        materials_form = RepairMaterialsForm(initial=initial)
    return render(
        request,
        "credit/repair/track.html",
        {
            "application": application,
            "events": application.events.all(),
            "files": application.files.all(),
            "materials_form": materials_form,
            **context,
        },
    )


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """修复申请办理进度: the applicant's own page."""
    if request.method == "POST":
        form = RepairTrackingForm(request.POST)
        if form.is_valid():
            application = _find(form.cleaned_data["code"], form.cleaned_data["contact"])
            if application is not None:
                return _status_page(request, application)
            form.add_error(None, NOT_MATCHING)
    else:
        form = RepairTrackingForm(initial={"code": request.GET.get("code", "")})
    return render(request, "credit/repair/track.html", {"form": form})


@never_cache
@require_POST
def add_materials(request: HttpRequest) -> HttpResponse:
    """The materials a credit officer asked for, from the status page."""
    form = RepairMaterialsForm(request.POST, request.FILES)
    code, contact = request.POST.get("code", ""), request.POST.get("contact", "")
    application = _find(code, contact)
    if application is None:
        tracking = RepairTrackingForm({"code": code, "contact": contact})
        tracking.is_valid()
        tracking.add_error(None, NOT_MATCHING)
        return render(request, "credit/repair/track.html", {"form": tracking})
    if form.is_valid():
        try:
            application = repairs.add_materials(
                application, uploads=form.cleaned_data["files"], note=form.cleaned_data["note"]
            )
        except (FieldErrors, Refused) as refused:
            add_service_errors(form, refused)
        else:
            return _status_page(request, application, added=True)
    return _status_page(request, application, materials_form=form)
