"""The annual report's staff screens under /staff/reports/ (namespace ``reports``): the reports of the
organisations the user works for, one report with its checks, edits and workflow, its exports, the import of
a published report and the comparison of two years."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.lib.errors import FieldErrors, Refused
from gongkai.lib.forms import add_service_errors
from gongkai.orgs.auth import organizations_for
from gongkai.orgs.models import Organization
from gongkai.reports import auth, compare, district, export, layout, rollup, services
from gongkai.reports.forms import EditForm, ImportForm, ReopenForm
from gongkai.reports.models import AnnualReport

EXPORTS = {
    "html": ("text/html; charset=utf-8", export.to_html),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", export.to_docx),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.to_xlsx),
    "json": ("application/json; charset=utf-8", export.to_json),
}


def _organization(request: HttpRequest, pk: int) -> Organization:
    organization = get_object_or_404(Organization, pk=pk)
    if not auth.can_view(request.user, organization):
        raise PermissionDenied(_("您不能查看这个机关的年度报告。 You cannot see this organisation's reports."))
    return organization


def _report(request: HttpRequest, pk: int, year: int) -> AnnualReport:
    report = AnnualReport.objects.for_year(_organization(request, pk), year)
    if report is None:
        raise Http404
    return report


@login_required
def index(request: HttpRequest) -> HttpResponse:
    organizations = [o for o in organizations_for(request.user) if auth.can_view(request.user, o)]
    if not organizations:
        raise PermissionDenied(_("您没有可查看的年度报告。 You have no annual reports to see."))
    reports = AnnualReport.objects.filter(organization__in=organizations).select_related("organization", "publication")
    last_year = timezone.localdate().year - 1
    by_organization = {o.pk: [] for o in organizations}
    for report in reports:
        by_organization[report.organization_id].append(report)
    rows = [
        {
            "organization": o,
            "reports": by_organization[o.pk],
            "may_prepare": auth.can_prepare(request.user, o)
            and all(report.year != last_year for report in by_organization[o.pk]),
            "may_import": auth.can_prepare(request.user, o),
            "may_see_roll_up": auth.can_view_roll_up(request.user, o) and rollup.rolls_up(o),
        }
        for o in organizations
    ]
    return render(request, "reports/index.html", {"rows": rows, "last_year": timezone.localdate().year - 1})


@require_POST
@login_required
def prepare(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    organization = _organization(request, pk)
    try:
        services.prepare(organization, year, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("reports:index")
    messages.success(request, _("已按系统数据统计%(year)s年度的数字。") % {"year": year})
    return redirect("reports:detail", organization.pk, year)


def _detail_page(request, report: AnnualReport, form: EditForm | None = None, status: int = 200) -> HttpResponse:
    organization, user = report.organization, request.user
    if form is None and report.is_editable and auth.can_prepare(user, organization):
        form = EditForm.for_report(report)
    earlier = services.last_year_of(report)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "document": services.document_of(report),
            "failures": services.problems(report),
            "earlier": earlier,
            "form": form,
            "reopen_form": ReopenForm(),
            "may_prepare": report.is_editable and auth.can_prepare(user, organization),
            "may_sign_off": report.is_editable and auth.can_sign_off(user, organization),
            "may_reopen": report.status == AnnualReport.Status.SIGNED_OFF and auth.can_sign_off(user, organization),
            "may_publish": report.status == AnnualReport.Status.SIGNED_OFF and auth.can_publish(user, organization),
            "statutory_deadline": services.statutory_deadline(organization, report.year),
            "internal_deadline": services.internal_deadline(organization, report.year),
            "exports": list(EXPORTS) if report.format == layout.FORMAT_2021 else [],
            "may_see_roll_up": auth.can_view_roll_up(user, organization) and rollup.rolls_up(organization),
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _detail_page(request, _report(request, pk, year))


@require_POST
@login_required
def edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    report = _report(request, pk, year)
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            services.edit(report, by=request.user, **form.service_arguments())
        except (FieldErrors, Refused) as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("已保存。"))
            return redirect("reports:detail", pk, year)
    return _detail_page(request, report, form, status=400)


def _step(step, success):
    """A workflow button: call the service, say what happened or why not, back to the report."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
        report = _report(request, pk, year)
        try:
            step(request, report)
        except (Refused, FieldErrors) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, success)
        return redirect("reports:detail", pk, year)

    return view


def _reopen(request, report):
    services.reopen(report, by=request.user, reason=request.POST.get("reason", ""))


def _recount(request, report):
    services.prepare(report.organization, report.year, by=request.user)


recount = _step(_recount, gettext_lazy("已重新统计。"))
sign_off = _step(lambda request, report: services.sign_off(report, by=request.user), gettext_lazy("年度报告已签发。"))
reopen = _step(_reopen, gettext_lazy("年度报告已退回为草稿。"))
publish = _step(lambda request, report: services.publish(report, by=request.user), gettext_lazy("年度报告已发布。"))


@login_required
def download(request: HttpRequest, pk: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404
    report = _report(request, pk, year)
    if report.format != layout.FORMAT_2021:
        raise Http404  # an imported 2019-format or older report is kept as it was published (its file)
    content_type, render_as = EXPORTS[fmt]
    response = HttpResponse(render_as(services.document_of(report)), content_type=content_type)
    filename = f"{report.organization.uscc}-{report.year}-annual-report.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    if not auth.can_prepare(request.user, organization):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report, parsed = services.import_published(
                organization, form.cleaned_data["file"], year=form.cleaned_data["year"], by=request.user
            )
        except (FieldErrors, Refused) as refused:
            add_service_errors(form, refused)
        else:
            for problem in parsed.problems:
                messages.warning(request, problem)
            messages.success(request, _("已导入%(year)s年度报告。") % {"year": report.year})
            return redirect("reports:detail", organization.pk, report.year)
    return render(request, "reports/import.html", {"organization": organization, "form": form})


@login_required
def compare_years(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """This year's report beside last year's: the figures that changed, and 上年结转 against 结转下年度."""
    later = _report(request, pk, year)
    earlier = services.last_year_of(later)
    if earlier is None or not later.figures.get("table3"):
        raise Http404
    return render(
        request,
        "reports/compare.html",
        {
            "earlier": earlier,
            "later": later,
            "comparison": compare.comparison(earlier.figures, later.figures),
        },
    )


@login_required
def roll_up(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A government's report as the sum of its parts: each part's share of every cell, and the members whose own
    (signed-off or published) report disagrees with what the system counts now, cell by cell."""
    government = get_object_or_404(Organization, pk=pk)
    if not rollup.rolls_up(government):
        raise Http404
    if not auth.can_view_roll_up(request.user, government):
        raise PermissionDenied(_("只有本级政府的公开办负责人和系统管理员可以查看汇总核对。 "
                                 "Only the government's office head and administrators see the roll-up."))  # fmt: skip
    if not district.FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    members = rollup.membership(government)
    parts = rollup.parts(government, year, members)
    report = AnnualReport.objects.for_year(government, year)
    return render(
        request,
        "reports/roll_up.html",
        {
            "government": government,
            "year": year,
            "membership": members,
            "parts": parts,
            "report": report,
            "shares": rollup.shares(parts, report.figures if report else None),
            "disagreeing": [part for part in parts if part.differences],
        },
    )
