"""The district's annual reports at a glance (issue 10, item A): for one reporting year, every active organisation's
政府信息公开工作年度报告 — published (with its page), not yet published, or late — grouped as the public directory
groups organisations (by kind, affiliated institutions under their parent).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organization
from gongkai.portal.directory import organization_directory
from gongkai.reports import services
from gongkai.reports.models import AnnualReport

# 条例 (2007年国务院令第492号) took effect on 1 May 2008: the first annual reports are on 2008.
FIRST_YEAR = 2008


class State(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    PUBLISHED_LATE = "published_late", _("逾期发布")
    PUBLISHED_ELSEWHERE = "published_elsewhere", _("已发布（原网站）")
    NOT_YET = "not_yet", _("尚未发布")
    OVERDUE = "overdue", _("逾期未发布")


LATE = (State.PUBLISHED_LATE, State.OVERDUE)


def latest_due_year(today: datetime.date) -> int:
    """条例第四十九条: the report on a year is published by 31 January (a government's by 31 March) of the next;
    so in any year the reports falling due are those on the year before."""
    return today.year - 1


def state_of(
    *, published_on: datetime.date | None, published_elsewhere: bool, deadline: datetime.date, today: datetime.date
) -> State:
    """条例第四十九条: published by the statutory date, after it, or not at all (late once the date has passed).
    A report imported from the organisation's former site was published there, on a day the system does not know:
    it is not judged late."""
    if published_on is not None:
        return State.PUBLISHED_LATE if published_on > deadline else State.PUBLISHED
    if published_elsewhere:
        return State.PUBLISHED_ELSEWHERE
    return State.OVERDUE if today > deadline else State.NOT_YET


@dataclass(frozen=True)
class Standing:
    organization: Organization
    deadline: datetime.date
    state: State
    report: AnnualReport | None
    published_on: datetime.date | None
    affiliate: bool = False  # listed under its parent

    @property
    def is_late(self) -> bool:
        return self.state in LATE


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    standings: list[Standing]  # each organisation, then its affiliates


def years(today: datetime.date) -> list[int]:
    """The years the list offers, latest first: from the earliest report the system holds (or the latest due
    year, if none is earlier) to the latest due year."""
    latest = latest_due_year(today)
    earliest = AnnualReport.objects.aggregate(first=models.Min("year"))["first"] or latest
    return list(range(latest, max(FIRST_YEAR, min(earliest, latest)) - 1, -1))


def _published_on(report: AnnualReport | None) -> datetime.date | None:
    publication = report.publication if report is not None else None
    if publication is None or not publication.is_published() or publication.published_at is None:
        return None  # never published here, or withdrawn: the public cannot read it
    return timezone.localdate(publication.published_at)


def standings(year: int, today: datetime.date) -> list[Group]:
    """Every active organisation's report on ``year`` as it stands on ``today``, grouped for the public page
    (one query of the organisations, one of the reports)."""
    organizations = Organization.objects.active().select_related("parent")
    reports = {
        report.organization_id: report
        for report in AnnualReport.objects.filter(year=year, organization__is_active=True).select_related("publication")
    }

    def standing(organization: Organization, affiliate: bool = False) -> Standing:
        report = reports.get(organization.pk)
        published_on = _published_on(report)
        deadline = services.statutory_deadline(organization, year)
        elsewhere = (
            report is not None
            and report.source == AnnualReport.Source.IMPORTED
            and report.status == AnnualReport.Status.PUBLISHED
        )
        state = state_of(published_on=published_on, published_elsewhere=elsewhere, deadline=deadline, today=today)
        return Standing(organization, deadline, state, report, published_on, affiliate)

    groups = []
    for group in organization_directory(organizations):
        rows = []
        for entry in group.entries:
            rows.append(standing(entry.organization))
            rows.extend(standing(affiliate, affiliate=True) for affiliate in entry.affiliates)
        groups.append(Group(group.kind, group.label, rows))
    return groups
