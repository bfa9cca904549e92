"""Public pages from the cache: each is rendered once per change of public content, not once per reader.

A view marked with `cached_page` may have its page kept. `KeptPageMiddleware` keeps and serves such pages for
GET requests from readers without a session (so nobody is signed in and no message waits for them), under a key
made of the full address, the language, the display modes (长辈版, 高对比度), today's date in Beijing (lists change at
midnight: publicity periods end, deadlines pass) and the **generation** of the page's area. A generation is a
number in the database (`PageGeneration`), changed by `public_content_changed()` in the same transaction as the
change itself — publishing, withdrawing, a 双公示 release or end of publicity, an administrator's edit of what the
public pages show — so no process, on any machine, serves a page from before a change once that change is
committed. There are two areas, 政府信息公开 and 双公示 (`cached_page(area=…)`): a day's 双公示 import renews the
credit lists and records and leaves the disclosure site's pages kept; a change both show (an organisation, the
site's settings) renews both. Entries also expire after `GONGKAI_PAGE_CACHE_SECONDS`.

The middleware sits before the session, language, CSRF, authentication and message middleware, so a kept page is
answered without them: the language is decided as `LocaleMiddleware` decides it and the page is stored with the
headers those layers gave it. A public page holds nothing of the reader's own — its only forms, the display-mode
and language switches, are checked by origin instead of a CSRF token (`gongkai.lib.origin`) — so a page that sets
a cookie is not kept.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from gongkai.portal import display
from gongkai.portal.models import PageGeneration

CACHED_STATUSES = frozenset({200, 404, 410})
GENERATION_SQL = f"SELECT value FROM {PageGeneration._meta.db_table} WHERE id = %s"


def public_content_changed(*areas: int) -> None:
    """Record that something the public pages of ``areas`` show has changed (no area: all of them): their pages
    are rendered afresh from now on.

    Call it inside the transaction of the change; if that transaction rolls back, so does this. The rows stay
    locked until the commit, so a long transaction calls it last, once.
    """
    areas = tuple(sorted(set(areas or PageGeneration.AREAS)))
    with transaction.atomic():
        updated = PageGeneration.objects.filter(pk__in=areas).update(value=F("value") + 1)
        if updated < len(areas):
            for area in areas:
                PageGeneration.objects.get_or_create(pk=area, defaults={"value": 1})


def generation(area: int) -> int:
    # Read on every kept page served: plain SQL, as the ORM's building of this query cost twice the query itself.
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL, [area])
        row = cursor.fetchone()
    return row[0] if row else 0


def cached_page(view=None, *, area: int = PageGeneration.DISCLOSURE):
    """Mark ``view`` as one whose page may be kept for readers, renewed when ``area`` changes (see the module's
    docstring). ``@cached_page`` or ``@cached_page(area=PageGeneration.CREDIT)``."""

    def mark(view):
        view.page_area = area
        return view

    return mark if view is None else mark(view)


def page_key(request: HttpRequest, language: str, area: int) -> str:
    modes = ",".join(sorted(display.parse_modes(request.COOKIES.get(display.COOKIE_NAME))))
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    day = timezone.localdate().isoformat()
    return f"page:{area}.{generation(area)}:{language}:{modes}:{day}:{address}"


def _kept_area(request: HttpRequest) -> int | None:
    """For a reader's GET of a marked view — no session (nobody signed in, no message kept there), no message
    cookie — the view's area; otherwise None."""
    if settings.GONGKAI_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return None
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    return getattr(view, "page_area", None)


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code in CACHED_STATUSES
        and not response.streaming
        and not response.cookies  # a cookie (a CSRF token, a message) makes the page the reader's own
        and response.get("Content-Type", "").startswith("text/html")
    )


class KeptPageMiddleware:
    """Serves and keeps the pages of `cached_page` views; belongs before the session middleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        area = _kept_area(request)
        if area is None:
            return self.get_response(request)
        # As LocaleMiddleware decides it (this site has no language prefixes in its paths).
        key = page_key(request, translation.get_language_from_request(request), area)
        kept = cache.get(key)
        if kept is not None:
            status, headers, body = kept
            response = HttpResponse(body, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response) and not getattr(request, "page_view_raised", False):
            kept = (response.status_code, dict(response.items()), response.content)
            cache.set(key, kept, settings.GONGKAI_PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # A page the view did not give (Http404 raised for an address that names nothing, an error) is not kept.
        request.page_view_raised = True


# --- what changes public content ---------------------------------------------------------------------------
# Saving or deleting any of these through the ORM (an administrator's edit, a service's save) changes the
# generations of the areas that show it, in the same transaction. Writes that bypass the ORM call
# public_content_changed() themselves (the 双公示 records: gongkai.credit.services).

SHOWN_IN = {
    # every area: names of organisations and departments, the site's title and footer
    ("orgs", "Organization"): PageGeneration.AREAS,
    ("orgs", "Department"): PageGeneration.AREAS,
    ("portal", "SiteSettings"): PageGeneration.AREAS,
    ("catalog", "Column"): (PageGeneration.DISCLOSURE,),
    ("catalog", "Topic"): (PageGeneration.DISCLOSURE,),
    ("catalog", "Genre"): (PageGeneration.DISCLOSURE,),
    ("catalog", "Guide"): (PageGeneration.DISCLOSURE,),
    ("catalog", "IndexNumberPolicy"): (PageGeneration.DISCLOSURE,),
    ("catalog", "Interpretation"): (PageGeneration.DISCLOSURE,),
    ("credit", "PublicityRule"): (PageGeneration.CREDIT,),
    ("credit", "Penalty"): (PageGeneration.CREDIT,),
    ("credit", "Licence"): (PageGeneration.CREDIT,),
}


def _publication_is_or_was_public(publication) -> bool:
    Status = type(publication).Status
    return publication.status in (Status.PUBLISHED, Status.WITHDRAWN)


def _shown(sender, **kwargs) -> None:
    public_content_changed(*SHOWN_IN[(sender._meta.app_label, sender._meta.object_name)])


def _publication_saved(sender, instance, **kwargs) -> None:
    # A draft's edits show nowhere; publishing, withdrawing or changing a published item does.
    if _publication_is_or_was_public(instance):
        public_content_changed(PageGeneration.DISCLOSURE)


def _attachment_changed(sender, instance, **kwargs) -> None:
    from gongkai.catalog.models import Publication

    # Filtered, not followed: on a cascade the publication may be gone already.
    publication = Publication.objects.filter(pk=instance.publication_id).first()
    if publication is not None and _publication_is_or_was_public(publication):
        public_content_changed(PageGeneration.DISCLOSURE)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for app_label, model_name in SHOWN_IN:
        model = apps.get_model(app_label, model_name)
        post_save.connect(_shown, sender=model, dispatch_uid=f"pagecache-save-{app_label}.{model_name}")
        post_delete.connect(_shown, sender=model, dispatch_uid=f"pagecache-delete-{app_label}.{model_name}")
    publication = apps.get_model("catalog", "Publication")
    attachment = apps.get_model("catalog", "Attachment")
    post_save.connect(_publication_saved, sender=publication, dispatch_uid="pagecache-save-publication")
    post_delete.connect(_publication_saved, sender=publication, dispatch_uid="pagecache-delete-publication")
    post_save.connect(_attachment_changed, sender=attachment, dispatch_uid="pagecache-save-attachment")
    post_delete.connect(_attachment_changed, sender=attachment, dispatch_uid="pagecache-delete-attachment")
