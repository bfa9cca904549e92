"""``/sitemap.xml``: an index of the site's pages, its organisations' pages and every published publication.

Served with django.contrib.sitemaps' views and this app's own templates (the app need not be installed).
Publications are listed 10,000 to a page; a withdrawn one is no longer listed.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from gongkai.catalog import query
from gongkai.catalog.models import Column, Section
from gongkai.orgs.models import Organization


class SitePages(Sitemap):
    """The site-wide pages: home, 政府信息公开, the catalogue, 依申请公开, the credit site and its columns."""

    def items(self) -> list[str]:
        pages = [
            reverse("portal:home"),
            reverse("portal:disclosure"),
            reverse("catalog:catalog"),
            reverse("portal:requests"),
            reverse("portal:credit"),
            reverse("portal:interaction"),
        ]
        pages += [
            reverse("catalog:credit_column", args=[column.code]) for column in Column.objects.roots(Section.CREDIT)
        ]
        return pages

    def location(self, item: str) -> str:
        return item


class OrganizationPages(Sitemap):
    """Each organisation's 政府信息公开 home, guide, catalogue and column pages."""

    def items(self) -> list[str]:
        codes = list(Column.objects.active().filter(section=Section.DISCLOSURE).values_list("code", flat=True))
        pages = []
        for slug in Organization.objects.active().values_list("slug", flat=True):
            pages += [
                reverse("portal:organization", args=[slug]),
                reverse("catalog:guide", args=[slug]),
                reverse("catalog:organization_catalog", args=[slug]),
            ]
            pages += [reverse("catalog:column", args=[slug, code]) for code in codes]
        return pages

    def location(self, item: str) -> str:
        return item


class Publications(Sitemap):
    limit = 10_000

    def items(self):
        return query.public_publications().order_by("id").values_list("id", "publisher__slug", "updated_at")

    def location(self, item) -> str:
        pk, slug, _updated_at = item
        return reverse("catalog:detail", args=[slug, pk])

    def lastmod(self, item):
        return item[2]

    def get_latest_lastmod(self):
        # The default walks every item in Python; one aggregate does the same.
        return query.public_publications().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"pages": SitePages, "organizations": OrganizationPages, "publications": Publications}


def index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(
        request,
        SITEMAPS,
        template_name="catalog/public/sitemap_index.xml",
        sitemap_url_name="catalog:sitemap_section",
    )


def section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name="catalog/public/sitemap.xml")
