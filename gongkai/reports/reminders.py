"""Reminders to the office head about last year's annual report, sent by the worker once a day.

Before the organisation's internal deadline (`ReportSettings`, by default 20 January, reminded 10 days ahead),
when it has passed, and when the statutory latest date has passed (31 January for a department, 31 March for
a government: 条例第四十九条) — each once per organisation and year, while the report is not published.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from gongkai.orgs.models import Organization
from gongkai.orgs.roles import OFFICE_HEAD
from gongkai.orgs.services import role_emails
from gongkai.reports import services
from gongkai.reports.models import AnnualReport, ReportReminder, ReportSettings

Kind = ReportReminder.Kind


# After this many days past the statutory date the season is over: an installation set up later in the year
# does not tell every office head that a report they published on their old site is overdue.
SEASON_ENDS_DAYS_AFTER = 60


def reminder_due(today: datetime.date, *, internal: datetime.date, statutory: datetime.date, days_before: int):
    """Which reminder ``today`` calls for, if any (the latest stage reached)."""
    if today > statutory + datetime.timedelta(days=SEASON_ENDS_DAYS_AFTER):
        return None
    if today > statutory:
        return Kind.STATUTORY
    if today > internal:
        return Kind.OVERDUE
    if today >= internal - datetime.timedelta(days=days_before):
        return Kind.DUE_SOON
    return None


def _message(organization, year: int, kind, internal: datetime.date, statutory: datetime.date) -> tuple[str, str]:
    title = services.title_for(organization, year)
    state = {
        Kind.DUE_SOON: f"应于{internal:%Y年%m月%d日}前发布（本机关内部期限）",
        Kind.OVERDUE: f"已超过本机关内部期限（{internal:%Y年%m月%d日}），法定最晚发布日期为{statutory:%Y年%m月%d日}",
        Kind.STATUTORY: f"已超过法定最晚发布日期（{statutory:%Y年%m月%d日}，条例第四十九条）",
    }[kind]
    subject = f"【年度报告提醒】{title}{state.split('（')[0]}"
    link = f"{settings.GONGKAI_SITE_URL}/staff/reports/{organization.pk}/{year}/"
    body = f"{title}尚未发布，{state}。\n\n编制、签发和发布：{link}\n"
    return subject, body


def send_reminders(today: datetime.date) -> int:
    """Send the reminders due today about the reports on last year; returns how many e-mails went out."""
    year, sent = today.year - 1, 0
    published = set(
        AnnualReport.objects.filter(year=year, status=AnnualReport.Status.PUBLISHED).values_list(
            "organization", flat=True
        )
    )
    own = {s.organization_id: s for s in ReportSettings.objects.all()}
    for organization in Organization.objects.filter(is_active=True).exclude(pk__in=published):
        policy = own.get(organization.pk) or ReportSettings()
        internal = services.internal_deadline(organization, year, policy)
        statutory = services.statutory_deadline(organization, year)
        kind = reminder_due(today, internal=internal, statutory=statutory, days_before=policy.remind_days_before)
        recipients = role_emails(organization, OFFICE_HEAD) if kind else []
        if not recipients:
            continue
        subject, body = _message(organization, year, kind, internal, statutory)
        try:
            with transaction.atomic():
                ReportReminder.objects.create(
                    organization=organization, year=year, kind=kind, recipients=", ".join(recipients)
                )
                send_mail(subject, body, None, recipients)
        except IntegrityError:
            continue  # sent already
        sent += 1
    return sent
