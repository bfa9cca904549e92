"""The findings of a publication as the staff screens show them: each in context, with what this user may do."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Publication
from gongkai.lib import screening
from gongkai.lib.extract import PAGE_SEPARATOR
from gongkai.review import auth, services
from gongkai.review.models import Finding

CONTEXT_CHARS = 30


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("不属敏感信息的理由（必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )


class RedactedForm(forms.Form):
    file = forms.FileField(label=_("遮盖后的附件"))


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    before: str  # the text around the value as it is now; empty with `value` when it is no longer there
    value: str
    after: str
    may_mask: bool
    may_dismiss: bool
    dismiss_form: DismissForm


def _live(publication: Publication) -> dict[str, tuple[screening.Finding, str]]:
    """Each current finding's first occurrence with the text (the page, for attachments) it is in.

    Every place is screened once, however many findings it has.
    """
    rules = services.rules()
    located: dict[str, tuple[screening.Finding, str]] = {}
    for place in services.places(publication):
        hits = place.screen(publication, rules)
        if not hits:
            continue
        text = place.text(publication)
        pages = text.split(PAGE_SEPARATOR) if place.attachment is not None else [text]
        for hit in hits:
            located.setdefault(hit.fingerprint, (hit, pages[hit.page - 1] if hit.page else pages[0]))
    return located


def _one_line(text: str) -> str:
    return " ".join(text.split())


def finding_rows(user, publication: Publication, forms_by_pk: dict | None = None) -> list[FindingRow]:
    findings = list(Finding.objects.about(publication).select_related("resolved_by", "attachment").in_order())
    if not findings:
        return []
    located = _live(publication) if any(finding.is_open for finding in findings) else {}
    rows = []
    for finding in findings:
        finding.publication = publication
        hit, text = located.get(finding.fingerprint, (None, "")) if finding.is_open else (None, "")
        before = value = after = ""
        if hit is not None:
            before = _one_line(text[max(0, hit.start - CONTEXT_CHARS) : hit.start])
            value = hit.value
            after = _one_line(text[hit.end : hit.end + CONTEXT_CHARS])
        rows.append(
            FindingRow(
                finding=finding,
                before=before,
                value=value,
                after=after,
                may_mask=auth.can_mask(user, finding),
                may_dismiss=auth.can_resolve(user, finding),
                dismiss_form=(forms_by_pk or {}).get(finding.pk) or DismissForm(prefix=f"dismiss-{finding.pk}"),
            )
        )
    return rows


def redactable_attachments(user, publication: Publication) -> list:
    """Attachments for which this user may upload a redacted version now."""
    return [attachment for attachment in publication.attachments.all() if auth.can_upload_redacted(user, attachment)]
