"""Reminders of reply deadlines (答复期限), sent by the worker.

The handler is told 5 and 1 working days before an application is due; the head of the disclosure office
when it has passed. Each reminder is sent once per application, kind and due date (a `Reminder` row is
written in the same transaction as the mail goes out), so a worker that runs every hour, or two workers at
once, never send it twice; when the due date moves (an extension, a pause) the reminders follow the new date.
A day the worker missed is caught up: "within 5 working days" is sent even if only 3 are left.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from gongkai.orgs.roles import OFFICE_HEAD
from gongkai.orgs.services import role_emails
from gongkai.requests import services
from gongkai.requests.models import DisclosureRequest, Reminder
from gongkai.workdays.calendar import current_calendar

Kind = Reminder.Kind


def _kind(days_left: int) -> Kind | None:
    if days_left < 0:
        return Kind.OVERDUE
    if days_left <= 1:
        return Kind.DUE_IN_1
    if days_left <= 5:
        return Kind.DUE_IN_5
    return None


def _recipients(application: DisclosureRequest, kind: Kind) -> list[str]:
    if kind == Kind.OVERDUE or application.handler is None or not application.handler.email:
        return role_emails(application.organization, OFFICE_HEAD)
    return [application.handler.email]


def _message(application: DisclosureRequest, kind: Kind, due: datetime.date, days_left: int) -> tuple[str, str]:
    url = f"{settings.GONGKAI_SITE_URL}/staff/requests/{application.pk}/"
    if kind == Kind.OVERDUE:
        subject = f"【已超期】政府信息公开申请 {application.tracking_code} 答复期限 {due.isoformat()} 已过"
        body = (
            f"{application.organization.name}收到的政府信息公开申请 {application.tracking_code}"
            f"（收到申请之日 {application.received_on.isoformat()}）答复期限为 {due.isoformat()}，"
            f"已超期 {-days_left} 个工作日，尚未办结。\n"
            f"Application {application.tracking_code} was due on {due.isoformat()} and is still open.\n\n{url}\n"
        )
    else:
        subject = f"【到期提醒】政府信息公开申请 {application.tracking_code} 还剩 {days_left} 个工作日"
        body = (
            f"政府信息公开申请 {application.tracking_code}（收到申请之日 {application.received_on.isoformat()}）"
            f"答复期限为 {due.isoformat()}，还剩 {days_left} 个工作日。\n"
            f"Application {application.tracking_code} is due on {due.isoformat()}: "
            f"{days_left} working day(s) left.\n\n{url}\n"
        )
    return subject, body


def send_reminders(today: datetime.date) -> int:
    """Send the reminders due today; returns how many e-mails went out."""
    calendar = current_calendar()
    sent = 0
    open_ones = DisclosureRequest.objects.open().select_related("organization", "handler").prefetch_related("events")
    for application in open_ones:
        clock = services.clock_of(application, today=today)
        if clock.due is None or clock.paused:
            continue  # waiting for a correction, or stopped: the due date is not running
        days_left = calendar.working_days_between(today, clock.due).days
        kind = _kind(days_left)
        if kind is None:
            continue
        recipients = _recipients(application, kind)
        if not recipients:
            continue
        subject, body = _message(application, kind, clock.due, days_left)
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    request=application, kind=kind, due_on=clock.due, recipients=", ".join(recipients)
                )
                send_mail(subject, body, None, recipients)
        except IntegrityError:
            continue  # sent already (by this worker earlier, or by another one just now)
        sent += 1
    return sent
