from django.urls import path

from gongkai.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/import/", views.import_report, name="import"),
    path("<int:pk>/<int:year>/", views.detail, name="detail"),
    path("<int:pk>/<int:year>/prepare/", views.prepare, name="prepare"),
    path("<int:pk>/<int:year>/edit/", views.edit, name="edit"),
    path("<int:pk>/<int:year>/recount/", views.recount, name="recount"),
    path("<int:pk>/<int:year>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/<int:year>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/<int:year>/publish/", views.publish, name="publish"),
    path("<int:pk>/<int:year>/compare/", views.compare_years, name="compare"),
    path("<int:pk>/<int:year>/roll-up/", views.roll_up, name="roll_up"),
    path("<int:pk>/<int:year>/report.<str:fmt>", views.download, name="download"),
]
