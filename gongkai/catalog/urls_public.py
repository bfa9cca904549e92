from django.urls import path

from gongkai.catalog import feeds, sitemaps
from gongkai.catalog.views import public

app_name = "catalog"

# The district-wide pages come before "gongkai/<slug>/…": they share its shape.
urlpatterns = [
    path("gongkai/catalog/", public.catalog, name="catalog"),
    path("gongkai/search/", public.search, name="search"),
    path("gongkai/feeds/<slug:code>.atom", feeds.ColumnFeed(), name="feed"),
    path("gongkai/attachment/<int:pk>/", public.attachment, name="attachment"),
    path("gongkai/attachment/<int:pk>/<str:filename>", public.attachment, name="attachment_named"),
    path("gongkai/<slug:slug>/guide/", public.guide, name="guide"),
    path("gongkai/<slug:slug>/catalog/", public.catalog, name="organization_catalog"),
    path("gongkai/<slug:slug>/column/<slug:code>/", public.column, name="column"),
    path("gongkai/<slug:slug>/doc/<int:pk>/", public.detail, name="detail"),
    path("xinyong/<slug:code>/", public.credit_column, name="credit_column"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
]
