from django.urls import path

from gongkai.credit import views

app_name = "credit"

urlpatterns = [
    path("xinyong/shuanggongshi/", views.records, name="records"),
    path("xinyong/shuanggongshi/<str:record_type>/<int:pk>/", views.detail, name="detail"),
    path("xinyong/shuanggongshi/data/<str:record_type>.<str:fmt>", views.open_data, name="open_data"),
]
