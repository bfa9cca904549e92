from django.urls import path

from gongkai.requests.views import staff

app_name = "requests_staff"

urlpatterns = [
    path("", staff.request_list, name="list"),
    path("new/", staff.request_new, name="new"),
    path("inquiries/", staff.inquiry_list, name="inquiries"),
    path("inquiries/<int:pk>/", staff.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/publish/", staff.inquiry_publish, name="inquiry_publish"),
    path("<int:pk>/", staff.request_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", staff.attachment_download, name="attachment"),
    path("<int:pk>/letter/", staff.letter_edit, name="letter_edit"),
    path("<int:pk>/letter/issue/", staff.letter_issue, name="letter_issue"),
    path("<int:pk>/letter/download/", staff.letter_download, name="letter_download"),
    path("<int:pk>/<slug:step>/", staff.request_step, name="step"),
]
