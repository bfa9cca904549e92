from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.catalog import query as catalog_query
from gongkai.catalog.models import Section
from gongkai.lib.origin import same_site_post
from gongkai.orgs.models import Department, Organization
from gongkai.portal import display as display_modes
from gongkai.portal.directory import organization_directory
from gongkai.portal.pagecache import cached_page
from gongkai.requests.models import Inquiry


def _with_disclosure_offices(organizations):
    """Organisations with ``disclosure_offices``: their 政府信息公开工作机构 departments (one query)."""
    return organizations.prefetch_related(
        Prefetch(
            "departments",
            queryset=Department.objects.filter(is_disclosure_office=True),
            to_attr="disclosure_offices",
        )
    )


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    directory = organization_directory(Organization.objects.active())
    return render(request, "portal/home.html", {"directory": directory})


@cached_page
def disclosure(request: HttpRequest) -> HttpResponse:
    directory = organization_directory(Organization.objects.active())
    return render(request, "portal/disclosure.html", {"directory": directory})


@cached_page
def organization(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's 政府信息公开 home: its four first-level columns with their latest items, and its office."""
    org = get_object_or_404(_with_disclosure_offices(Organization.objects.active().select_related("parent")), slug=slug)
    context = {
        "organization": org,
        "parent": org.parent if org.parent and org.parent.is_active else None,
        "affiliates": org.affiliates.active(),
        "home_columns": catalog_query.disclosure_home(org),
    }
    return render(request, "portal/organization.html", context)


def _site_of(slug: str) -> Organization:
    return get_object_or_404(_with_disclosure_offices(Organization.objects.active()), slug=slug)


def organization_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation site's 依申请公开 page: where and how to apply to it, its office and contact facts."""
    org = _site_of(slug)
    return render(request, "portal/organization_requests.html", {"organization": org})


QUESTIONS_PER_PAGE = 20


def organization_questions(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation site's 咨询 page: its published questions and answers, newest first, and the form."""
    org = _site_of(slug)
    published = Inquiry.objects.published().filter(organization=org).order_by("-published_at", "-id")
    page = Paginator(published, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/organization_questions.html", {"organization": org, "page": page})


def requests(request: HttpRequest) -> HttpResponse:
    directory = organization_directory(_with_disclosure_offices(Organization.objects.active()))
    return render(request, "portal/requests.html", {"directory": directory})


@cached_page
def credit(request: HttpRequest) -> HttpResponse:
    reporting = Organization.objects.reporting()
    columns = catalog_query.section_latest(Section.CREDIT)
    return render(request, "portal/credit.html", {"reporting": reporting, "credit_columns": columns})


def interaction(request: HttpRequest) -> HttpResponse:
    directory = organization_directory(_with_disclosure_offices(Organization.objects.active()))
    return render(request, "portal/interaction.html", {"directory": directory})


@same_site_post
@require_POST
def display(request: HttpRequest) -> HttpResponse:
    """Toggle 长辈版 (``mode=large``) or 高对比度 (``mode=contrast``), or ``reset``; then go back."""
    choice = request.POST.get("mode", "")
    current = display_modes.parse_modes(request.COOKIES.get(display_modes.COOKIE_NAME))
    try:
        modes = display_modes.apply_choice(current, choice)
    except ValueError:
        return HttpResponseBadRequest(
            f"未知的显示模式 mode={choice!r}，应为 large、contrast 或 reset。 "
            f"Unknown display mode mode={choice!r}: expected large, contrast or reset.",
            content_type="text/plain; charset=utf-8",
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("portal:home")
    response = HttpResponseRedirect(next_url)
    if modes:
        response.set_cookie(
            display_modes.COOKIE_NAME,
            display_modes.cookie_value(modes),
            max_age=display_modes.COOKIE_MAX_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(display_modes.COOKIE_NAME, samesite="Lax")
    return response


def ping(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer: the process answers, without touching the database. Also the constant
    page that bench/load measures every other page against."""
    return JsonResponse({"status": "ok"})
