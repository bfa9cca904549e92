"""Screening publications and resolving what the screening finds.

`screen` runs when a draft is submitted (from ``catalog.services.submit``, in its transaction) and when
``gongkai screen --published`` looks again at what is public. `mask` and `dismiss` are the reviewer's
two answers to a finding; a redacted attachment (``catalog.services.replace_attachment``) is the
publisher's. Each state change owns its transaction, checks who is acting and writes the audit log.

A finding is identified across screenings by its fingerprint (kind, place, value): a finding already
dismissed is not raised again for the same value in the same place, one still open is updated, and an
open one that is no longer found (the text was edited) is closed as gone.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai import audit
from gongkai.catalog.models import Attachment, Publication
from gongkai.lib import screening
from gongkai.lib.errors import Refused
from gongkai.lib.html import replace_text, text_with_sources
from gongkai.review import auth
from gongkai.review.models import Finding

Field = Finding.Field
Resolution = Finding.Resolution


class ReviewError(Refused):
    """A step of the review that is not allowed now, or not to this person."""


_refuse = ReviewError.because


def rules() -> screening.Rules:
    """The screening rules in force: today's date, and the e-mail domains that are organisations' (a setting)."""
    return screening.Rules(
        organisation_email_domains=tuple(settings.GONGKAI_SCREENING_ORGANISATION_EMAIL_DOMAINS),
        today=timezone.localdate(),
    )


# --- what the screening finds in a publication ---------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One text of a publication that is screened: a field, or an attachment's extracted text."""

    field: str
    attachment: Attachment | None = None

    def text(self, publication: Publication) -> str:
        if self.attachment is not None:
            return self.attachment.text
        if self.field == Field.BODY:
            return text_with_sources(publication.body)[0]
        return getattr(publication, self.field) or ""

    def screen(self, publication: Publication, rules: screening.Rules) -> list[screening.Finding]:
        if self.attachment is not None:
            return screening.screen_pages(
                self.attachment.text, field=Field.ATTACHMENT, attachment=self.attachment.original_name, rules=rules
            )
        found = screening.screen_text(self.text(publication), rules)
        return [dataclasses.replace(finding, field=self.field) for finding in found]


def places(publication: Publication) -> Iterator[Place]:
    yield Place(Field.TITLE)
    yield Place(Field.SUMMARY)
    yield Place(Field.BODY)
    for attachment in publication.attachments.all():
        yield Place(Field.ATTACHMENT, attachment)


def place_of(finding: Finding) -> Place:
    return Place(finding.field, finding.attachment if finding.field == Field.ATTACHMENT else None)


def matches(publication: Publication, finding: Finding) -> list[screening.Finding]:
    """Where ``finding``'s value is now, in its place of the publication (empty if it is no longer there)."""
    place = place_of(finding)
    if finding.field == Field.ATTACHMENT and place.attachment is None:
        return []
    return [hit for hit in place.screen(publication, rules()) if hit.fingerprint == finding.fingerprint]


@dataclass(frozen=True)
class Screened:
    """What one screening did: findings open after it, new among them, closed as gone, already dismissed."""

    open: int
    new: int
    gone: int
    dismissed_before: int


def _record(publication: Publication, *, stage: str, by, only: Attachment | None = None) -> Screened:
    """Screen the publication (or only one of its attachments) and bring its findings up to date."""
    now = timezone.now()
    current = [p for p in places(publication) if only is None or p.attachment == only]
    found: dict[str, tuple[screening.Finding, Attachment | None, int]] = {}
    rules_now = rules()
    for place in current:
        hits = place.screen(publication, rules_now)
        counts = Counter(hit.fingerprint for hit in hits)
        for hit in hits:
            found.setdefault(hit.fingerprint, (hit, place.attachment, counts[hit.fingerprint]))
    existing = Finding.objects.about(publication).filter(resolution__in=(Resolution.OPEN, Resolution.DISMISSED))
    if only is not None:
        existing = existing.filter(attachment=only)
    dismissed = set(existing.filter(resolution=Resolution.DISMISSED).values_list("fingerprint", flat=True))
    still_open = {finding.fingerprint: finding for finding in existing.filter(resolution=Resolution.OPEN)}
    new = dismissed_before = 0
    for fingerprint, (hit, attachment, occurrences) in found.items():
        if fingerprint in dismissed:
            dismissed_before += 1
            continue
        values = {
            "stage": stage,
            "kind": hit.kind,
            "field": hit.field,
            "field_order": Finding.FIELD_ORDER[hit.field],
            "attachment": attachment,
            "attachment_name": hit.attachment[:200],
            "page": hit.page,
            "offset": hit.start,
            "length": hit.end - hit.start,
            "masked": hit.masked[:200],
            "excerpt": hit.excerpt[:300],
            "occurrences": occurrences,
        }
        finding = still_open.pop(fingerprint, None)
        if finding is None:
            Finding.objects.create(publication=publication, fingerprint=fingerprint, found_at=now, **values)
            new += 1
        else:
            values.pop("stage")  # a finding keeps the stage it was first raised at
            for name, value in values.items():
                setattr(finding, name, value)
            finding.save(update_fields=list(values))
    gone = Finding.objects.filter(pk__in=[finding.pk for finding in still_open.values()]).update(
        resolution=Resolution.GONE, resolved_at=now
    )
    result = Screened(
        open=Finding.objects.about(publication).open().count(), new=new, gone=gone, dismissed_before=dismissed_before
    )
    if new or gone:
        audit.record(
            by,
            "publication.screened",
            publication,
            summary=publication.title,
            stage=stage,
            attachment=only.original_name if only else "",
            **dataclasses.asdict(result),
        )
    return result


def screen(publication: Publication, *, by, stage: str = Finding.Stage.SUBMISSION) -> Screened:
    """Screen a publication in the caller's transaction (``catalog.services.submit`` calls it)."""
    return _record(publication, stage=stage, by=by)


def screen_attachment(attachment: Attachment, *, by) -> Screened:
    """Screen one (redacted) attachment of a publication under review, in the caller's transaction."""
    stage = Finding.Stage.RESCREEN if attachment.publication.is_published() else Finding.Stage.SUBMISSION
    return _record(attachment.publication, stage=stage, by=by, only=attachment)


def rescreen_published(*, organization=None) -> Iterator[tuple[Publication, Screened]]:
    """Screen every published publication again (after a rule is added). Nothing is taken down.

    One transaction per publication, so a long run holds no lock for long and can be stopped at any point.
    Yields each publication with its result; its open findings are then on the reviewers' queue.
    """
    published = Publication.objects.published()
    if organization is not None:
        published = published.by(organization)
    for pk in published.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            publication = (
                Publication.objects.select_for_update(of=("self",)).select_related("publisher").filter(pk=pk).first()
            )
            if publication is None or not publication.is_published():
                continue
            yield publication, _record(publication, stage=Finding.Stage.RESCREEN, by=None)


def open_count(publication: Publication) -> int:
    return Finding.objects.about(publication).open().count()


def decisions(publication: Publication) -> dict:
    """The review record that approval writes to the audit log: how each finding was resolved, and why."""
    resolved = Finding.objects.about(publication).resolved().exclude(resolution=Resolution.GONE).in_order()
    return {
        "findings": [
            {
                "kind": finding.kind,
                **finding.place(),
                "masked": finding.masked,
                "resolution": finding.resolution,
                "reason": finding.reason,
                "by": finding.resolved_by.get_username() if finding.resolved_by else "",
            }
            for finding in resolved.select_related("resolved_by")
        ]
    }


# --- the reviewer's answers ----------------------------------------------------------------------------


def _lock(finding: Finding) -> tuple[Finding, Publication]:
    publication = (
        Publication.objects.select_for_update(of=("self",)).select_related("publisher").get(pk=finding.publication_id)
    )
    finding = Finding.objects.select_for_update(of=("self",)).select_related("attachment").get(pk=finding.pk)
    finding.publication = publication
    return finding, publication


def _check(by, finding: Finding) -> None:
    if not finding.is_open:
        raise _refuse("这项筛查发现已经处理过", "this finding has already been resolved")
    if finding.publication.author_id == by.pk:
        raise _refuse("撰稿人不能处理自己起草的信息的筛查发现", "the author cannot resolve findings in their own draft")
    if not auth.can_resolve(by, finding):
        raise _refuse(
            "只有本机关的保密审查员可以处理筛查发现", "only a reviewer of the organisation can resolve findings"
        )


def _resolve(finding: Finding, *, by, resolution: str, reason: str = "") -> None:
    finding.resolution = resolution
    finding.reason = reason
    finding.resolved_by = by
    finding.resolved_at = timezone.now()
    finding.save(update_fields=["resolution", "reason", "resolved_by", "resolved_at"])


def _reindex_if_public(publication: Publication) -> None:
    if publication.is_published():
        from gongkai.search.services import index_publication

        index_publication(publication)


@transaction.atomic
def mask(finding: Finding, *, by) -> Finding:
    """Replace the finding's value, wherever it occurs in its field, with its masked form."""
    finding, publication = _lock(finding)
    _check(by, finding)
    if finding.field == Field.ATTACHMENT:
        raise _refuse(
            "附件中的敏感信息须由信息发布员上传遮盖后的版本",
            "in an attachment, the publisher must upload a redacted version",
        )
    hits = matches(publication, finding)
    if not hits:
        raise _refuse(
            "文中已找不到这项内容，请重新提交审核后再处理",
            "the text no longer contains this item; submit the publication again",
        )
    changes = {
        hit.start + index: new
        for hit in hits
        for index, (old, new) in enumerate(zip(hit.value, hit.masked, strict=True))
        if old != new
    }
    if finding.field == Field.BODY:
        _, sources = text_with_sources(publication.body)
        publication.body = replace_text(publication.body, sources, changes)
    else:
        text = list(getattr(publication, finding.field))
        for position, new in changes.items():
            text[position] = new
        setattr(publication, finding.field, "".join(text))
    publication.save(update_fields=[finding.field, "updated_at"])
    _resolve(finding, by=by, resolution=Resolution.MASKED)
    _reindex_if_public(publication)
    audit.record(
        by,
        "publication.finding_masked",
        publication,
        summary=finding.masked,
        kind=finding.kind,
        **finding.place(),
        occurrences=len(hits),
    )
    return finding


@transaction.atomic
def dismiss(finding: Finding, *, by, reason: str) -> Finding:
    """Confirm that the finding is not sensitive information; the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("请写明不属敏感信息的理由", "a reason is required to dismiss a finding")
    finding, publication = _lock(finding)
    _check(by, finding)
    _resolve(finding, by=by, resolution=Resolution.DISMISSED, reason=reason)
    audit.record(
        by,
        "publication.finding_dismissed",
        publication,
        summary=finding.masked,
        kind=finding.kind,
        **finding.place(),
        reason=reason,
    )
    return finding


def close_redacted(attachment: Attachment, *, by, replacement: Attachment) -> int:
    """In the caller's transaction: the open findings of an attachment that a redacted version replaces.

    Their reason names the redacted file that replaced it.
    """
    return Finding.objects.filter(attachment=attachment, resolution=Resolution.OPEN).update(
        resolution=Resolution.REDACTED, resolved_by=by, resolved_at=timezone.now(), reason=replacement.original_name
    )
