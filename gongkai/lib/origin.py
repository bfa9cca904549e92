"""Cross-site request protection without a token, for the two switches every public page carries.

The display-mode and language switches are forms on every page. With a CSRF token in them, every public page
would be the reader's own — a token to mint and a cookie to set on each answer — and a kept page could not be
handed to the next reader as it is. They change nothing on the server (each sets a cookie in the reader's own
browser), so they are checked the other way OWASP's CSRF cheat sheet describes: the browser says where the form
came from. A POST is accepted when its ``Origin`` header names this site (or one of `CSRF_TRUSTED_ORIGINS`), or,
without an ``Origin``, when ``Sec-Fetch-Site`` says ``same-origin``; every browser of the last years sends one of
them with a form's POST. Anything else gets 403 with a bilingual message. Every other form keeps its token.
"""

import functools

from django.conf import settings
from django.http import HttpRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt

REFUSED = (
    "此设置只接受本网站页面提交的请求，请回到网站页面再试。 / "
    "This setting only accepts requests sent from this site's own pages; go back to the site and try again."
)


def from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says this request was sent from a page of this site."""
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS
    return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"


def same_site_post(view):
    """``view`` without a CSRF token, its POSTs refused unless `from_this_site` (see the module)."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method == "POST" and not from_this_site(request):
            return HttpResponseForbidden(REFUSED, content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)

    return wrapper
