from django.http import HttpRequest
from django.utils import translation

from gongkai.orgs.models import Organization
from gongkai.portal import display
from gongkai.portal.models import SiteSettings
from gongkai.portal.navigation import ORGANIZATION_SITE_PAGES, main_navigation, organization_navigation


def html_lang(language_code: str | None) -> str:
    """BCP 47 form of a Django language code for ``<html lang>``: ``zh-hans`` → ``zh-Hans``."""
    return translation.to_locale(language_code or "zh-hans").replace("_", "-")


def site(request: HttpRequest) -> dict:
    """What base.html needs on every page: the site settings, display modes, language and navigation."""
    settings = SiteSettings.current()
    modes = display.parse_modes(request.COOKIES.get(display.COOKIE_NAME))
    organization = site_organization(request)
    return {
        "site_organization": organization,
        "organization_nav": organization_navigation(organization, request.path) if organization else [],
        "site_settings": settings,  # not "site": LoginView puts a RequestSite under that name
        "display_modes": modes,
        "display_classes": display.html_classes(modes),
        "html_lang": html_lang(translation.get_language()),
        "nav_items": main_navigation(request.path, settings.credit_site_name),
    }


def site_organization(request: HttpRequest) -> Organization | None:
    """The organisation whose own disclosure site this page belongs to (/gongkai/<slug>/…), if any: its name
    heads the page, its 网站标识码 is the SiteIDCode and its site menu is shown."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in ORGANIZATION_SITE_PAGES:
        return None
    return Organization.objects.active().filter(slug=match.kwargs.get("slug")).first()
