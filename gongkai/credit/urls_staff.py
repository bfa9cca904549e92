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
    path("repairs/", views_staff.repair_list, name="repairs"),
    path("repairs/<int:pk>/", views_staff.repair_detail, name="repair"),
    path("repairs/<int:pk>/files/<int:file_pk>/", views_staff.repair_file, name="repair_file"),
    path("repairs/<int:pk>/<str:step>/", views_staff.repair_step, name="repair_step"),
    path("penalties/", views_staff.penalty_search, name="penalties"),
    path("penalties/<int:pk>/", views_staff.penalty_detail, name="penalty"),
    path("penalties/<int:pk>/severity/", views_staff.penalty_severity, name="penalty_severity"),
]
