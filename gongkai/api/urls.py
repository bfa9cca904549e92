from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from gongkai.api import credit as credit_views
from gongkai.api import requests as request_views
from gongkai.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("organizations/", views.OrganizationList.as_view(), name="organizations"),
    path("publications/", views.publication_list, name="publications"),
    path("publications/<int:id>/", views.publication_detail, name="publication"),
    path("workdays/add/", views.working_days_add, name="working-days-add"),
    path("credit/licences/", credit_views.licences, name="credit-licences"),
    path("credit/penalties/", credit_views.penalties, name="credit-penalties"),
    path("credit/submissions/", credit_views.submissions, name="credit-submissions"),
    path("requests/", request_views.request_create, name="requests"),
    path("requests/<str:tracking_code>/", request_views.request_status, name="request"),
]
