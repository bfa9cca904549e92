"""咨询: ask, answer, publish after review. Each change is one function that owns its transaction and audits."""

from __future__ import annotations

import calendar
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai import audit
from gongkai.orgs.auth import can_act_as
from gongkai.orgs.models import Organization
from gongkai.orgs.roles import REVIEWER
from gongkai.requests import auth
from gongkai.requests.models import Inquiry, RequestSettings
from gongkai.requests.services import (
    RequestError,
    RequestInvalid,
    address_key,
    check_hourly_limit,
    new_tracking_code,
    refusal,
)


def ask(
    *, organization: Organization, submission_key: str, client_address: str, name: str, contact: str, subject: str,
    question: str,
) -> tuple[Inquiry, bool]:  # fmt: skip
    """A question from the public site; the same form sent twice is one question: (inquiry, created)."""
    existing = Inquiry.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    errors = {}
    for field, value, chinese, english in (
        ("name", name, "姓名", "your name"),
        ("contact", contact, "联系方式", "a phone number or e-mail address"),
        ("subject", subject, "标题", "a subject"),
        ("question", question, "咨询内容", "the question"),
    ):
        if not (value or "").strip():
            errors[field] = f"请填写{chinese} / {english} is required"
    if errors:
        raise RequestInvalid(errors)
    key = address_key(client_address)
    check_hourly_limit(Inquiry.objects.filter(submitted_from=key), "asked_at", "条咨询", "questions")
    try:
        with transaction.atomic():
            inquiry = Inquiry.objects.create(
                organization=organization,
                tracking_code=new_tracking_code(),
                name=name.strip(),
                contact=contact.strip(),
                subject=subject.strip(),
                question=question.strip(),
                submission_key=submission_key,
                submitted_from=key,
            )
            audit.record(None, "inquiry.asked", inquiry, organization=organization, summary=inquiry.subject)
    except IntegrityError:
        return Inquiry.objects.get(submission_key=submission_key), False
    return inquiry, True


def _lock(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update(of=("self",)).select_related("organization").get(pk=inquiry.pk)


@transaction.atomic
def answer(inquiry: Inquiry, *, by, text: str) -> Inquiry:
    inquiry = _lock(inquiry)
    if not auth.can_handle(by, inquiry.organization):
        raise refusal("只有本机关的依申请公开经办人可以答复咨询", "only a request handler of the agency can answer")
    if inquiry.is_published:
        raise refusal("咨询已发布，不能修改答复", "the question is published: its answer cannot change")
    if not (text or "").strip():
        raise RequestInvalid({"answer": "请填写答复 / the answer is required"})
    inquiry.answer, inquiry.answered_by, inquiry.answered_at = text.strip(), by, timezone.now()
    inquiry.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(by, "inquiry.answered", inquiry, summary=inquiry.subject)
    return inquiry


def can_publish(user, inquiry: Inquiry) -> bool:
    """Review before publishing: a reviewer of the agency who did not write the answer."""
    return can_act_as(user, REVIEWER, inquiry.organization) and inquiry.answered_by_id != user.pk


@transaction.atomic
def publish(inquiry: Inquiry, *, by) -> Inquiry:
    inquiry = _lock(inquiry)
    if not inquiry.is_answered:
        raise refusal("咨询尚未答复", "the question has not been answered")
    if inquiry.is_published:
        raise refusal("咨询已发布", "the question is already published")
    if not can_publish(by, inquiry):
        raise refusal("须由答复人以外的本机关保密审查员审核发布", "a reviewer other than the answerer must publish it")
    inquiry.published_by, inquiry.published_at = by, timezone.now()
    inquiry.save(update_fields=["published_by", "published_at"])
    audit.record(by, "inquiry.published", inquiry, summary=inquiry.subject)
    return inquiry


def _months_after(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def is_overdue(inquiry: Inquiry, today: datetime.date) -> bool:
    """Unanswered for longer than the agency's limit (default 3 months)."""
    if inquiry.is_answered:
        return False
    months = RequestSettings.of(inquiry.organization).inquiry_flag_months
    asked = timezone.localtime(inquiry.asked_at).date()
    return _months_after(asked, months) < today


__all__ = ["RequestError", "answer", "ask", "can_publish", "is_overdue", "publish"]
