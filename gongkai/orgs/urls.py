from django.urls import path

from gongkai.orgs import views

app_name = "orgs"

urlpatterns = [
    path("staff/", views.workbench, name="workbench"),
]
