"""The demo bureau's annual report on the previous year: counted from the demo's data, checked, signed off by
the office head (钱文) and published in the 政府信息公开年报 column, as `gongkai demo` is run."""

from __future__ import annotations

from django.utils import timezone

from gongkai.orgs.demo import BUREAU_USCC
from gongkai.orgs.models import Organization, User
from gongkai.reports import services
from gongkai.reports.models import AnnualReport


def load_reports() -> list[str]:
    bureau = Organization.objects.get(uscc=BUREAU_USCC)
    year = timezone.localdate().year - 1
    if AnnualReport.objects.filter(organization=bureau, year=year).exists():
        return []
    writer, head = User.objects.get(username="publisher"), User.objects.get(username="head")
    report = services.prepare(bureau, year, by=writer)
    report = services.edit(report, by=writer, coercion=0, fees="0")
    failures = services.problems(report)
    if failures:  # the demo's own data must add up; say which cells do not
        raise AssertionError("; ".join(failure.message for failure in failures))
    report = services.sign_off(report, by=head)
    report = services.publish(report, by=writer)
    return [f"{report.title} {report.publication.index_no}"]
