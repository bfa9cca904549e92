"""Public pages from the cache: each is rendered once per change of public content, not once per reader.

A view marked with `cached_page` may have its page kept. `KeptPageMiddleware` keeps and serves such pages for
GET requests from readers without a session (so nobody is signed in and no message waits for them), under a key
made of the full address, the language, the display modes (长辈版, 高对比度), today's date in Beijing (lists change at
midnight: publicity periods end, deadlines pass) and the **generation** of public content. The generation is a
number in the database (`PageGeneration`), changed by `public_content_changed()` in the same transaction as the
change itself — publishing, withdrawing, a 双公示 release or end of publicity, an administrator's edit of what the
public pages show — so no process, on any machine, serves a page from before a change once that change is
committed. Entries also expire after `GONGKAI_PAGE_CACHE_SECONDS`.

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


def public_content_changed() -> None:
    """Record that something the public pages show has changed: every page is rendered afresh from now on.

    Call it inside the transaction of the change; if that transaction rolls back, so does this. The row stays
    locked until the commit, so a long transaction calls it last.
    """
    with transaction.atomic():
        updated = PageGeneration.objects.filter(pk=PageGeneration.SINGLETON_PK).update(value=F("value") + 1)
        if not updated:
            PageGeneration.objects.get_or_create(pk=PageGeneration.SINGLETON_PK, defaults={"value": 1})


def generation() -> int:
    # Read on every kept page served: plain SQL, as the ORM's building of this query cost twice the query itself.
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL, [PageGeneration.SINGLETON_PK])
        row = cursor.fetchone()
    return row[0] if row else 0


def cached_page(view):
    """Mark ``view`` as one whose page may be kept for readers (see the module's docstring)."""
    view.page_may_be_kept = True
    return view


def page_key(request: HttpRequest, language: str) -> str:
    modes = ",".join(sorted(display.parse_modes(request.COOKIES.get(display.COOKIE_NAME))))
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    day = timezone.localdate().isoformat()
    return f"page:{generation()}:{language}:{modes}:{day}:{address}"


def _may_be_kept(request: HttpRequest) -> bool:
    """A reader's GET of a marked view: no session (nobody signed in, no message kept there), no message cookie."""
    if settings.GONGKAI_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return False
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "page_may_be_kept", False)


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
        if not _may_be_kept(request):
            return self.get_response(request)
        # As LocaleMiddleware decides it (this site has no language prefixes in its paths).
        key = page_key(request, translation.get_language_from_request(request))
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
# generation in the same transaction. Writes that bypass the ORM call public_content_changed() themselves
# (the 双公示 records: gongkai.credit.services).

ALWAYS_PUBLIC = (
    ("orgs", "Organization"),
    ("orgs", "Department"),
    ("portal", "SiteSettings"),
    ("catalog", "Column"),
    ("catalog", "Topic"),
    ("catalog", "Genre"),
    ("catalog", "Guide"),
    ("catalog", "IndexNumberPolicy"),
    ("catalog", "Interpretation"),
    ("credit", "PublicityRule"),
    ("credit", "Penalty"),
    ("credit", "Licence"),
)


def _publication_is_or_was_public(publication) -> bool:
    Status = type(publication).Status
    return publication.status in (Status.PUBLISHED, Status.WITHDRAWN)


def _always(sender, **kwargs) -> None:
    public_content_changed()


def _publication_saved(sender, instance, **kwargs) -> None:
    # A draft's edits show nowhere; publishing, withdrawing or changing a published item does.
    if _publication_is_or_was_public(instance):
        public_content_changed()


def _attachment_changed(sender, instance, **kwargs) -> None:
    from gongkai.catalog.models import Publication

    # Filtered, not followed: on a cascade the publication may be gone already.
    publication = Publication.objects.filter(pk=instance.publication_id).first()
    if publication is not None and _publication_is_or_was_public(publication):
        public_content_changed()


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for app_label, model_name in ALWAYS_PUBLIC:
        model = apps.get_model(app_label, model_name)
        post_save.connect(_always, sender=model, dispatch_uid=f"pagecache-save-{app_label}.{model_name}")
        post_delete.connect(_always, sender=model, dispatch_uid=f"pagecache-delete-{app_label}.{model_name}")
    publication = apps.get_model("catalog", "Publication")
    attachment = apps.get_model("catalog", "Attachment")
    post_save.connect(_publication_saved, sender=publication, dispatch_uid="pagecache-save-publication")
    post_delete.connect(_publication_saved, sender=publication, dispatch_uid="pagecache-delete-publication")
    post_save.connect(_attachment_changed, sender=attachment, dispatch_uid="pagecache-save-attachment")
    post_delete.connect(_attachment_changed, sender=attachment, dispatch_uid="pagecache-delete-attachment")
