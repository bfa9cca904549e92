"""The reviewer's answers to screening findings, and the publisher's redacted attachments.

They live on the publication's staff page (catalogue staff screens, same access rules): each view finds the
publication in the user's scope (404 otherwise), checks the predicate (403), calls the service and returns
to the page, where the finding now shows how it was resolved.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.catalog import services as catalog_services
from gongkai.catalog.views.staff import _allow, _publication, _render_detail, catalog_staff_view
from gongkai.lib.files import FileRejected
from gongkai.review import auth, services
from gongkai.review.presentation import DismissForm, RedactedForm


def _finding(request: HttpRequest, pk: int, finding_pk: int):
    publication = _publication(request, pk)
    finding = get_object_or_404(publication.findings.select_related("attachment"), pk=finding_pk)
    finding.publication = publication
    return publication, finding


def _back(publication) -> HttpResponse:
    return redirect(reverse("catalog_staff:detail", args=[publication.pk]) + "#findings")


@require_POST
@catalog_staff_view
def mask(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    publication, finding = _finding(request, pk, finding_pk)
    _allow(auth.can_mask(request.user, finding))
    try:
        services.mask(finding, by=request.user)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已遮盖：%(masked)s") % {"masked": finding.masked})
    return _back(publication)


@require_POST
@catalog_staff_view
def dismiss(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    publication, finding = _finding(request, pk, finding_pk)
    _allow(auth.can_resolve(request.user, finding))
    form = DismissForm(request.POST, prefix=f"dismiss-{finding.pk}")
    form.is_valid()
    try:
        services.dismiss(finding, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except services.ReviewError as error:
        form.add_error("reason", str(error))
        return _render_detail(request, publication, status=400, dismiss_forms={finding.pk: form})
    messages.success(request, _("已确认不属敏感信息，理由已记录。"))
    return _back(publication)


@require_POST
@catalog_staff_view
def upload_redacted(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    attachment = get_object_or_404(publication.attachments, pk=attachment_pk)
    _allow(auth.can_upload_redacted(request.user, attachment))
    form = RedactedForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            replacement = catalog_services.replace_attachment(
                attachment, by=request.user, upload=upload, name=upload.name
            )
        except (FileRejected, catalog_services.WorkflowError) as error:
            form.add_error("file", str(error))
        else:
            still = replacement.findings.open().count()
            if still:
                messages.warning(
                    request,
                    _("已换为“%(name)s”，但其中仍发现 %(n)s 项疑似敏感信息。")
                    % {"name": replacement.original_name, "n": still},
                )
            else:
                messages.success(
                    request,
                    _("已换为遮盖后的附件“%(name)s”，重新筛查未发现敏感信息。") % {"name": replacement.original_name},
                )
            return _back(publication)
    return _render_detail(request, publication, status=400, redacted_form=form, redacted_for=attachment.pk)
