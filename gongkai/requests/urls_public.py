from django.urls import path

from gongkai.requests import views

app_name = "requests"

urlpatterns = [
    path("yishenqing/deadline/", views.deadline, name="deadline"),
]
