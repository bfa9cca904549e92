"""Every change to a publication goes through one of these functions.

Each owns its transaction, checks who is acting, and writes the audit log. The workflow:
draft → submitted → approved | returned (→ edited → submitted …) → published (now or at a set time) → withdrawn.
"""

import datetime
import errno
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai import audit
from gongkai.catalog import auth
from gongkai.catalog.models import (
    Attachment,
    Column,
    IndexCounter,
    IndexNumberPolicy,
    IndexNumberScope,
    Interpretation,
    Publication,
)
from gongkai.lib import files
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.lib.extract import ExtractionFailed, extract_text
from gongkai.lib.html import sanitize
from gongkai.review import services as review

Status = Publication.Status

EDITABLE_FIELDS = (
    "title", "doc_no", "issued_on", "summary", "body", "keywords", "column", "topic", "genre",
    "validity", "effective_on", "expired_on", "repealed_on",
)  # fmt: skip


# An attachment's text is screened before publication and indexed for search, all of it.
MAX_ATTACHMENT_CHARS = 10_000_000


class WorkflowError(Refused):
    """A step of the publication workflow that is not allowed now, or not to this person."""


class PublicationInvalid(FieldErrors):
    """A publication's field errors, keyed by field name, each bilingual."""


_refuse = WorkflowError.because


def _lock(publication: Publication) -> Publication:
    """Re-read the row under a lock so two people acting at once cannot both move it."""
    # of=("self",): lock the publication only, not its publisher's row as well.
    return Publication.objects.select_for_update(of=("self",)).select_related("publisher").get(pk=publication.pk)


# --- validation -------------------------------------------------------------------------------------


def validate(values: dict, *, today: datetime.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    title = (values.get("title") or "").strip()
    if not title:
        errors["title"] = "标题不能为空 / the title is required"
    issued_on = values.get("issued_on")
    if issued_on is None:
        errors["issued_on"] = "请填写发文日期 / the date of issue is required"
    elif issued_on > today:
        errors["issued_on"] = f"发文日期 {issued_on} 晚于今天 / the date of issue {issued_on} is in the future"
    column = values.get("column")
    if column is None:
        errors["column"] = "请选择栏目 / choose a column"
    elif not column.is_active:
        errors["column"] = f"栏目“{column.name}”已停用 / the column {column.name} is no longer in use"
    validity = values.get("validity") or ""
    if validity == Publication.Validity.EXPIRED and not values.get("expired_on"):
        errors["expired_on"] = "失效的文件须填写失效日期 / an expired document needs the date it expired"
    if validity == Publication.Validity.REPEALED and not values.get("repealed_on"):
        errors["repealed_on"] = "废止的文件须填写废止日期 / a repealed document needs the date it was repealed"
    effective_on, end = values.get("effective_on"), values.get("expired_on") or values.get("repealed_on")
    if effective_on and end and end < effective_on:
        errors["effective_on"] = (
            f"施行日期 {effective_on} 晚于失效/废止日期 {end} / "
            f"the effective date {effective_on} is after the end date {end}"
        )
    return errors


def _clean(values: dict) -> dict:
    cleaned = dict(values)
    for name in ("title", "doc_no", "keywords"):
        if name in cleaned and cleaned[name] is not None:
            cleaned[name] = " ".join(str(cleaned[name]).split())
    if cleaned.get("doc_no") == "无文号":
        cleaned["doc_no"] = ""
    if "body" in cleaned:
        cleaned["body"] = sanitize(cleaned["body"] or "")
    return cleaned


# --- drafting ---------------------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, by, publisher, **values) -> Publication:
    if not auth.can_draft_for(by, publisher):
        raise _refuse(f"您不能为{publisher.name}起草信息", f"you cannot draft for {publisher.name}")
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = _clean(values)
    errors = validate(values, today=timezone.localdate())
    if errors:
        raise PublicationInvalid(errors)
    publication = Publication.objects.create(publisher=publisher, author=by, status=Status.DRAFT, **values)
    audit.record(by, "publication.drafted", publication, summary=publication.title)
    return publication


@transaction.atomic
def update_draft(publication: Publication, *, by, **values) -> Publication:
    publication = _lock(publication)
    if not auth.can_edit(by, publication):
        raise _refuse(
            f"“{publication.title}”当前状态为{publication.get_status_display()}，您不能修改",
            f"you cannot edit this publication in its state '{publication.status}'",
        )
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = _clean(values)
    current = {name: getattr(publication, name) for name in EDITABLE_FIELDS}
    errors = validate({**current, **values}, today=timezone.localdate())
    if errors:
        raise PublicationInvalid(errors)
    changed = [name for name, value in values.items() if current[name] != value]
    for name in changed:
        setattr(publication, name, values[name])
    if changed:
        publication.save(update_fields=[*changed, "updated_at"])
        audit.record(by, "publication.edited", publication, summary=publication.title, fields=changed)
    return publication


@transaction.atomic
def submit(publication: Publication, *, by) -> Publication:
    publication = _lock(publication)
    if not auth.can_submit(by, publication):
        raise _refuse(
            "只有本机关的信息发布员可以提交草稿或退回的信息", "only a publisher of the organisation can submit a draft"
        )
    publication.status = Status.SUBMITTED
    publication.return_reason = ""
    publication.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(by, "publication.submitted", publication, summary=publication.title)
    review.screen(publication, by=by)  # 先审核、后公开: what the reviewer must resolve before approving
    return publication


# --- review -----------------------------------------------------------------------------------------


def _check_review(publication: Publication, by) -> None:
    if publication.status != Status.SUBMITTED:
        raise _refuse(
            f"“{publication.title}”不在待审核状态",
            f"the publication is not awaiting review (it is '{publication.status}')",
        )
    if publication.author_id == by.pk:
        raise _refuse("撰稿人不能审核自己起草的信息", "the author cannot review their own draft")
    if not auth.can_review(by, publication):
        raise _refuse("只有本机关的保密审查员可以审核", "only a reviewer of the organisation can review")


@transaction.atomic
def approve(publication: Publication, *, by, note: str = "") -> Publication:
    publication = _lock(publication)
    _check_review(publication, by)
    unresolved = review.open_count(publication)
    if unresolved:
        raise _refuse(
            f"还有{unresolved}项筛查发现未处理：逐项遮盖或说明理由后才能审核通过",
            f"{unresolved} screening finding(s) are unresolved: mask or dismiss each one before approving",
        )
    publication.status = Status.APPROVED
    publication.approved_by = by
    publication.approved_at = timezone.now()
    publication.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    # The review record (STATUTES §1.2, art. 17): who approved, when, and how each finding was resolved.
    audit.record(
        by, "publication.approved", publication, summary=publication.title, note=note, **review.decisions(publication)
    )
    return publication


@transaction.atomic
def return_for_changes(publication: Publication, *, by, reason: str) -> Publication:
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("退回时须写明理由", "a reason is required to return a draft")
    publication = _lock(publication)
    _check_review(publication, by)
    publication.status = Status.RETURNED
    publication.return_reason = reason
    publication.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(by, "publication.returned", publication, summary=publication.title, reason=reason)
    return publication


# --- publication ------------------------------------------------------------------------------------


def _scope_key(policy: IndexNumberPolicy, organization, year: int) -> str:
    if policy.scope == IndexNumberScope.SITE:
        return "site"
    if policy.scope == IndexNumberScope.ORGANIZATION:
        return f"org:{organization.pk}"
    return f"org:{organization.pk}:{year}"


def next_serial(scope_key: str) -> int:
    """Hand out the next serial of a scope. The counter row is locked, so concurrent callers queue.

    Must run inside the caller's transaction, so a rolled-back publication gives its serial back
    only if nothing committed after it — serials are unique, never reused once committed.
    """
    counter = IndexCounter.objects.select_for_update().filter(scope_key=scope_key).first()
    if counter is None:
        try:
            with transaction.atomic():
                IndexCounter.objects.create(scope_key=scope_key)
        except IntegrityError:
            pass  # another transaction created it first; the locked read below waits for it
        counter = IndexCounter.objects.select_for_update().get(scope_key=scope_key)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def index_number_for(publication: Publication, when: datetime.datetime) -> str:
    """索引号 ``<publisher USCC>/<year>-<serial>`` (STATUTES §4.4); the year is the year it goes public."""
    organization = publication.publisher
    policy, _ = IndexNumberPolicy.objects.get_or_create(organization=organization)
    year = timezone.localtime(when).year
    key = _scope_key(policy, organization, year)
    while True:
        # A counter that starts afresh (the policy's scope or width changed mid-year) may hand out a
        # number already taken; skip past it rather than fail.
        candidate = f"{organization.uscc}/{year}-{next_serial(key):0{policy.serial_width}d}"
        if not Publication.objects.filter(index_no=candidate).exists():
            return candidate


def _go_public(publication: Publication, *, by, scheduled: bool) -> Publication:
    from gongkai.search.services import index_publication

    now = timezone.now()
    publication.status = Status.PUBLISHED
    publication.published_at = now  # never back-dated: the moment it actually goes public
    publication.scheduled_at = None
    fields = ["status", "published_at", "scheduled_at", "updated_at"]
    if not publication.index_no:  # assigned once, at the first publication; kept after withdrawal
        publication.index_no = index_number_for(publication, now)
        fields.append("index_no")
    publication.save(update_fields=fields)
    index_publication(publication)
    audit.record(
        by,
        "publication.published",
        publication,
        summary=f"{publication.index_no} {publication.title}",
        index_no=publication.index_no,
        scheduled=scheduled,
    )
    return publication


@transaction.atomic
def publish(publication: Publication, *, by, at: datetime.datetime | None = None) -> Publication:
    """Publish an approved publication now, or at ``at`` (the worker publishes it then)."""
    publication = _lock(publication)
    if not auth.can_publish(by, publication):
        raise _refuse(
            f"“{publication.title}”尚未审核通过，或您无权发布",
            "the publication is not approved, or you may not publish it",
        )
    if at is None or at <= timezone.now():
        return _go_public(publication, by=by, scheduled=False)
    publication.scheduled_at = at
    publication.save(update_fields=["scheduled_at", "updated_at"])
    audit.record(by, "publication.scheduled", publication, summary=publication.title, at=at.isoformat())
    return publication


@transaction.atomic
def cancel_schedule(publication: Publication, *, by) -> Publication:
    publication = _lock(publication)
    if not auth.can_publish(by, publication) or publication.scheduled_at is None:
        raise _refuse("没有可取消的定时发布", "there is no scheduled publication to cancel")
    publication.scheduled_at = None
    publication.save(update_fields=["scheduled_at", "updated_at"])
    audit.record(by, "publication.schedule_cancelled", publication, summary=publication.title)
    return publication


def publish_due(now: datetime.datetime | None = None) -> int:
    """Publish every approved publication whose time has come. Run by the worker; safe to run in parallel."""
    now = now or timezone.now()
    published = 0
    for pk in Publication.objects.due_for_publication(now).values_list("pk", flat=True):
        with transaction.atomic():
            publication = Publication.objects.select_for_update(**_skip_locked()).filter(pk=pk).first()
            if publication is None or publication.status != Status.APPROVED or not publication.scheduled_at:
                continue  # another worker got there first, or it was cancelled
            if publication.scheduled_at > now:
                continue
            _go_public(publication, by=None, scheduled=True)
            published += 1
    return published


def _skip_locked() -> dict:
    from django.db import connection

    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


@transaction.atomic
def withdraw(publication: Publication, *, by, reason: str) -> Publication:
    from gongkai.search.services import remove_publication

    reason = (reason or "").strip()
    if not reason:
        raise _refuse("撤回时须写明理由", "a reason is required to withdraw a publication")
    publication = _lock(publication)
    if not auth.can_withdraw(by, publication):
        raise _refuse(
            "只有本机关的信息发布员或公开办负责人可以撤回已发布的信息", "you may not withdraw this publication"
        )
    publication.status = Status.WITHDRAWN
    publication.withdrawn_at = timezone.now()
    publication.withdrawal_reason = reason
    publication.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    remove_publication(publication.pk)
    audit.record(
        by, "publication.withdrawn", publication, summary=f"{publication.index_no} {publication.title}", reason=reason
    )
    return publication


@transaction.atomic
def set_validity(publication: Publication, *, by, validity: str, on: datetime.date | None) -> Publication:
    """Record that a published 规范性文件 expired or was repealed (the annual report counts these)."""
    publication = _lock(publication)
    if not (auth.can_withdraw(by, publication) or auth.can_edit(by, publication)):
        raise _refuse("您不能修改这条信息的有效性", "you may not change this publication's validity")
    values = {"validity": validity, "expired_on": publication.expired_on, "repealed_on": publication.repealed_on}
    if validity == Publication.Validity.EXPIRED:
        values["expired_on"] = on
    elif validity == Publication.Validity.REPEALED:
        values["repealed_on"] = on
    errors = validate(
        {**{name: getattr(publication, name) for name in EDITABLE_FIELDS}, **values}, today=timezone.localdate()
    )
    if errors:
        raise PublicationInvalid(errors)
    for name, value in values.items():
        setattr(publication, name, value)
    publication.save(update_fields=[*values, "updated_at"])
    audit.record(by, "publication.validity_set", publication, summary=publication.title, validity=validity, on=on)
    return publication


# --- interpretations (政策解读) ---------------------------------------------------------------------


@dataclass(frozen=True)
class InterpretedDocument:
    """One document a publication interprets, in which form, with an optional outside link (视频, 新闻发布会)."""

    policy: Publication
    form: str = Interpretation.Form.TEXT
    url: str = ""


class InterpretationInvalid(FieldErrors):
    """Why a publication cannot interpret these documents, keyed ``interprets`` (the documents) and ``url``."""


_check_url = URLValidator(schemes=["http", "https"])


def check_interpreted(publication: Publication, documents: Sequence[InterpretedDocument]) -> dict[str, str]:
    """The rules of 政策解读, as field errors. Empty when the publication may interpret these documents.

    1. not itself, and each document once;
    2. never an interpretation (a 政策解读 is interpreted by nobody);
    3. the publisher's own document in any state (a policy and its interpretation are drafted together),
       another organisation's only while it is public (a bureau may interpret the district government's policy);
    4. a publication that others interpret is a policy document, so it interprets nothing itself.
    """
    problems: list[tuple[str, str]] = []
    url_problems: list[tuple[str, str]] = []
    rows = Publication.objects.select_related("publisher", "genre", "column").in_bulk(
        [document.policy.pk for document in documents]
    )
    if documents:
        interpreter = (
            Interpretation.objects.filter(policy=publication).select_related("interpretation").first()
        )
        if interpreter is not None:
            title = interpreter.interpretation.title
            problems.append(
                (f"本条信息已被“{title}”解读，是政策文件，不能再解读其他文件",
                 f"this publication is interpreted by '{title}': a policy document interprets nothing itself")
            )  # fmt: skip
    seen: set[int] = set()
    for document in documents:
        policy = rows[document.policy.pk]
        if policy.pk == publication.pk:
            problems.append(("不能解读本条信息自身", "a publication cannot interpret itself"))
        elif policy.pk in seen:
            problems.append((f"“{policy.title}”选了两次", f"'{policy.title}' is chosen twice"))
        elif policy.is_interpretation():
            problems.append(
                (f"“{policy.title}”本身是政策解读，不能再被解读",
                 f"'{policy.title}' is itself an interpretation and cannot be interpreted")
            )  # fmt: skip
        elif policy.publisher_id != publication.publisher_id and not policy.is_published():
            problems.append(
                (f"“{policy.title}”是{policy.publisher.name}的信息，目前未公开，只能解读本机关的文件或已公开的文件",
                 f"'{policy.title}' belongs to {policy.publisher.name} and is not public: only the publisher's own "
                 "documents or public ones can be interpreted")
            )  # fmt: skip
        seen.add(policy.pk)
        if document.form not in Interpretation.Form.values:
            problems.append(
                (f"解读形式“{document.form}”不在可选范围内", f"the form '{document.form}' is not one of the choices")
            )
        if document.url:
            try:
                _check_url(document.url)
            except ValidationError:
                url_problems.append(
                    (f"“{document.url}”不是以 http:// 或 https:// 开头的有效网址",
                     f"'{document.url}' is not a valid http:// or https:// address")
                )  # fmt: skip
    errors = {}
    if problems:
        errors["interprets"] = "；".join(f"解读的文件：{zh} / documents interpreted: {en}" for zh, en in problems)
    if url_problems:
        errors["url"] = "；".join(f"链接：{zh} / link: {en}" for zh, en in url_problems)
    return errors


@transaction.atomic
def set_interpreted(publication: Publication, *, by, documents: Sequence[InterpretedDocument]) -> Publication:
    """Make ``documents`` exactly what the publication interprets: links not listed are removed.

    Allowed while the publication can be edited, and to its publisher or office head once it is public.
    Writes one audit event when anything changed, with the whole new list.
    """
    publication = _lock(publication)
    if not auth.can_set_interpreted(by, publication):
        raise _refuse(
            f"您不能修改“{publication.title}”解读的文件", "you may not change the documents this publication interprets"
        )
    documents = [
        InterpretedDocument(policy=document.policy, form=document.form, url=(document.url or "").strip())
        for document in documents
    ]
    errors = check_interpreted(publication, documents)
    if errors:
        raise InterpretationInvalid(errors)
    current = {link.policy_id: link for link in publication.policy_links.all()}
    wanted = {document.policy.pk: document for document in documents}
    removed = [pk for pk in current if pk not in wanted]
    changed = bool(removed)
    if removed:
        publication.policy_links.filter(policy_id__in=removed).delete()
    for pk, document in wanted.items():
        link = current.get(pk)
        if link is None:
            Interpretation.objects.create(
                interpretation=publication, policy_id=pk, form=document.form, url=document.url
            )
            changed = True
        elif (link.form, link.url) != (document.form, document.url):
            link.form, link.url = document.form, document.url
            link.save(update_fields=["form", "url"])
            changed = True
    if changed:
        audit.record(
            by,
            "publication.interpreted_set",
            publication,
            summary=publication.title,
            documents=[
                {
                    "id": document.policy.pk,
                    "index_no": document.policy.index_no or "",
                    "title": document.policy.title,
                    "form": document.form,
                    "url": document.url,
                }
                for document in documents
            ],
        )
    return publication


# --- attachments ------------------------------------------------------------------------------------


def _disk_full(name: str) -> files.FileRejected:
    return files.FileRejected(
        f"服务器存储空间已满，附件“{name}”未保存，其他内容未受影响；请联系系统管理员 / "
        f'the server\'s disk is full: "{name}" was not stored and nothing else changed; tell the administrator',
        name=name,
    )


@contextmanager
def _checked_upload(upload, name: str, max_bytes: int) -> Iterator[tuple[files.FileKind, str, Path, str]]:
    """The upload checked from its content and staged in a temporary file, with its digest and text.

    The file is staged under MEDIA_ROOT, on the disk it is stored on, so that storing it is a rename: a disk that
    fills up does so while staging, and the staged file goes with its temporary folder.
    """
    kind = files.check_upload(upload, name, max_bytes=max_bytes)
    digest = files.sha256_of(upload)
    staging = Path(settings.MEDIA_ROOT) / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging) as folder:
        staged = Path(folder) / f"upload{kind.extension}"
        try:
            with staged.open("wb") as out:
                for chunk in iter(lambda: upload.read(1024 * 1024), b""):
                    out.write(chunk)
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise _disk_full(name) from error
            raise
        try:
            text = extract_text(staged, kind.kind, name=name, max_chars=MAX_ATTACHMENT_CHARS + 1)
        except ExtractionFailed as error:
            raise files.FileRejected(str(error)) from error
        if len(text) > MAX_ATTACHMENT_CHARS:  # screened whole or not at all: a cut text hides what follows
            raise files.FileRejected(
                f"附件“{name}”的文字超过{MAX_ATTACHMENT_CHARS // 10_000}万字，无法完整筛查，请拆分后上传 / "
                f'the text of "{name}" is longer than {MAX_ATTACHMENT_CHARS:,} characters and cannot be screened '
                "whole; split the file"
            )
        yield kind, digest, staged, text


class _Staged(File):
    """A staged upload that storage moves into place (a rename on the same disk) rather than copies."""

    def __init__(self, file, path: Path) -> None:
        super().__init__(file)
        self.path = path

    def temporary_file_path(self) -> str:
        return str(self.path)


def _store_attachment(publication, *, kind, digest, staged: Path, text: str, name: str, sort_order: int) -> Attachment:
    attachment = Attachment(
        publication=publication,
        original_name=Path(name).name[:200],
        kind=kind.kind,
        content_type=kind.content_type,
        extension=kind.extension,
        size=staged.stat().st_size,
        sha256=digest,
        text=text,
        sort_order=sort_order,
    )
    with staged.open("rb") as stored:
        try:
            attachment.file.save(attachment.original_name, _Staged(stored, staged), save=False)
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise _disk_full(name) from error
            raise
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def add_attachment(publication: Publication, *, by, upload, name: str, max_bytes: int = files.DEFAULT_MAX_BYTES):
    """Check the file from its content, extract its text, then store it. A refused file leaves nothing behind."""
    if not auth.can_edit(by, publication):
        raise _refuse("只能给可编辑的草稿添加附件", "attachments can only be added to an editable draft")
    with _checked_upload(upload, name, max_bytes) as (kind, digest, staged, text), transaction.atomic():
        publication = _lock(publication)
        if not auth.can_edit(by, publication):
            raise _refuse("只能给可编辑的草稿添加附件", "attachments can only be added to an editable draft")
        attachment = _store_attachment(
            publication,
            kind=kind,
            digest=digest,
            staged=staged,
            text=text,
            name=name,
            sort_order=publication.attachments.count() + 1,
        )
        audit.record(by, "publication.attachment_added", publication, summary=attachment.original_name, sha256=digest)
    return attachment


def replace_attachment(
    attachment: Attachment, *, by, upload, name: str, max_bytes: int = files.DEFAULT_MAX_BYTES
) -> Attachment:
    """Replace an attachment in which the screening found something with a redacted version (遮盖后的版本).

    The redacted file is screened at once: what it still contains is a new finding. The replaced file is
    deleted (it must not go public); its findings stay on record as resolved by the redaction.
    """
    from gongkai.review import auth as review_auth

    attachment = Attachment.objects.select_related("publication__publisher").get(pk=attachment.pk)
    if not review_auth.can_upload_redacted(by, attachment):
        raise _refuse(
            "只有本机关的信息发布员可以为有待处理筛查发现的附件上传遮盖后的版本",
            "only a publisher of the organisation can upload a redacted version of an attachment with open findings",
        )
    with _checked_upload(upload, name, max_bytes) as (kind, digest, staged, text), transaction.atomic():
        publication = _lock(attachment.publication)
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        attachment.publication = publication
        if not review_auth.can_upload_redacted(by, attachment):
            raise _refuse("这个附件已没有待处理的筛查发现", "this attachment no longer has open findings")
        replacement = _store_attachment(
            publication, kind=kind, digest=digest, staged=staged, text=text, name=name, sort_order=attachment.sort_order
        )
        review.close_redacted(attachment, by=by, replacement=replacement)
        old_name, stored = attachment.original_name, attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))
        audit.record(
            by,
            "publication.attachment_redacted",
            publication,
            summary=f"{old_name} → {replacement.original_name}",
            sha256=digest,
        )
        review.screen_attachment(replacement, by=by)
        if publication.is_published():
            from gongkai.search.services import index_publication

            index_publication(publication)
    return replacement


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by) -> None:
    publication = _lock(attachment.publication)
    if not auth.can_edit(by, publication):
        raise _refuse("只能从可编辑的草稿删除附件", "attachments can only be removed from an editable draft")
    name, stored = attachment.original_name, attachment.file.name
    attachment.delete()
    audit.record(by, "publication.attachment_removed", publication, summary=name)
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


def columns_for_publishing():
    return Column.objects.active().select_related("parent")
