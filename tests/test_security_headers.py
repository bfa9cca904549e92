"""Every response carries a Content-Security-Policy that allows no inline script or style and nothing from
elsewhere, and a Permissions-Policy; the templates hold nothing the policy would refuse (the browser tests fail
on any refusal too)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parent.parent / "gongkai"


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize(
    "path",
    ["/", "/gongkai/catalog/", "/gongkai/zdqfzhggj/", "/gongkai/search/?q=通知", "/accounts/login/", "/api/v1/schema/"],
)
def test_every_page_allows_scripts_styles_and_images_from_this_site_only(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    directives = policy(response)
    for name in ("default-src", "script-src", "style-src", "img-src", "font-src"):
        assert directives[name] == ["'self'"], name
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"] and directives["base-uri"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_staff_pages_and_the_admin_have_the_policy_too(client, demo):
    from gongkai.orgs.models import User

    client.force_login(User.objects.get(username="admin"))
    for path in [reverse("orgs:workbench"), "/admin/", "/admin/orgs/organization/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy(response)["script-src"] == ["'self'"], path


def test_a_view_that_sets_its_own_policy_keeps_it(client, settings):
    from django.http import HttpResponse

    from gongkai.lib.headers import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "sandbox"
        return response

    assert SecurityHeadersMiddleware(view)(None)["Content-Security-Policy"] == "sandbox"
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in SecurityHeadersMiddleware(lambda request: HttpResponse("x"))(None)


def test_no_template_or_chart_holds_an_inline_script_style_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)|\sstyle=\"|\son[a-z]+=\"", re.I)
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group().strip()}"
        for path in TEMPLATES.rglob("*")
        if path.suffix in {".html", ".svg"} or path.name == "svg.py"
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []
    assert "'unsafe-inline'" not in settings.CONTENT_SECURITY_POLICY
