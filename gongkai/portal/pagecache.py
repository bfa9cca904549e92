"""Public pages from the cache: each is rendered once per change of public content, not once per reader.

`cached_page` wraps a public view. A page is kept for anonymous GET requests with no messages waiting, under a
key made of its full address, the language, the display modes (长辈版, 高对比度), today's date in Beijing (lists
change at midnight: publicity periods end, deadlines pass) and the **generation** of public content. The
generation is a number in the database (`PageGeneration`), changed by `public_content_changed()` in the same
transaction as the change itself — publishing, withdrawing, a 双公示 release or end of publicity, an
administrator's edit of what the public pages show — so no process, on any machine, serves a page from before
a change once that change is committed. Entries also expire after `GONGKAI_PAGE_CACHE_SECONDS`.

The toolbar's forms (display modes, language) carry a CSRF token, the one part of a public page that belongs
to the reader: it is stored as a mark and each reader gets their own token in its place.
"""

from __future__ import annotations

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from gongkai.portal import display
from gongkai.portal.models import PageGeneration

CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARK = "\x00csrf\x00"
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


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # Messages are shown once, on the next page: that page is the reader's own.
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.session_key and "_messages" in session)


def page_key(request: HttpRequest) -> str:
    modes = ",".join(sorted(display.parse_modes(request.COOKIES.get(display.COOKIE_NAME))))
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    day = timezone.localdate().isoformat()
    return f"page:{generation()}:{translation.get_language()}:{modes}:{day}:{address}"


def cached_page(view):
    """Serve ``view``'s page from the cache when it may be (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.GONGKAI_PAGE_CACHE_SECONDS <= 0 or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        kept = cache.get(key)
        if kept is not None:
            status, content_type, html = kept
            html = html.replace(CSRF_MARK, get_token(request))
            response = HttpResponse(html, status=status, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _cacheable_response(response):
            html = CSRF_INPUT.sub(rf"\g<1>{CSRF_MARK}\g<2>", response.content.decode(response.charset))
            cache.set(key, (response.status_code, response["Content-Type"], html), settings.GONGKAI_PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code in CACHED_STATUSES
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


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
