"""Statistics and dashboards per organisation and month, under /staff/statistics/ (namespace ``stats``)."""

from django.urls import path

from gongkai.reports import views_stats

app_name = "stats"

urlpatterns = [
    path("", views_stats.index, name="index"),
    path("credit/<int:year>/", views_stats.credit_overview, name="credit"),
    path("credit/<int:year>.csv", views_stats.credit_overview_csv, name="credit_csv"),
    path("<int:org>/<int:year>/", views_stats.dashboard, name="dashboard"),
    path("<int:org>/<int:year>/<str:dataset>.csv", views_stats.dataset_csv, name="csv"),
]
