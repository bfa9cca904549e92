from django.urls import path

from gongkai.requests.views import public as views

app_name = "requests"

urlpatterns = [
    path("yishenqing/apply/", views.apply, name="apply"),
    path("yishenqing/apply/<str:code>/", views.received, name="received"),
    path("yishenqing/track/", views.track, name="track"),
    path("yishenqing/deadline/", views.deadline, name="deadline"),
    path("hudong/ask/", views.ask, name="ask"),
    path("hudong/questions/", views.questions, name="questions"),
]
