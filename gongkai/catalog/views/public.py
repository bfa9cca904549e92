"""The public side of the catalogue: the guide, column pages, the catalogue (目录), details, attachments, search.

Every list shows published publications only (``Publication.objects.published()``): a withdrawn one leaves
them all, and its own address answers 410 with a notice.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import query
from gongkai.catalog.models import (
    Attachment,
    Column,
    Genre,
    Guide,
    IndexNumberPolicy,
    Interpretation,
    Publication,
    Section,
    Topic,
)
from gongkai.orgs.models import Department, Organization
from gongkai.portal.pagecache import cached_page

# Browsers may show these in the page; everything else is downloaded. No SVG: it can carry script.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})


def _organization(slug: str) -> Organization:
    return get_object_or_404(Organization.objects.active(), slug=slug)


def _filter_options(*, organization: Organization | None, sections: tuple[str, ...] = (Section.DISCLOSURE,)) -> dict:
    """The choices of the filter form: the column tree(s), topics, genres, years and publishers."""
    columns = []
    by_parent: dict[int | None, list[Column]] = {}
    for column in Column.objects.active().filter(section__in=sections).order_by("-section", "sort_order", "id"):
        by_parent.setdefault(column.parent_id, []).append(column)

    def walk(parent_id: int | None, depth: int) -> None:
        for column in by_parent.get(parent_id, []):
            columns.append((column, depth))
            walk(column.pk, depth + 1)

    walk(None, 0)
    first = query.public_publications().order_by("published_at").values_list("published_at", flat=True).first()
    this_year = timezone.localdate().year
    first_year = timezone.localtime(first).year if first else this_year
    return {
        "column_options": columns,
        "topic_options": list(Topic.objects.all()),
        "genre_options": list(Genre.objects.all()),
        "year_options": list(range(this_year, first_year - 1, -1)),
        "publisher_options": [] if organization else list(Organization.objects.active()),
    }


def _list_page(request: HttpRequest, publications, filters) -> dict:
    number, page_error = query.parse_page(request.GET)
    cursor, cursor_errors = query.parse_cursor(request.GET, number)
    page = query.catalog_page(publications, number, cursor=cursor)
    errors = dict(filters.errors, **cursor_errors)
    if page_error or page.error:
        errors["page"] = page_error or page.error
    return {"page": page, "filters": filters, "filter_errors": errors}


def _status(context: dict) -> int:
    return 404 if context["page"].pager.out_of_range else 200


# --- the catalogue (政府信息公开目录) ----------------------------------------------------------------


@cached_page
def catalog(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The district-wide catalogue, or with ``slug`` one organisation's, filterable and paginated."""
    organization = _organization(slug) if slug else None
    filters = query.parse_filters(request.GET, section=Section.DISCLOSURE, publisher=organization)
    context = _list_page(request, query.catalog_publications(filters), filters)
    context.update(_filter_options(organization=organization), organization=organization)
    return render(request, "catalog/public/catalog.html", context, status=_status(context))


# --- an organisation's column pages and guide -------------------------------------------------------


@cached_page
def column(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One organisation's items in a column of 政府信息公开 and the columns below it."""
    organization = _organization(slug)
    column = get_object_or_404(Column.objects.active().select_related("parent"), code=code, section=Section.DISCLOSURE)
    publications = query.public_publications().filter(publisher=organization, column_id__in=column.descendant_ids())
    context = _list_page(request, publications, query.parse_filters({}))
    context.update(
        organization=organization,
        column=column,
        subcolumns=list(column.children.active()),
        feed_url=f"{reverse('catalog:feed', args=[column.code])}?publisher={organization.slug}",
    )
    return render(request, "catalog/public/column.html", context, status=_status(context))


@cached_page
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开指南, generated from the organisation's data as 条例第十二条 requires, then its own text."""
    organization = _organization(slug)
    columns = Column.objects.active().select_related("parent")
    policy = IndexNumberPolicy.objects.filter(organization=organization).first() or IndexNumberPolicy(
        organization=organization
    )
    offices = list(Department.objects.filter(organization=organization, is_disclosure_office=True))
    context = {
        "organization": organization,
        "disclosure_columns": [c for c in columns if c.section == Section.DISCLOSURE],
        "credit_columns": [c for c in columns if c.section == Section.CREDIT],
        "topics": list(Topic.objects.all()),
        "genres": list(Genre.objects.all()),
        "policy": policy,
        "index_example": f"{organization.uscc}/{timezone.localdate().year}-{1:0{policy.serial_width}d}",
        "offices": offices,
        # The office's own lines first; the organisation's switchboard when the office has none.
        "phones": [office.phone for office in offices if office.phone] or [p for p in [organization.phone] if p],
        "guide_text": Guide.objects.filter(organization=organization).values_list("text", flat=True).first() or "",
        "guide_items": query.latest(
            query.public_publications().filter(publisher=organization, column__code="guide"), query.HOME_ITEMS
        ),
    }
    return render(request, "catalog/public/guide.html", context)


# --- the credit site's columns (信用动态, 政策法规, 信用知识) ----------------------------------------------


@cached_page
def credit_column(request: HttpRequest, code: str) -> HttpResponse:
    """A column of the credit site: every organisation's items in it."""
    column = get_object_or_404(Column.objects.active().select_related("parent"), code=code, section=Section.CREDIT)
    publications = query.public_publications().filter(column_id__in=column.descendant_ids())
    context = _list_page(request, publications, query.parse_filters({}))
    context.update(column=column, feed_url=reverse("catalog:feed", args=[column.code]))
    return render(request, "catalog/public/credit_column.html", context, status=_status(context))


# --- one publication ------------------------------------------------------------------------------


def _shown_publication(pk: int) -> Publication:
    """A publication that is or was public; anything never published does not exist for the public."""
    publication = (
        Publication.objects.select_related("publisher", "column__parent", "topic", "genre")
        .filter(pk=pk, status__in=(Publication.Status.PUBLISHED, Publication.Status.WITHDRAWN))
        .first()
    )
    if publication is None:
        raise Http404
    return publication


def _withdrawn(request: HttpRequest, publication: Publication) -> HttpResponse:
    return render(request, "catalog/public/withdrawn.html", {"publication": publication}, status=410)


def attachment_url(attachment: Attachment) -> str:
    """The download address, ending in the file's name so that a browser saves it under that name."""
    if attachment.original_name:
        return reverse("catalog:attachment_named", args=[attachment.pk, attachment.original_name])
    return reverse("catalog:attachment", args=[attachment.pk])


@cached_page
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The publication with its metadata block; 410 once withdrawn; under another organisation's path, 301."""
    publication = _shown_publication(pk)
    if publication.publisher.slug != slug:
        return HttpResponsePermanentRedirect(reverse("catalog:detail", args=[publication.publisher.slug, pk]))
    if publication.status == Publication.Status.WITHDRAWN:
        return _withdrawn(request, publication)
    attachments = [(attachment, attachment_url(attachment)) for attachment in publication.attachments.all()]
    links = Interpretation.objects.public()
    context = {
        "publication": publication,
        "column": publication.column,
        "attachments": attachments,
        # 政策解读 of this document, and the documents this one interprets: public on both sides only.
        "interpretations": links.filter(policy=publication)
        .select_related("interpretation__publisher")
        .order_by("-interpretation__published_at", "-id"),
        "interpreted": links.filter(interpretation=publication).select_related("policy__publisher"),
    }
    return render(request, "catalog/public/detail.html", context)


def attachment(request: HttpRequest, pk: int, filename: str = "") -> HttpResponse:
    """Serve a published publication's attachment from MEDIA_ROOT, never as something a browser would run.

    The type is the one sniffed from the content at upload; PDF and images open in the browser, the rest
    download. ``sandbox`` keeps a PDF viewer or image from running script with the site's origin.
    """
    attachment = get_object_or_404(Attachment.objects.select_related("publication__publisher"), pk=pk)
    publication = attachment.publication
    if publication.status == Publication.Status.WITHDRAWN:
        return _withdrawn(request, publication)
    if publication.status != Publication.Status.PUBLISHED:
        raise Http404
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        filename=attachment.original_name or f"attachment-{attachment.pk}{attachment.extension}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# --- search ---------------------------------------------------------------------------------------


@cached_page
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over what is published, with the catalogue's filters; ranked, highlighted, paged."""
    from gongkai.search.services import search_publications

    text = request.GET.get("q", "").strip()
    filters = query.parse_filters(request.GET)
    number, page_error = query.parse_page(request.GET)
    errors = dict(filters.errors)
    if page_error:
        errors["page"] = page_error
    options = _filter_options(organization=None, sections=(Section.DISCLOSURE, Section.CREDIT))
    context = {"q": text, "filters": filters, "filter_errors": errors, **options}
    if text:
        found = search_publications(text, filters, page=number, per_page=query.PER_PAGE)
        context["results"] = found
        context["pager"] = query.Pager(
            number=found.page,
            per_page=found.per_page,
            count=found.count,
            count_capped=found.count_capped,
            has_next=found.has_next,
        )
    return render(request, "catalog/public/search.html", context)
