from django.urls import path

from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("gongkai/", views.disclosure, name="disclosure"),
    path("gongkai/<slug:slug>/", views.organization, name="organization"),
    path("gongkai/<slug:slug>/yishenqing/", views.organization_requests, name="organization_requests"),
    path("gongkai/<slug:slug>/hudong/", views.organization_questions, name="organization_questions"),
    path("yishenqing/", views.requests, name="requests"),
    path("xinyong/", views.credit, name="credit"),
    path("hudong/", views.interaction, name="interaction"),
    path("display/", views.display, name="display"),
    path("ping/", views.ping, name="ping"),
]
