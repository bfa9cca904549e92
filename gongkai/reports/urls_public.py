"""The district's list of annual reports, at /gongkai/reports/ (namespace ``reports_public``): a district-wide page
of the /gongkai/<slug>/ shape, so "reports" is a reserved slug and these come before the portal's URLs."""

from django.urls import path

from gongkai.reports import views_public

app_name = "reports_public"

urlpatterns = [
    path("gongkai/reports/", views_public.district_reports, name="district"),
]
