"""Statistics pages under /staff/statistics/: one dashboard per organisation and year, the 双公示 figures of every
reporting organisation side by side, and each dataset as CSV.

Each figure is a chart (`gongkai.reports.svg`) and a table with the same numbers; the table is what screen readers
read. The numbers come from `gongkai.reports.stats`; who may see what from `gongkai.reports.auth`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.orgs.models import Organization
from gongkai.reports import auth, stats
from gongkai.reports.svg import Series, bar_chart, format_value, hbar_chart, line_chart

FIRST_YEAR = 2008  # 《政府信息公开条例》 in force from 1 May 2008
YEARS_OFFERED = 10  # the year chooser lists this many years back from this one
DATASETS = ("requests", "replies", "publications", "credit")


def _this_year() -> int:
    return timezone.localdate().year


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= _this_year():
        raise Http404(f"no statistics for {year}")
    return year


def _years(chosen: int) -> list[int]:
    this_year = _this_year()
    years = list(range(this_year, max(FIRST_YEAR, this_year - YEARS_OFFERED + 1) - 1, -1))
    return years if chosen in years else sorted([*years, chosen], reverse=True)


def _organization(request: HttpRequest, pk: int) -> tuple[Organization, bool, bool]:
    """The organisation, and whether the user may see its full dashboard and its 双公示 figures; 403 if neither."""
    organization = get_object_or_404(Organization.objects.active(), pk=pk)
    full = auth.can_view_statistics(request.user, organization)
    credit = auth.can_view_credit_statistics(request.user, organization)
    if not (full or credit):
        raise PermissionDenied(_("您无权查看该机构的统计。 You may not see this organisation's statistics."))
    return organization, full, credit


def _month_labels() -> list[str]:
    return [_("%(month)s月") % {"month": month} for month in stats.MONTHS]


# --- pages --------------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The chooser's target (``?org=&year=``) and the link from the workbench: the chosen or the user's own
    organisation, else the first the user may see, in the chosen or the current year."""
    organizations = list(auth.statistics_organizations(request.user))
    if not organizations:
        raise PermissionDenied(_("您没有查看统计的角色。 You have no role that shows statistics."))
    by_pk = {str(organization.pk): organization for organization in organizations}
    own = by_pk.get(str(request.user.organization_id))
    organization = by_pk.get(request.GET.get("org", "")) or own or organizations[0]
    return redirect("stats:dashboard", organization.pk, _chosen_year(request, _this_year()))


def _chosen_year(request: HttpRequest, default: int) -> int:
    """The year of the chooser (``?year=``), if it is one there are statistics for."""
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and FIRST_YEAR <= int(year) <= _this_year() else default


@login_required
def dashboard(request: HttpRequest, org: int, year: int) -> HttpResponse:
    organization, full, credit = _organization(request, org)
    year = _checked_year(year)
    context = {
        "organization": organization,
        "year": year,
        "years": _years(year),
        "organizations": auth.statistics_organizations(request.user),
        "may_see_district": auth.can_view_district_credit(request.user),
        "full": full,
        "credit": credit,
        "nav_current": "dashboard",
    }
    labels = _month_labels()
    if full:
        context.update(_request_figures(organization, year, labels))
        context.update(_publication_figures(organization, year, labels))
    if credit:
        context.update(_credit_figures(organization, year, labels))
    return render(request, "reports/stats/dashboard.html", context)


def _request_figures(organization, year: int, labels: list[str]) -> dict:
    months = stats.request_months(organization, year)
    replies, reply_year = stats.reply_months(organization, year)
    return {
        "groups": [label for _code, label in stats.OUTCOME_GROUPS],
        "request_months": list(zip(labels, months, strict=True)),
        "request_year": stats.request_year(months),
        "reply_months": list(zip(labels, replies, strict=True)),
        "reply_year": reply_year,
        "requests_chart": bar_chart(
            "chart-requests",
            title=_("%(year)s年每月收到和办结的申请") % {"year": year},
            description=_("柱状图，每月两根柱：收到申请数和办结数。数据见下表。"),
            labels=labels,
            series=[
                Series(_("收到申请"), [month.received for month in months]),
                Series(_("办结"), [month.closed for month in months]),
            ],
        ),
        "on_time_chart": line_chart(
            "chart-on-time",
            title=_("%(year)s年每月按时答复率") % {"year": year},
            description=_("折线图，按办结月份统计的按时答复率；当月没有计时答复的不画点。数据见下表。"),
            labels=labels,
            series=[Series(_("按时答复率"), [month.on_time_rate for month in replies])],
            percent=True,
        ),
        "days_chart": line_chart(
            "chart-days",
            title=_("%(year)s年每月答复用时（工作日）") % {"year": year},
            description=_("折线图，两条线：答复用时的中位数和第90百分位数，单位为工作日。数据见下表。"),
            labels=labels,
            series=[
                Series(_("中位数"), [month.median_days for month in replies]),
                Series(_("第90百分位数"), [month.p90_days for month in replies]),
            ],
        ),
    }


def _publication_figures(organization, year: int, labels: list[str]) -> dict:
    publications = stats.publication_months(organization, year)
    return {
        "publications": publications,
        "publication_months": list(zip(labels, publications.months, strict=True)),
        "publications_chart": bar_chart(
            "chart-publications",
            title=_("%(year)s年每月发布的政府信息") % {"year": year},
            description=_("柱状图，每月发布的政府信息条数（各栏目合计）；各栏目的数字见下表。"),
            labels=labels,
            series=[Series(_("发布条数"), list(publications.months))],
        ),
    }


def _credit_figures(organization, year: int, labels: list[str]) -> dict:
    months = stats.credit_months([organization], year)[organization.pk]
    return {
        "credit_months": list(zip(labels, months, strict=True)),
        "credit_year": stats.credit_year(months),
        "credit_chart": line_chart(
            "chart-credit",
            title=_("%(year)s年每月双公示及时率和差错率") % {"year": year},
            description=_(
                "折线图，两条线：公示及时率（按首次公示月份）和报送差错率（退回行数占报送行数）。数据见下表。"
            ),
            labels=labels,
            series=[
                Series(_("公示及时率"), [month.on_time_rate for month in months]),
                Series(_("差错率"), [month.error_rate for month in months]),
            ],
            percent=True,
        ),
    }


@login_required
def credit_overview(request: HttpRequest, year: int) -> HttpResponse:
    """双公示 on-time and error rates of every reporting organisation in ``year``."""
    if not auth.can_view_district_credit(request.user):
        raise PermissionDenied(_("只有信用管理员和系统管理员可以查看各报送单位的统计。 Credit office only."))
    year = _checked_year(year)
    if "year" in request.GET:  # the year chooser
        return redirect("stats:credit", _chosen_year(request, year))
    rows = stats.credit_by_organization(Organization.objects.reporting(), year)
    names = [row.organization.display_name for row in rows]
    return render(
        request,
        "reports/stats/credit.html",
        {
            "year": year,
            "years": _years(year),
            "rows": rows,
            "district": stats.credit_year([row.year for row in rows]),
            "may_see_district": True,
            "nav_current": "credit",
            "on_time_chart": hbar_chart(
                "chart-credit-on-time",
                title=_("%(year)s年各报送单位双公示及时率") % {"year": year},
                description=_("条形图，每个报送单位一条：全年公示及时率。数据见下表。"),
                labels=names,
                values=[row.year.on_time_rate for row in rows],
                percent=True,
            ),
            "error_chart": hbar_chart(
                "chart-credit-errors",
                title=_("%(year)s年各报送单位双公示差错率") % {"year": year},
                description=_("条形图，每个报送单位一条：全年退回行数占报送行数的比例。数据见下表。"),
                labels=names,
                values=[row.year.error_rate for row in rows],
                percent=True,
            ),
        },
    )


# --- CSV ----------------------------------------------------------------------------------------------------


def _percent(rate: float | None) -> str:
    """A rate for a spreadsheet: a percentage with one decimal, empty when there is nothing to divide."""
    return "" if rate is None else f"{rate * 100:.1f}"


def _number(value: float | None) -> str:
    return "" if value is None else format_value(value)


def _text(value: str) -> str:
    """A name as a spreadsheet cell: never read as a formula (=, +, -, @ at the start)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _csv(name: str, rows: Iterable[list[str]]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    csv.writer(response, lineterminator="\r\n").writerows(rows)
    return response


def _month_cell(year: int, month: int) -> str:
    return f"{year}-{month:02d}" if month else _("全年")


def _requests_rows(organization, year: int) -> list[list[str]]:
    months = stats.request_months(organization, year)
    header = [_("月份"), _("收到申请"), _("办结"), *(str(label) for _code, label in stats.OUTCOME_GROUPS)]
    return [header] + [
        [_month_cell(year, month.month), str(month.received), str(month.closed), *map(str, month.by_group)]
        for month in [*months, stats.request_year(months)]
    ]


def _replies_rows(organization, year: int) -> list[list[str]]:
    months, year_total = stats.reply_months(organization, year)
    header = [
        _("月份"),
        _("办结"),
        _("计时答复"),
        _("按时答复"),
        _("逾期答复"),
        _("按时答复率（%）"),
        _("答复用时中位数（工作日）"),
        _("答复用时第90百分位数（工作日）"),
    ]
    return [header] + [
        [
            _month_cell(year, month.month),
            str(month.replies),
            str(month.timed),
            str(month.on_time),
            str(month.late),
            _percent(month.on_time_rate),
            _number(month.median_days),
            _number(month.p90_days),
        ]
        for month in [*months, year_total]
    ]


def _publications_rows(organization, year: int) -> list[list[str]]:
    publications = stats.publication_months(organization, year)
    header = [_("栏目"), *(_month_cell(year, month) for month in stats.MONTHS), _("合计")]
    rows = [[_text(row.name), *map(str, row.months), str(row.total)] for row in publications.columns]
    return [header, *rows, [_("合计"), *map(str, publications.months), str(publications.total)]]


CREDIT_HEADER = (
    gettext_noop("首次公示记录"),
    gettext_noop("及时公示"),
    gettext_noop("公示及时率（%）"),
    gettext_noop("报送行数"),
    gettext_noop("退回行数"),
    gettext_noop("差错率（%）"),
)


def _credit_header() -> list[str]:
    return [_(label) for label in CREDIT_HEADER]


def _credit_cells(month: stats.CreditMonth) -> list[str]:
    return [
        str(month.published),
        str(month.on_time),
        _percent(month.on_time_rate),
        str(month.rows),
        str(month.rejected),
        _percent(month.error_rate),
    ]


def _credit_rows(organization, year: int) -> list[list[str]]:
    months = stats.credit_months([organization], year)[organization.pk]
    return [[_("月份"), *_credit_header()]] + [
        [_month_cell(year, month.month), *_credit_cells(month)] for month in [*months, stats.credit_year(months)]
    ]


@login_required
def dataset_csv(request: HttpRequest, org: int, year: int, dataset: str) -> HttpResponse:
    organization, full, credit = _organization(request, org)
    year = _checked_year(year)
    if dataset not in DATASETS:
        raise Http404(f"no dataset {dataset!r}")
    if dataset == "credit" and not credit:
        raise PermissionDenied(_("您无权查看该机构的双公示统计。 You may not see these figures."))
    if dataset != "credit" and not full:
        raise PermissionDenied(_("您无权查看该机构的依申请公开和主动公开统计。 You may not see these figures."))
    rows = {
        "requests": _requests_rows,
        "replies": _replies_rows,
        "publications": _publications_rows,
        "credit": _credit_rows,
    }[dataset](organization, year)
    return _csv(f"{dataset}-{organization.slug}-{year}.csv", rows)


@login_required
def credit_overview_csv(request: HttpRequest, year: int) -> HttpResponse:
    """Every reporting organisation, each month of ``year`` and the year: one row each."""
    if not auth.can_view_district_credit(request.user):
        raise PermissionDenied(_("只有信用管理员和系统管理员可以查看各报送单位的统计。 Credit office only."))
    year = _checked_year(year)
    rows = [[_("报送单位"), _("统一社会信用代码"), _("月份"), *_credit_header()]]
    for row in stats.credit_by_organization(Organization.objects.reporting(), year):
        for month in [*row.months, row.year]:
            organization = row.organization
            rows.append(
                [_text(organization.name), organization.uscc, _month_cell(year, month.month), *_credit_cells(month)]
            )
    return _csv(f"credit-{year}.csv", rows)
