from django.http import HttpRequest
from django.utils import translation

from gongkai.portal import display
from gongkai.portal.models import SiteSettings
from gongkai.portal.navigation import main_navigation


def html_lang(language_code: str | None) -> str:
    """BCP 47 form of a Django language code for ``<html lang>``: ``zh-hans`` → ``zh-Hans``."""
    return translation.to_locale(language_code or "zh-hans").replace("_", "-")


def site(request: HttpRequest) -> dict:
    """What base.html needs on every page: the site settings, display modes, language and navigation."""
    settings = SiteSettings.current()
    modes = display.parse_modes(request.COOKIES.get(display.COOKIE_NAME))
    return {
        "site_settings": settings,  # not "site": LoginView puts a RequestSite under that name
        "display_modes": modes,
        "display_classes": display.html_classes(modes),
        "html_lang": html_lang(translation.get_language()),
        "nav_items": main_navigation(request.path, settings.credit_site_name),
    }
