"""The rest of the demo district (站群): besides 张店区发展和改革局, every organisation publishes a few items, has
applications from last year and this, and publishes its annual report on last year; the district government's
report is the roll-up of its departments and street offices, prepared as a draft for its office head to check.
Each organisation works through demo accounts of its own (``<slug>-publisher``, ``-reviewer``, ``-handler``,
``-head``; the demo password)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from gongkai.catalog.demo import DemoItem, _publish
from gongkai.catalog.models import Publication
from gongkai.orgs import roles
from gongkai.orgs.demo import BUREAU_USCC, DEMO_PASSWORD
from gongkai.orgs.models import Department, Organization, OrganizationKind, User
from gongkai.orgs.services import grant_role
from gongkai.reports import services as reports
from gongkai.reports.models import AnnualReport
from gongkai.requests import services as requests

ACCOUNTS = (
    (roles.PUBLISHER, "publisher", "信息发布员"),
    (roles.REVIEWER, "reviewer", "审查员"),
    (roles.REQUEST_HANDLER, "handler", "依申请公开经办人"),
    (roles.OFFICE_HEAD, "head", "公开办负责人"),
)

# (column, title pattern, genre): three items per organisation, its name in each title.
ITEMS = (
    ("functions", "{name}主要职责和内设机构", "其他文件"),
    ("rules", "{name}政府信息公开工作制度", "其他文件"),
    ("other", "{name}{year}年工作总结", "其他文件"),
)

# (received, closed, outcome) relative to last year: two decided last year, one carried over into this year.
REQUESTS = ((3, 10), (2, 4), (9, 30))
OUTCOMES = ("1", "4.1", "1")


def _accounts(org: Organization) -> dict[str, User]:
    office, _ = Department.objects.get_or_create(
        organization=org, name="办公室", defaults={"is_disclosure_office": True}
    )
    found = {}
    for role, suffix, label in ACCOUNTS:
        username = f"{org.slug}-{suffix}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, password=DEMO_PASSWORD, organization=org, department=office,
                display_name=f"{org.short_name or org.name}{label}",
            )  # fmt: skip
            grant_role(user, role, by=None)
        found[suffix] = user
    return found


def _publications(org: Organization, staff: dict, year: int) -> list[str]:
    created = []
    for column, pattern, genre in ITEMS:
        title = pattern.format(name=org.name, year=year)
        if Publication.objects.filter(publisher=org, title=title).exists():
            continue
        item = DemoItem(
            column, title, datetime.date(year, 12, 20), genre=genre, publisher_uscc=org.uscc,
            paragraphs=(f"{title}。", "本文为演示数据。"),
        )  # fmt: skip
        publication = _publish(item, org, staff["publisher"], staff["reviewer"])
        created.append(f"{publication.index_no} {title}")
    return created


def _requests(org: Organization, staff: dict, year: int) -> list[str]:
    created = []
    for number, ((month, days), outcome) in enumerate(zip(REQUESTS, OUTCOMES, strict=True), start=1):
        evidence = f"演示数据 {org.slug} {number}"
        if org.disclosure_requests.filter(receipt_evidence=evidence).exists():
            continue
        received = datetime.date(year, month, 10)
        application = requests.register(
            organization=org, by=staff["handler"], channel="letter", received_on=received, evidence=evidence,
            applicant_kind="natural", applicant_name=f"演示申请人{number}", identity_number="370303199001011239",
            phone=f"1380533{number:04d}", address="淄博市张店区人民西路1号", postcode="255000",
            description=f"申请公开{org.name}{year}年的工作计划。", form_wanted="electronic", delivery="post",
        )  # fmt: skip
        closed = received + datetime.timedelta(days=days)
        if closed.year == year:  # the third is still open at the end of the year: carried over
            reasons = "" if outcome == "1" else "本机关未制作或获取该政府信息。"  # 4.1 gives its reasons
            requests.close(application, by=staff["handler"], outcome=outcome, on=closed, reasons=reasons)
            requests.issue_letter(application, by=staff["handler"], on=closed)
            requests.record_delivery(application, by=staff["handler"], on=closed, method="post")
        created.append(f"申请 {application.tracking_code}")
    return created


def _report(org: Organization, staff: dict, year: int) -> list[str]:
    if AnnualReport.objects.filter(organization=org, year=year).exists():
        return []
    report = reports.prepare(org, year, by=staff["publisher"])
    report = reports.edit(report, by=staff["publisher"], coercion=0, fees="0")
    if org.kind == OrganizationKind.GOVERNMENT:
        return [f"{report.title}（汇总，草稿）"]  # its office head checks the roll-up before signing it off
    failures = reports.problems(report)
    if failures:
        raise AssertionError(f"{org.name}: " + "; ".join(failure.message for failure in failures))
    report = reports.publish(reports.sign_off(report, by=staff["head"]), by=staff["publisher"])
    return [f"{report.title} {report.publication.index_no}"]


def load_district_sites() -> list[str]:
    year = timezone.localdate().year - 1
    created = []
    others = Organization.objects.active().exclude(uscc=BUREAU_USCC)
    # The government's roll-up counts its members: their data first.
    for org in sorted(others, key=lambda org: org.kind == OrganizationKind.GOVERNMENT):
        staff = _accounts(org)
        created += _publications(org, staff, year) + _requests(org, staff, year) + _report(org, staff, year)
    return created
