from django.urls import path

from gongkai.credit import views, views_repairs

app_name = "credit"

urlpatterns = [
    path("xinyong/shuanggongshi/", views.records, name="records"),
    path("xinyong/shuanggongshi/<str:record_type>/<int:pk>/", views.detail, name="detail"),
    path("xinyong/shuanggongshi/data/<str:record_type>.<str:fmt>", views.open_data, name="open_data"),
    path("xinyong/xiufu/", views_repairs.apply, name="repair_apply"),
    path("xinyong/xiufu/track/", views_repairs.track, name="repair_track"),
    path("xinyong/xiufu/track/materials/", views_repairs.add_materials, name="repair_materials"),
    path("xinyong/xiufu/<str:code>/", views_repairs.received, name="repair_received"),
]
