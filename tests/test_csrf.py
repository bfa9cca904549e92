"""CSRF everywhere (issue 9): a logged-in session that POSTs without the CSRF token is refused by every route of
the site — public forms, staff screens, the admin, the JSON API — before any view runs. (Routes of the API that take
a token instead of the session ignore the session, so a forged request carries no authority there.) The language
and display switches carry no token, so that public pages hold nothing of the reader's own: they refuse a POST
whose browser does not say it came from this site (gongkai.lib.origin; tests/test_portal.py)."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.lib.origin import REFUSED
from gongkai.orgs.models import User

pytestmark = pytest.mark.django_db
# A value each path converter accepts, so that every route resolves and reaches the CSRF check.
ORIGIN_CHECKED = {"/display/", "/i18n/setlang/"}
SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}


def every_path() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    paths = set()
    for route in walk(get_resolver().url_patterns):
        if route.startswith("^") or "(?P" in route:  # the admin's and the static files' regular expressions
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).strip("^$").replace("\\", "")
        path = "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)
        paths.add(path)
    return sorted(paths)


def test_every_route_refuses_a_post_without_the_csrf_token(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="admin"))
    paths = every_path()
    assert len(paths) > 150  # the whole site, not a sample

    accepted = []
    for path in paths:
        response = client.post(path, {"x": "1"})
        body = response.content.decode(errors="replace")
        refused = response.status_code == 403 and "CSRF" in body
        token_only = path.startswith("/api/") and response.status_code in (401, 403)
        origin_checked = path in ORIGIN_CHECKED and response.status_code == 403 and REFUSED in body
        if not (refused or token_only or origin_checked):
            accepted.append(f"{path}: {response.status_code}")
    assert accepted == []


def test_with_the_token_the_same_session_gets_through(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="admin"))
    client.get("/staff/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/accounts/logout/", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302 and "_auth_user_id" not in client.session
