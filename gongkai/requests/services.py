"""Every change to an application for disclosure goes through one of these functions.

Each owns its transaction, checks who is acting, and writes the audit log. A step the reply clock cannot
accept (a second correction notice, an extension of 21 working days, an event before the receipt) is
refused before anything is saved, with the clock's own message.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai import audit
from gongkai.lib import files, identifiers
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.orgs.models import Organization
from gongkai.requests import auth, fees, letters, outcomes
from gongkai.requests.clock import PAUSES, Clock, ClockError, Event, Kind, reply_clock
from gongkai.requests.models import (
    ApplicantKind,
    Channel,
    DeliveryMethod,
    DisclosureRequest,
    LetterCounter,
    ProcessingFee,
    Remedy,
    ReplyLetter,
    RequestAttachment,
    RequestEvent,
    RequestSettings,
)
from gongkai.workdays.calendar import current_calendar

APPLICANT_FIELDS = (
    "applicant_kind", "applicant_name", "identity_number", "contact_person", "phone", "email", "address", "postcode",
    "description", "document_number", "form_wanted", "delivery",
)  # fmt: skip

# Unambiguous letters and digits (no 0/O, 1/I/L): read over the phone and typed back.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 10


class RequestError(Refused):
    """A step with an application that is not allowed now, or not to this person."""


class RequestInvalid(FieldErrors):
    """An application's field errors, keyed by field name, each bilingual; nothing was saved."""


refusal = RequestError.because


def new_tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


# --- the clock ----------------------------------------------------------------------------------------------


def clock_of(request: DisclosureRequest, *, today: datetime.date | None = None, extra: Event | None = None) -> Clock:
    """The reply clock of ``request`` today (the calendar as it is now), optionally with one more event."""
    events = request.clock_events() + ([extra] if extra else [])
    return reply_clock(events, current_calendar(), as_of=today or timezone.localdate())


def _checked(request: DisclosureRequest, event: Event) -> None:
    try:
        clock_of(request, extra=event)
    except ClockError as error:
        raise RequestError(str(error)) from None


# --- registration -------------------------------------------------------------------------------------------


def validate_applicant(values: dict) -> dict[str, str]:
    """The applicant's part of an application (条例第二十九条): who, how to reach them, what they want."""
    errors: dict[str, str] = {}
    for name, chinese, english in (
        ("applicant_name", "申请人姓名或名称", "the applicant's name"),
        ("phone", "联系电话", "a phone number"),
        ("description", "所需政府信息的名称或特征描述", "a description of the information"),
    ):
        if not (values.get(name) or "").strip():
            errors[name] = f"请填写{chinese} / {english} is required"
    kind = values.get("applicant_kind")
    if kind not in ApplicantKind.values:
        errors["applicant_kind"] = "请选择申请人类型 / choose the kind of applicant"
    number = (values.get("identity_number") or "").strip()
    if not number:
        errors["identity_number"] = "请填写身份证明号码 / the identity document number is required"
    elif kind in ApplicantKind.values:
        wanted = "resident_id" if kind == ApplicantKind.NATURAL else "uscc"
        result = identifiers.check(number, wanted)
        if not result.valid:
            errors["identity_number"] = result.errors[0]
    for name in ("form_wanted", "delivery"):
        if not values.get(name):
            errors[name] = "请选择 / choose one"
    if values.get("delivery") == "email" and not (values.get("email") or "").strip():
        errors["email"] = "选择电子邮件获取的，请填写电子邮箱 / an e-mail address is required for delivery by e-mail"
    if values.get("delivery") == "post" and not (values.get("address") or "").strip():
        errors["address"] = "选择邮寄的，请填写通信地址 / a postal address is required for delivery by post"
    return errors


def _normalized(values: dict) -> dict:
    cleaned = {name: values.get(name) or "" for name in APPLICANT_FIELDS}
    for name in ("applicant_name", "contact_person", "phone", "email", "address", "postcode", "document_number"):
        cleaned[name] = cleaned[name].strip()
    cleaned["identity_number"] = identifiers.normalize(cleaned["identity_number"])
    return cleaned


def _create(
    *,
    organization: Organization,
    by,
    channel: str,
    received_on,
    evidence: str,
    values: dict,
    key=None,
    client_address_key="",
):
    errors = validate_applicant(values)
    if received_on is None:
        errors["received_on"] = "请填写收到申请之日 / the day of receipt is required"
    elif received_on > timezone.localdate():
        errors["received_on"] = (
            f"收到申请之日{received_on.isoformat()}晚于今天 / "
            f"the day of receipt {received_on.isoformat()} is in the future"
        )
    if errors:
        raise RequestInvalid(errors)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = DisclosureRequest.objects.create(
                    organization=organization,
                    tracking_code=new_tracking_code(),
                    channel=channel,
                    received_on=received_on,
                    receipt_evidence=evidence,
                    submission_key=key,
                    submitted_from=client_address_key,
                    created_by=by,
                    handler=by,
                    **_normalized(values),
                )
                break
        except IntegrityError:
            if key and DisclosureRequest.objects.filter(submission_key=key).exists():
                raise
            continue  # a tracking code that exists already: draw another
    else:  # pragma: no cover - 31**10 codes
        raise RuntimeError("could not draw a free tracking code")
    RequestEvent.objects.create(request=request, kind=Kind.RECEIVED, on=received_on, recorded_by=by)
    audit.record(
        by,
        "request.registered",
        request,
        organization=organization,
        summary=request.tracking_code,
        channel=channel,
        received_on=received_on.isoformat(),
    )
    return request


@transaction.atomic
def register(
    *,
    organization: Organization,
    by,
    channel: str,
    received_on: datetime.date,
    evidence: str = "",
    submission_key: str | None = None,
    **values,
) -> DisclosureRequest:
    """Staff register an application received by post, letter, fax, e-mail or in person (条例第三十一条)."""
    if not auth.can_handle(by, organization):
        raise refusal("只有本机关的依申请公开经办人可以登记申请", "only a request handler of the agency can register")
    if channel not in RequestSettings.of(organization).opened():
        raise RequestInvalid(
            {"channel": f"本机关未开通受理渠道“{channel}” / the agency has not opened the channel '{channel}'"}
        )
    return _create(
        organization=organization,
        by=by,
        channel=channel,
        received_on=received_on,
        evidence=evidence,
        values=values,
        key=submission_key,
    )


def address_key(address: str) -> str:
    """A keyed hash of a client address: enough to count its applications, useless to anyone else."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_KINDS = ("pdf", "png", "jpeg", "gif", "webp", "docx")


def check_attachment(upload, name: str) -> files.FileKind:
    """An applicant's file: PDF, image or DOCX, at most 10 MB, its type read from its content."""
    kind = files.check_upload(upload, name, max_bytes=ATTACHMENT_MAX_BYTES)
    if kind.kind not in ATTACHMENT_KINDS:
        raise files.FileRejected(
            f"“{name}”：申请材料只收PDF、图片或Word文档 / '{name}': only PDF, images or Word documents are accepted"
        )
    return kind


def check_hourly_limit(sent_from_address, time_field: str, chinese: str, english: str) -> None:
    """Refuse a public submission when its address has sent ``GONGKAI_APPLICATIONS_PER_HOUR`` in the last hour."""
    limit = settings.GONGKAI_APPLICATIONS_PER_HOUR
    since = timezone.now() - datetime.timedelta(hours=1)
    if sent_from_address.filter(**{f"{time_field}__gte": since}).count() >= limit:
        raise refusal(
            f"同一地址每小时最多提交{limit}{chinese}，请稍后再试",
            f"at most {limit} {english} an hour from one address; please try again later",
        )


def submit_online(
    *, organization: Organization, submission_key: str, client_address: str, attachment=None, **values
) -> tuple[DisclosureRequest, bool]:
    """An application from the public form. The same form sent twice is one application: (request, created).

    Received on the day it is submitted; if the office confirms it with the applicant on a later day, that day
    is the day of receipt (条例第三十一条: 双方确认之日; `confirm_receipt`). An address may send at most
    ``GONGKAI_APPLICATIONS_PER_HOUR`` applications an hour (no outside service is used).
    """
    existing = DisclosureRequest.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    if not RequestSettings.of(organization).online:
        raise refusal("该机关未开通网上申请", "the agency does not take applications online")
    key = address_key(client_address)
    check_hourly_limit(DisclosureRequest.objects.filter(submitted_from=key), "created_at", "件申请", "applications")
    kind = check_attachment(attachment, attachment.name) if attachment is not None else None
    try:
        with transaction.atomic():
            request = _create(
                organization=organization,
                by=None,
                channel=Channel.ONLINE,
                received_on=timezone.localdate(),
                evidence="网上申请 / online form",
                values=values,
                key=submission_key,
                client_address_key=key,
            )
            if kind is not None:
                attachment.seek(0)
                RequestAttachment.objects.create(
                    request=request,
                    file=File(attachment, name=f"{request.tracking_code}{kind.extension}"),
                    original_name=PurePath(attachment.name).name[:200],
                    content_type=kind.content_type,
                    size=attachment.size,
                )
    except IntegrityError:
        return DisclosureRequest.objects.get(submission_key=submission_key), False
    return request, True


# --- the steps of handling ----------------------------------------------------------------------------------


def _lock(request: DisclosureRequest) -> DisclosureRequest:
    return DisclosureRequest.objects.select_for_update(of=("self",)).select_related("organization").get(pk=request.pk)


def _handled_by(request: DisclosureRequest, by) -> DisclosureRequest:
    """The application, locked, if ``by`` handles applications for its organisation."""
    request = _lock(request)
    if not auth.can_handle(by, request.organization):
        raise refusal("只有本机关的依申请公开经办人可以办理", "only a request handler of the agency can do this")
    return request


def _open_for_handling(request: DisclosureRequest, by) -> DisclosureRequest:
    request = _handled_by(request, by)
    if request.is_closed:
        raise refusal("申请已办结", "the application is closed")
    return request


def _add_event(request: DisclosureRequest, by, event: Event, action: str, note: str = "") -> RequestEvent:
    _checked(request, event)
    row = RequestEvent.objects.create(
        request=request,
        kind=event.kind,
        on=event.on,
        until=event.until,
        days=event.days,
        reply_by=event.reply_by,
        note=note,
        recorded_by=by,
    )
    audit.record(
        by,
        action,
        request,
        summary=request.tracking_code,
        on=event.on.isoformat(),
        until=event.until.isoformat() if event.until else None,
        days=event.days,
        note=note,
    )
    return row


CONFIRMED_CHANNELS = (Channel.ONLINE, Channel.FAX, Channel.EMAIL, Channel.LETTER)


@transaction.atomic
def confirm_receipt(request: DisclosureRequest, *, by, on: datetime.date, evidence: str) -> DisclosureRequest:
    """条例第三十一条: for the online form, fax, e-mail and ordinary letters the day of receipt is the day both
    sides confirm it; when that is later than the day first recorded, the clock starts from it."""
    request = _open_for_handling(request, by)
    if request.channel not in CONFIRMED_CHANNELS:
        raise refusal("该渠道的收到申请之日无需确认", "this channel's day of receipt needs no confirmation")
    if request.events.exclude(kind=Kind.RECEIVED).exists():
        raise refusal("已有办理事项，不能再改收到申请之日", "steps are recorded already: the day of receipt is fixed")
    if on < request.received_on or on > timezone.localdate():
        raise RequestInvalid(
            {"on": "确认日期须在提交之日和今天之间 / the confirmation is between the day sent and today"}
        )
    if not (evidence or "").strip():
        raise RequestInvalid({"evidence": "请写明如何确认 / say how it was confirmed"})
    before = request.received_on
    request.received_on, request.receipt_evidence = on, evidence.strip()
    request.save(update_fields=["received_on", "receipt_evidence"])
    request.events.filter(kind=Kind.RECEIVED).update(on=on)
    audit.record(
        by,
        "request.receipt_confirmed",
        request,
        summary=request.tracking_code,
        before=before.isoformat(),
        on=on.isoformat(),
    )
    return request


@transaction.atomic
def assign(request: DisclosureRequest, *, by, handler) -> DisclosureRequest:
    """Give the application to a handler: the one the reminders go to."""
    request = _open_for_handling(request, by)
    if not auth.handlers_of(request.organization).filter(pk=handler.pk).exists():
        raise refusal(f"{handler}不是本机关的依申请公开经办人", f"{handler} is not a request handler of the agency")
    request.handler = handler
    request.save(update_fields=["handler"])
    audit.record(by, "request.assigned", request, summary=request.tracking_code, handler=handler.username)
    return request


@transaction.atomic
def send_correction_notice(
    request: DisclosureRequest, *, by, on: datetime.date, note: str, correct_by: datetime.date
) -> DisclosureRequest:
    """第三十条: tell the applicant, once and in one go, what to correct and by when; the clock waits."""
    request = _open_for_handling(request, by)
    if not (note or "").strip():
        raise refusal("补正通知须写明需要补正的事项", "say what must be corrected")
    if correct_by <= on:
        raise RequestInvalid({"correct_by": "补正期限须晚于通知日期 / the correction period must end after the notice"})
    event = Event(Kind.CORRECTION_NOTICE, on, until=correct_by)
    _add_event(request, by, event, "request.correction_requested", note)
    return request


def correction_lapsed(request: DisclosureRequest, today: datetime.date) -> bool:
    """The applicant was asked to correct the application and the period has passed without it."""
    notice = request.events.filter(kind=Kind.CORRECTION_NOTICE).first()
    corrected = request.events.filter(kind=Kind.CORRECTED).exists()
    return notice is not None and not corrected and notice.until is not None and notice.until < today


@transaction.atomic
def end_for_no_correction(request: DisclosureRequest, *, by, on: datetime.date) -> DisclosureRequest:
    """第三十条: no correction within the period, without good reason: the application is treated as abandoned,
    counted as （六）1 of table 三."""
    request = _open_for_handling(request, by)
    if not correction_lapsed(request, on):
        raise refusal("补正期限尚未届满或已收到补正", "the correction period has not passed, or the correction came")
    return close(
        request,
        by=by,
        outcome=outcomes.NO_CORRECTION,
        on=on,
        reasons="申请人无正当理由逾期未补正，视为放弃申请（《中华人民共和国政府信息公开条例》第三十条）。",
    )


@transaction.atomic
def receive_correction(request: DisclosureRequest, *, by, on: datetime.date) -> DisclosureRequest:
    """第三十条: the corrected application arrived; 20 working days run again from this day."""
    request = _open_for_handling(request, by)
    if not request.events.filter(kind=Kind.CORRECTION_NOTICE).exists():
        raise refusal("没有发出补正通知", "no correction notice was sent")
    _add_event(request, by, Event(Kind.CORRECTED, on), "request.corrected")
    return request


@transaction.atomic
def start_pause(request: DisclosureRequest, *, by, kind: str, on: datetime.date, note: str = "") -> DisclosureRequest:
    """A consultation or a fee notice begins: its working days will not count (条例第三十二条至第三十四条)."""
    request = _open_for_handling(request, by)
    kind = Kind(kind)
    if kind not in PAUSES or kind == Kind.PAUSED:
        raise refusal(f"“{kind}”不是不计时的事项", f"'{kind}' is not a span that stops the clock")
    if request.events.filter(kind=kind, until__isnull=True).exists():
        raise refusal("同类事项尚未结束", "the same kind of span is still open")
    _add_event(request, by, Event(kind, on), f"request.{kind.value}_started", note)
    return request


@transaction.atomic
def end_pause(request: DisclosureRequest, *, by, kind: str, until: datetime.date) -> DisclosureRequest:
    request = _open_for_handling(request, by)
    row = request.events.filter(kind=Kind(kind), until__isnull=True).first()
    if row is None:
        raise refusal("没有尚未结束的该类事项", "there is no open span of this kind")
    others = [event.as_clock_event() for event in request.events.exclude(pk=row.pk)]
    ended = Event(Kind(row.kind), row.on, until=until)
    try:
        reply_clock([*others, ended], current_calendar(), as_of=timezone.localdate())
    except ClockError as error:
        raise RequestError(str(error)) from None
    row.until = until
    row.save(update_fields=["until"])
    audit.record(by, f"request.{row.kind}_ended", request, summary=request.tracking_code, until=until.isoformat())
    return request


@transaction.atomic
def extend(request: DisclosureRequest, *, by, days: int, on: datetime.date, note: str = "") -> DisclosureRequest:
    """第三十三条第二款: one extension of at most 20 working days, approved by the head of the office."""
    request = _lock(request)
    if not auth.can_extend(by, request.organization):
        raise refusal(
            "延长答复期限须经政府信息公开工作机构负责人同意", "only the head of the disclosure office can extend"
        )
    if request.is_closed:
        raise refusal("申请已办结", "the application is closed")
    _add_event(request, by, Event(Kind.EXTENSION, on, days=days), "request.extended", note)
    return request


@transaction.atomic
def set_later_reply_date(
    request: DisclosureRequest, *, by, on: datetime.date, reply_by: datetime.date, reason: str
) -> DisclosureRequest:
    """第三十五条: requests clearly beyond a reasonable range; the office head sets a reasonable later date."""
    request = _lock(request)
    if not auth.can_extend(by, request.organization):
        raise refusal("确定延迟答复期限须经政府信息公开工作机构负责人同意", "only the head of the office can do this")
    if not (reason or "").strip():
        raise refusal("须写明理由", "a reason is required")
    _add_event(request, by, Event(Kind.LATER_DATE, on, reply_by=reply_by), "request.later_date", reason)
    return request


@transaction.atomic
def close(request: DisclosureRequest, *, by, outcome: str, on: datetime.date, reasons: str = "") -> DisclosureRequest:
    """The application is decided: one leaf of annual-report table 三, with the reasons given."""
    request = _open_for_handling(request, by)
    if outcome not in outcomes.BY_CODE:
        raise RequestInvalid(
            {"outcome": f"办理结果“{outcome}”无效 / the outcome '{outcome}' is not one of the choices"}
        )
    if outcome not in ("1",) and not (reasons or "").strip():
        raise RequestInvalid({"reasons": "除予以公开外，须写明理由和依据 / give the reasons and the legal basis"})
    if on < request.received_on:
        raise RequestInvalid({"on": "办结日期早于收到申请之日 / the day closed is before the day received"})
    request.outcome, request.reasons, request.closed_on = outcome, (reasons or "").strip(), on
    request.save(update_fields=["outcome", "reasons", "closed_on"])
    ReplyLetter.objects.update_or_create(
        request=request,
        defaults={
            "title": letters.title_for(outcome),
            "addressee": request.applicant_name,
            "body": letters.draft_body(request, RequestSettings.of(request.organization)),
        },
    )
    audit.record(
        by,
        "request.closed",
        request,
        summary=f"{request.tracking_code} {outcomes.BY_CODE[outcome].full_label}",
        outcome=outcome,
        on=on.isoformat(),
    )
    return request


@transaction.atomic
def record_delivery(request: DisclosureRequest, *, by, on: datetime.date, method: str) -> DisclosureRequest:
    """送达: 交邮之日 for post, 签收之日 for direct delivery. The reply is on time if this is ≤ the due date."""
    request = _handled_by(request, by)
    if not request.is_closed:
        raise refusal("申请尚未办结，不能登记送达", "the application must be decided before its delivery")
    if on < request.closed_on:
        raise RequestInvalid({"delivered_on": "送达日期早于办结日期 / delivered before it was decided"})
    if method not in DeliveryMethod.values:
        raise RequestInvalid({"method": f"送达方式“{method}”无效 / the delivery method '{method}' is not a choice"})
    request.delivered_on, request.delivery_method = on, method
    request.save(update_fields=["delivered_on", "delivery_method"])
    audit.record(by, "request.delivered", request, summary=request.tracking_code, on=on.isoformat(), method=method)
    return request


# --- the reply letter ---------------------------------------------------------------------------------------


def _letter_for_editing(request: DisclosureRequest, by) -> tuple[DisclosureRequest, ReplyLetter]:
    request = _handled_by(request, by)
    letter = ReplyLetter.objects.select_for_update().filter(request=request).first()
    if letter is None:
        raise refusal("申请尚未办结，没有答复书", "the application is not decided yet: there is no letter")
    if letter.is_issued:
        raise refusal("答复书已出具，不能修改", "the letter has been issued and cannot change")
    return request, letter


@transaction.atomic
def edit_letter(request: DisclosureRequest, *, by, addressee: str, body: str) -> ReplyLetter:
    request, letter = _letter_for_editing(request, by)
    if not addressee.strip() or not body.strip():
        raise RequestInvalid({"body": "收文人和正文不能为空 / the addressee and the text are required"})
    letter.addressee, letter.body = addressee.strip(), body.strip()
    letter.save(update_fields=["addressee", "body"])
    audit.record(by, "request.letter_edited", request, summary=request.tracking_code)
    return letter


def _next_letter_serial(organization, year: int) -> int:
    counter, _ = LetterCounter.objects.get_or_create(organization=organization, year=year)
    counter = LetterCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def issue_letter(request: DisclosureRequest, *, by, on: datetime.date) -> ReplyLetter:
    """出具: number the letter, write the DOCX and keep it; from now on it never changes."""
    request, letter = _letter_for_editing(request, by)
    if on < request.closed_on:
        raise RequestInvalid({"on": "出具日期早于办结日期 / the letter cannot predate the decision"})
    prefix = RequestSettings.of(request.organization).letter_prefix
    if prefix:
        letter.number = f"{prefix}〔{on.year}〕{_next_letter_serial(request.organization, on.year)}号"
    content = letters.render_docx(
        title=letter.title,
        number=letter.number,
        addressee=letter.addressee,
        body=letter.body,
        organization=request.organization.name,
        on=on,
    )
    letter.file.save(f"{request.tracking_code}.docx", ContentFile(content), save=False)
    letter.issued_on, letter.issued_by = on, by
    letter.save()
    audit.record(
        by, "request.letter_issued", request, summary=f"{request.tracking_code} {letter.number}", number=letter.number
    )
    return letter


# --- 信息处理费 ----------------------------------------------------------------------------------------------


def items_billed_this_month(request: DisclosureRequest, on: datetime.date) -> int:
    """Items already charged by item to the same applicant in the calendar month of ``on`` (第四条)."""
    earlier = ProcessingFee.objects.filter(
        request__organization=request.organization,
        request__identity_number=request.identity_number,
        method=ProcessingFee.Method.BY_ITEM,
        notice_on__year=on.year,
        notice_on__month=on.month,
    ).exclude(request=request)
    return sum(earlier.values_list("quantity", flat=True))


@transaction.atomic
def send_fee_notice(request: DisclosureRequest, *, by, method: str, quantity: int, on: datetime.date) -> ProcessingFee:
    """收费通知: the system computes the fee; the clock stops until it is paid (国办函〔2020〕109号)."""
    request = _open_for_handling(request, by)
    if ProcessingFee.objects.filter(request=request).exists():
        raise refusal("每件申请只能选择一种计收方式、收费一次", "one fee, by one method, per application")
    if quantity < 1:
        raise RequestInvalid({"quantity": "件数或页数须至少为1 / at least 1 item or page"})
    if method == ProcessingFee.Method.BY_ITEM:
        earlier = items_billed_this_month(request, on)
        amount = fees.by_item(quantity, earlier_this_month=earlier).amount
    elif method == ProcessingFee.Method.BY_VOLUME:
        earlier, amount = 0, fees.by_volume(quantity).amount
    else:
        raise RequestInvalid({"method": f"计收方式“{method}”无效 / the method '{method}' is not a choice"})
    if amount == 0:
        raise refusal("按此方式计算无需收费，不发收费通知", "nothing is charged this way: no fee notice is sent")
    fee = ProcessingFee.objects.create(
        request=request, method=method, quantity=quantity, earlier_items=earlier, amount=amount, notice_on=on
    )
    _add_event(request, by, Event(Kind.FEE, on), "request.fee_notice", f"{amount} 元")
    return fee


def _end_fee_pause(request: DisclosureRequest, by, until: datetime.date) -> None:
    if request.events.filter(kind=Kind.FEE, until__isnull=True).exists():
        end_pause(request, by=by, kind=Kind.FEE, until=until)


@transaction.atomic
def record_payment(request: DisclosureRequest, *, by, on: datetime.date) -> ProcessingFee:
    request = _open_for_handling(request, by)
    fee = ProcessingFee.objects.select_for_update().filter(request=request).first()
    if fee is None or fee.paid_on or fee.waived:
        raise refusal("没有待缴的信息处理费", "there is no fee waiting to be paid")
    if on < fee.notice_on:
        raise RequestInvalid({"on": "缴费日期早于收费通知日期 / paid before the notice"})
    fee.paid_on = on
    fee.save(update_fields=["paid_on"])
    _end_fee_pause(request, by, on)
    audit.record(by, "request.fee_paid", request, summary=f"{request.tracking_code} {fee.amount} 元", on=on.isoformat())
    return fee


@transaction.atomic
def waive_fee(request: DisclosureRequest, *, by, on: datetime.date, reason: str) -> ProcessingFee:
    """减免: the office head waives the fee; the clock runs again from that day."""
    request = _lock(request)
    if not auth.can_extend(by, request.organization):
        raise refusal("减免信息处理费须经政府信息公开工作机构负责人同意", "only the head of the office can waive")
    fee = ProcessingFee.objects.select_for_update().filter(request=request).first()
    if fee is None or fee.paid_on or fee.waived:
        raise refusal("没有待缴的信息处理费", "there is no fee waiting to be paid")
    if not (reason or "").strip():
        raise RequestInvalid({"reason": "须写明减免理由 / a reason is required"})
    fee.waived, fee.waiver_reason = True, reason.strip()
    fee.save(update_fields=["waived", "waiver_reason"])
    _end_fee_pause(request, by, on)
    audit.record(by, "request.fee_waived", request, summary=request.tracking_code, reason=reason.strip())
    return fee


# --- 行政复议、行政诉讼 ----------------------------------------------------------------------------------------


@transaction.atomic
def record_remedy(request: DisclosureRequest, *, by, kind: str, filed_on: datetime.date, note: str = "") -> Remedy:
    request = _handled_by(request, by)
    if kind not in Remedy.Kind.values:
        raise RequestInvalid({"kind": f"类型“{kind}”无效 / the kind '{kind}' is not a choice"})
    if filed_on < request.received_on:
        raise RequestInvalid({"filed_on": "日期早于收到申请之日 / before the application was received"})
    remedy = Remedy.objects.create(request=request, kind=kind, filed_on=filed_on, note=note.strip())
    audit.record(by, "request.remedy_recorded", request, summary=request.tracking_code, kind=kind)
    return remedy


@transaction.atomic
def decide_remedy(remedy: Remedy, *, by, result: str, decided_on: datetime.date) -> Remedy:
    remedy = Remedy.objects.select_for_update().select_related("request__organization").get(pk=remedy.pk)
    if not auth.can_handle(by, remedy.request.organization):
        raise refusal("只有本机关的依申请公开经办人可以登记", "only a request handler of the agency can record this")
    if result not in Remedy.Result.values or result == Remedy.Result.PENDING:
        raise RequestInvalid({"result": f"结果“{result}”无效 / the result '{result}' is not a final result"})
    if decided_on < remedy.filed_on:
        raise RequestInvalid({"decided_on": "审结日期早于申请或起诉日期 / decided before it was filed"})
    remedy.result, remedy.decided_on = result, decided_on
    remedy.save(update_fields=["result", "decided_on"])
    audit.record(by, "request.remedy_decided", remedy.request, summary=remedy.request.tracking_code, result=result)
    return remedy
