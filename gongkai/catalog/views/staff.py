"""The staff side of the catalogue: the list by status, the editor, the staff view with its actions and
history, and the approval queue.

Access, the same on every screen:
1. not logged in → the login page;
2. no catalogue role (信息发布员, 保密审查员, 公开办负责人) → 403;
3. a publication outside ``staff_publications(user)`` (another organisation's) → 404, as if it did not exist;
4. a publication in scope, but the predicate refuses the action (editing a submitted draft, approving
   one's own) → 403.
Each view parses, checks the predicate, calls the service and responds; the services check again.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When, prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.audit.models import AuditEvent
from gongkai.catalog import auth, services
from gongkai.catalog.forms import (
    ApproveForm,
    AttachmentForm,
    InterpretedFormSet,
    PublicationForm,
    ReasonForm,
    ScheduleForm,
    ValidityForm,
)
from gongkai.catalog.models import Publication
from gongkai.lib.files import FileRejected
from gongkai.lib.html import sanitize
from gongkai.orgs import auth as orgs_auth
from gongkai.orgs.roles import REVIEWER
from gongkai.review import presentation as review_presentation
from gongkai.review import services as review_services
from gongkai.review.models import Finding, describe_place

Status = Publication.Status

PAGE_SIZE = 20


# --- access -----------------------------------------------------------------------------------------


def catalog_staff_view(view):
    """Logged in, with a catalogue role. The user's groups are read once, so the predicates cost no queries."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        prefetch_related_objects([request.user], "groups")
        if not auth.can_work_on_catalog(request.user):
            raise PermissionDenied(_("您没有政府信息公开工作的角色。 You have no role in the catalogue."))
        return view(request, *args, **kwargs)

    return wrapped


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您不能对这条信息执行此操作。 You may not do this with this publication."))


def _publication(request: HttpRequest, pk: int) -> Publication:
    publications = auth.staff_publications(request.user).select_related(
        "publisher", "column__parent", "topic", "genre", "author", "approved_by"
    )
    return get_object_or_404(publications, pk=pk)


# --- the list by status -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    code: str
    label: str
    statuses: tuple[str, ...]
    order_by: tuple[str, ...] = ("-updated_at", "-id")


TABS = [
    Tab("drafts", gettext_lazy("草稿/已退回"), (Status.DRAFT, Status.RETURNED)),
    Tab("submitted", gettext_lazy("待审核"), (Status.SUBMITTED,), ("updated_at", "id")),
    Tab("approved", gettext_lazy("已审核（含定时）"), (Status.APPROVED,)),
    Tab("published", gettext_lazy("已发布"), (Status.PUBLISHED,), ("-published_at", "-id")),
    Tab("withdrawn", gettext_lazy("已撤回"), (Status.WITHDRAWN,), ("-withdrawn_at", "-id")),
]
TABS_BY_CODE = {tab.code: tab for tab in TABS}


@catalog_staff_view
def publication_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = TABS_BY_CODE.get(request.GET.get("status", ""), TABS[0])
    scoped = auth.staff_publications(user)
    by_status = dict(scoped.values_list("status").annotate(n=Count("id")).order_by())
    counts = {t.code: sum(by_status.get(status, 0) for status in t.statuses) for t in TABS}
    publications = scoped.filter(status__in=tab.statuses).select_related("publisher", "column", "author")
    navigation = _navigation(user, "list")
    drafts_own_first = tab.code == "drafts" and navigation["may_draft"]
    if drafts_own_first:
        # A publisher's own drafts come first: what they are working on, then what colleagues left.
        publications = publications.annotate(
            mine=Case(When(author=user, then=Value(1)), default=Value(0), output_field=IntegerField())
        ).order_by("-mine", *tab.order_by)
    else:
        publications = publications.order_by(*tab.order_by)
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/staff/list.html",
        {
            "tabs": [(t, counts[t.code]) for t in TABS],
            "tab": tab,
            "page": page,
            "own_first": drafts_own_first,
            "several_publishers": orgs_auth.organizations_for(user)[:2].count() > 1,
            **navigation,
        },
    )


def _navigation(user, current: str = "") -> dict:
    organization = user.organization
    return {
        "may_draft": organization is not None and auth.can_draft_for(user, organization),
        "may_review": orgs_auth.has_role(user, REVIEWER),
        "may_oversee_interpretation": auth.can_oversee_interpretation(user),
        "nav_current": current,
    }


# --- the editor -------------------------------------------------------------------------------------


def _add_errors(form, errors: dict[str, str]) -> None:
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


def _interpreted_formset(request: HttpRequest, publication: Publication | None, bound: bool = True):
    """The rows of documents the publication interprets; bound only when the page sent them (so a POST
    that does not carry them, from an older page or a script, leaves the links as they are)."""
    organization = publication.publisher if publication else request.user.organization
    sent = bound and request.method == "POST" and f"{InterpretedFormSet.PREFIX}-TOTAL_FORMS" in request.POST
    return InterpretedFormSet.build(organization, publication, data=request.POST if sent else None)


def _save_draft(request: HttpRequest, publication: Publication | None, form, interpreted) -> Publication | None:
    """Save the metadata and the interpreted documents together: both or neither. None when refused."""
    if not (form.is_valid() and (not interpreted.is_bound or interpreted.is_valid())):
        return None
    try:
        with transaction.atomic():
            if publication is None:
                publication = services.create_draft(
                    by=request.user, publisher=request.user.organization, **form.values()
                )
            else:
                publication = services.update_draft(publication, by=request.user, **form.values())
            if interpreted.is_bound:
                services.set_interpreted(publication, by=request.user, documents=interpreted.documents())
    except services.PublicationInvalid as error:
        _add_errors(form, error.errors)
    except services.InterpretationInvalid as error:
        interpreted.add_service_errors(error.errors)
    except services.WorkflowError as error:
        form.add_error(None, str(error))
    else:
        return publication
    return None


def _render_editor(
    request, publication, form, attachment_form=None, status: int = 200, interpreted=None
) -> HttpResponse:
    return render(
        request,
        "catalog/staff/editor.html",
        {
            "publication": publication,
            "form": form,
            "interpreted": interpreted or _interpreted_formset(request, publication, bound=False),
            "attachment_form": attachment_form or AttachmentForm(),
            "attachments": publication.attachments.all() if publication else [],
            **_navigation(request.user, "" if publication else "new"),
        },
        status=status,
    )


@catalog_staff_view
def publication_new(request: HttpRequest) -> HttpResponse:
    organization = request.user.organization
    _allow(organization is not None and auth.can_draft_for(request.user, organization))
    if request.method != "POST":
        return _render_editor(request, None, PublicationForm())
    form, interpreted = PublicationForm(request.POST), _interpreted_formset(request, None)
    publication = _save_draft(request, None, form, interpreted)
    if publication is not None:
        messages.success(request, _("草稿已保存。可以上传附件，完成后提交审核。"))
        return redirect(reverse("catalog_staff:edit", args=[publication.pk]) + "#attachments")
    return _render_editor(request, None, form, status=400, interpreted=interpreted)


@catalog_staff_view
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_edit(request.user, publication))
    if request.method != "POST":
        return _render_editor(request, publication, PublicationForm.for_publication(publication))
    form, interpreted = PublicationForm(request.POST), _interpreted_formset(request, publication)
    if _save_draft(request, publication, form, interpreted) is not None:
        messages.success(request, _("已保存。"))
        return redirect("catalog_staff:detail", publication.pk)
    return _render_editor(request, publication, form, status=400, interpreted=interpreted)


@require_POST
@catalog_staff_view
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_edit(request.user, publication))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = services.add_attachment(publication, by=request.user, upload=upload, name=upload.name)
        except (FileRejected, services.WorkflowError) as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("已上传附件“%(name)s”。") % {"name": attachment.original_name})
            return redirect(reverse("catalog_staff:edit", args=[publication.pk]) + "#attachments")
    return _render_editor(request, publication, PublicationForm.for_publication(publication), form, status=400)


@catalog_staff_view
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Staff open attachments before publication (reviewers must read them), so this is scoped like the rest."""
    publication = _publication(request, pk)
    attachment = get_object_or_404(publication.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@catalog_staff_view
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    attachment = get_object_or_404(publication.attachments, pk=attachment_pk)
    _allow(auth.can_edit(request.user, publication))
    try:
        services.remove_attachment(attachment, by=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.original_name})
    return redirect(reverse("catalog_staff:edit", args=[publication.pk]) + "#attachments")


# --- the staff view: metadata, actions, history ----------------------------------------------------


@dataclass(frozen=True)
class Actions:
    """What this user may do with this publication now, from the predicates."""

    edit: bool
    submit: bool
    review: bool
    publish: bool
    withdraw: bool

    @classmethod
    def of(cls, user, publication: Publication) -> "Actions":
        return cls(
            edit=auth.can_edit(user, publication),
            submit=auth.can_submit(user, publication),
            review=auth.can_review(user, publication),
            publish=auth.can_publish(user, publication),
            withdraw=auth.can_withdraw(user, publication),
        )

    @property
    def any(self) -> bool:
        return self.submit or self.review or self.publish or self.withdraw


ACTION_LABELS = {
    "publication.drafted": gettext_lazy("起草"),
    "publication.edited": gettext_lazy("修改"),
    "publication.submitted": gettext_lazy("提交审核"),
    "publication.approved": gettext_lazy("审核通过"),
    "publication.returned": gettext_lazy("退回修改"),
    "publication.scheduled": gettext_lazy("定时发布"),
    "publication.schedule_cancelled": gettext_lazy("取消定时发布"),
    "publication.published": gettext_lazy("发布"),
    "publication.withdrawn": gettext_lazy("撤回"),
    "publication.validity_set": gettext_lazy("设置有效性"),
    "publication.attachment_added": gettext_lazy("上传附件"),
    "publication.attachment_removed": gettext_lazy("删除附件"),
    "publication.imported": gettext_lazy("导入"),
    "publication.screened": gettext_lazy("敏感信息筛查"),
    "publication.finding_masked": gettext_lazy("遮盖敏感信息"),
    "publication.finding_dismissed": gettext_lazy("确认不属敏感信息"),
    "publication.attachment_redacted": gettext_lazy("换为遮盖后的附件"),
    "publication.interpreted_set": gettext_lazy("设置解读的文件"),
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    summary: str
    reason: str
    details: str


def _history_details(event: AuditEvent) -> str:
    data = event.data or {}
    if event.action == "publication.edited":
        names = [str(Publication._meta.get_field(name).verbose_name) for name in data.get("fields", [])]
        # Translators: the separator between the names of a list of fields.
        return _("修改了：%(fields)s") % {"fields": str(_("、")).join(names)}
    if event.action == "publication.scheduled" and data.get("at"):
        at = timezone.localtime(datetime.fromisoformat(data["at"]))
        return _("定于 %(at)s 发布") % {"at": f"{at:%Y-%m-%d %H:%M}"}
    if event.action == "publication.published":
        return _("由定时任务发布") if data.get("scheduled") else ""
    if event.action == "publication.screened":
        return _("发现 %(new)s 项新的，%(open)s 项待处理，%(gone)s 项已不存在") % {
            "new": data.get("new", 0),
            "open": data.get("open", 0),
            "gone": data.get("gone", 0),
        }
    if event.action in ("publication.finding_masked", "publication.finding_dismissed") and "field" in data:
        return f"{Finding.Kind(data['kind']).label} {describe_place(**_place_of(data))}"
    if event.action == "publication.approved" and data.get("findings"):
        resolutions = dict(Finding.Resolution.choices)
        return str(_("；")).join(
            _("%(masked)s：%(resolution)s")
            % {"masked": finding["masked"], "resolution": resolutions.get(finding["resolution"], finding["resolution"])}
            for finding in data["findings"]
        )
    if event.action == "publication.interpreted_set":
        return str(_("、")).join(f"《{document['title']}》" for document in data.get("documents", [])) or _("无")
    if event.action == "publication.validity_set":
        labels = dict(Publication.Validity.choices)
        return f"{labels.get(data.get('validity'), '')} {data.get('on') or ''}".strip()
    return ""


def _place_of(data: dict) -> dict:
    return {name: data.get(name) for name in ("field", "attachment", "page", "offset")}


def publication_history(publication: Publication) -> list[HistoryEntry]:
    """The publication's audit events, oldest first, as the history table shows them."""
    entries = []
    for event in AuditEvent.objects.about(publication).order_by("seq"):
        data = event.data or {}
        entries.append(
            HistoryEntry(
                at=event.at,
                actor=event.actor_label,
                action=str(ACTION_LABELS.get(event.action, event.action)),
                summary=event.summary,
                reason=data.get("reason") or data.get("note") or "",
                details=_history_details(event),
            )
        )
    return entries


def _render_detail(
    request, publication: Publication, status: int = 200, dismiss_forms: dict | None = None, **forms
) -> HttpResponse:
    user = request.user
    findings = review_presentation.finding_rows(user, publication, dismiss_forms)
    context = {
        "findings": findings,
        "open_findings": sum(1 for row in findings if row.finding.is_open),
        "redactable": review_presentation.redactable_attachments(user, publication),
        "redacted_form": review_presentation.RedactedForm(),
        "publication": publication,
        "actions": Actions.of(user, publication),
        "attachments": publication.attachments.all(),
        # Bodies are sanitised when saved; cleaning again costs little and keeps this page safe whatever wrote the row.
        "body_html": mark_safe(sanitize(publication.body)),
        "history": publication_history(publication),
        "policy_links": publication.policy_links.select_related("policy__publisher"),
        "interpretation_links": publication.interpretation_links.select_related("interpretation__publisher"),
        "approve_form": ApproveForm(),
        "return_form": ReasonForm(prefix="return"),
        "schedule_form": ScheduleForm(),
        "withdraw_form": ReasonForm(prefix="withdraw"),
        "validity_form": ValidityForm(),
        **_navigation(user),
    }
    context.update(forms)
    return render(request, "catalog/staff/detail.html", context, status=status)


@catalog_staff_view
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _publication(request, pk))


def _done(request: HttpRequest, publication: Publication, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("catalog_staff:detail", publication.pk)


def _refused(request: HttpRequest, publication: Publication, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("catalog_staff:detail", publication.pk)


@require_POST
@catalog_staff_view
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_submit(request.user, publication))
    try:
        services.submit(publication, by=request.user)
    except services.WorkflowError as error:
        return _refused(request, publication, error)
    found = review_services.open_count(publication)
    if found:
        return _done(
            request,
            publication,
            _("已提交审核。自动筛查发现 %(n)s 项疑似敏感信息，见下方“筛查结果”，由保密审查员逐项处理。") % {"n": found},
        )
    return _done(request, publication, _("已提交审核。自动筛查未发现敏感信息。"))


@require_POST
@catalog_staff_view
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_review(request.user, publication))
    form = ApproveForm(request.POST)
    form.is_valid()  # a note is optional and free text: the form cannot fail
    try:
        services.approve(publication, by=request.user, note=form.cleaned_data.get("note", ""))
    except services.WorkflowError as error:
        return _refused(request, publication, error)
    return _done(request, publication, _("已审核通过，可以发布。"))


@require_POST
@catalog_staff_view
def return_for_changes(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_review(request.user, publication))
    form = ReasonForm(request.POST, prefix="return")
    form.is_valid()
    try:
        services.return_for_changes(publication, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except services.WorkflowError as error:
        form.add_error("reason", str(error))
        return _render_detail(request, publication, status=400, return_form=form)
    return _done(request, publication, _("已退回撰稿人修改。"))


@require_POST
@catalog_staff_view
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_publish(request.user, publication))
    try:
        publication = services.publish(publication, by=request.user)
    except services.WorkflowError as error:
        return _refused(request, publication, error)
    return _done(request, publication, _("已发布，索引号 %(index_no)s。") % {"index_no": publication.index_no})


@require_POST
@catalog_staff_view
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_publish(request.user, publication))
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, publication, status=400, schedule_form=form)
    at = form.cleaned_data["at"]
    try:
        services.publish(publication, by=request.user, at=at)
    except services.WorkflowError as error:
        return _refused(request, publication, error)
    return _done(request, publication, _("已定于 %(at)s 发布。") % {"at": f"{timezone.localtime(at):%Y-%m-%d %H:%M}"})


@require_POST
@catalog_staff_view
def cancel_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_publish(request.user, publication) and publication.scheduled_at is not None)
    try:
        services.cancel_schedule(publication, by=request.user)
    except services.WorkflowError as error:
        return _refused(request, publication, error)
    return _done(request, publication, _("已取消定时发布。"))


@require_POST
@catalog_staff_view
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_withdraw(request.user, publication))
    form = ReasonForm(request.POST, prefix="withdraw")
    form.is_valid()
    try:
        services.withdraw(publication, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except services.WorkflowError as error:
        form.add_error("reason", str(error))
        return _render_detail(request, publication, status=400, withdraw_form=form)
    return _done(request, publication, _("已撤回。索引号不再使用。"))


@require_POST
@catalog_staff_view
def set_validity(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    _allow(auth.can_withdraw(request.user, publication))
    form = ValidityForm(request.POST)
    if form.is_valid():
        try:
            services.set_validity(
                publication,
                by=request.user,
                validity=form.cleaned_data["validity"],
                on=form.cleaned_data["on"],
            )
        except services.PublicationInvalid as error:
            for field, message in error.errors.items():
                form.add_error("on" if field in ("expired_on", "repealed_on", "effective_on") else None, message)
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, publication, _("已记录有效性。"))
    return _render_detail(request, publication, status=400, validity_form=form)


# --- the approval queue -----------------------------------------------------------------------------


@catalog_staff_view
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not orgs_auth.has_role(user, REVIEWER):
        raise PermissionDenied(_("只有保密审查员可以审核。 Only reviewers review."))
    open_findings = Count("findings", filter=Q(findings__resolution=Finding.Resolution.OPEN))
    submitted = (
        auth.staff_publications(user)
        .filter(status=Status.SUBMITTED)
        .select_related("publisher", "column", "author")
        .annotate(open_findings=open_findings)
        .order_by("updated_at", "id")
    )
    # The predicate decides (not the author, a reviewer of that organisation); queues are short.
    waiting = [publication for publication in submitted if auth.can_review(user, publication)]
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    # What a re-screening (`gongkai screen --published`) found in public publications: nothing is taken
    # down automatically, so these wait here for a reviewer.
    rescreened = (
        auth.staff_publications(user)
        .filter(status=Status.PUBLISHED)
        .annotate(open_findings=open_findings)
        .filter(open_findings__gt=0)
        .select_related("publisher")
        .order_by("-published_at", "-id")[:PAGE_SIZE]
    )
    return render(
        request, "catalog/staff/review.html", {"page": page, "rescreened": rescreened, **_navigation(user, "review")}
    )


# --- policy documents awaiting interpretation -----------------------------------------------------


@login_required
def uninterpreted(request: HttpRequest) -> HttpResponse:
    """尚未解读的政策文件: the office head's (or an administrator's) organisations' public policy documents in
    force that no published interpretation interprets yet (``Publication.objects.awaiting_interpretation()``)."""
    user = request.user
    prefetch_related_objects([user], "groups")
    if not auth.can_oversee_interpretation(user):
        raise PermissionDenied(
            _("只有公开办负责人和系统管理员可以查看。 Only the office head and administrators may see this.")
        )
    organizations = auth.interpretation_overseen_organizations(user)
    publications = (
        Publication.objects.published()
        .filter(publisher__in=organizations)
        .awaiting_interpretation()
        .select_related("publisher", "genre")
        .order_by("-published_at", "-id")
    )
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/staff/uninterpreted.html",
        {
            "page": page,
            "several_publishers": organizations[:2].count() > 1,
            **_navigation(user, "uninterpreted"),
        },
    )
