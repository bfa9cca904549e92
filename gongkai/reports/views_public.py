"""The public page of the district's annual reports (issue 10, item A)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.reports import district


def district_reports(request: HttpRequest) -> HttpResponse:
    """For one reporting year (``?year=``, default the latest due), every active organisation's report. A year
    the list does not offer falls back to the default, saying so."""
    today = timezone.localdate()
    years = district.years(today)
    year, notice = years[0], ""
    asked = request.GET.get("year", "").strip()
    if asked:
        if asked.isascii() and asked.isdigit() and int(asked) in years:
            year = int(asked)
        else:
            notice = _(
                "年度“%(asked)s”无效：可选%(first)s至%(last)s年度，以下显示%(year)s年度。 "
                "The year “%(asked)s” is not available: choose from %(first)s to %(last)s; showing %(year)s."
            ) % {"asked": asked[:20], "first": years[-1], "last": years[0], "year": year}
    context = {
        "year": year,
        "years": years,
        "notice": notice,
        "groups": district.standings(year, today),
        "today": today,
    }
    return render(request, "reports/public/district.html", context)
