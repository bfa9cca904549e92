from django.urls import path

from gongkai.upstream import views

app_name = "upstream"

urlpatterns = [
    path("", views.status, name="status"),
    path("<slug:code>/", views.problems, name="problems"),
    path("<slug:code>/unqueued/", views.queue_unqueued, name="queue_unqueued"),
    path("records/<str:record_type>/<int:record_id>/", views.record_history, name="record"),
]
