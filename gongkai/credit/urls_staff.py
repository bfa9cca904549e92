"""The department portal of 双公示, under /staff/credit/ (namespace ``credit_staff``)."""

from django.urls import path

from gongkai.credit import views_staff

app_name = "credit_staff"

urlpatterns = [
    path("", views_staff.submission_list, name="list"),
    path("upload/", views_staff.upload, name="upload"),
    path("templates/<str:record_type>.<str:fmt>", views_staff.template_download, name="template"),
    path("release/", views_staff.release_queue, name="queue"),
    path("<int:pk>/", views_staff.submission_detail, name="detail"),
    path("<int:pk>/annotated/", views_staff.annotated_copy, name="annotated"),
    path("<int:pk>/release/", views_staff.release, name="release"),
]
