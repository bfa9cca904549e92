"""The staff screens of the catalogue, under /staff/ (namespace ``catalog_staff``)."""

from django.urls import path

from gongkai.catalog.views import staff
from gongkai.review import views as review

app_name = "catalog_staff"

urlpatterns = [
    path("publications/", staff.publication_list, name="list"),
    path("publications/new/", staff.publication_new, name="new"),
    path("publications/<int:pk>/", staff.publication_detail, name="detail"),
    path("publications/<int:pk>/edit/", staff.publication_edit, name="edit"),
    path("publications/<int:pk>/attachments/", staff.attachment_add, name="attachment_add"),
    path(
        "publications/<int:pk>/attachments/<int:attachment_pk>/",
        staff.attachment_download,
        name="attachment",
    ),
    path(
        "publications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        staff.attachment_remove,
        name="attachment_remove",
    ),
    path("publications/<int:pk>/submit/", staff.submit, name="submit"),
    path("publications/<int:pk>/approve/", staff.approve, name="approve"),
    path("publications/<int:pk>/return/", staff.return_for_changes, name="return"),
    path("publications/<int:pk>/publish/", staff.publish, name="publish"),
    path("publications/<int:pk>/schedule/", staff.schedule, name="schedule"),
    path("publications/<int:pk>/cancel-schedule/", staff.cancel_schedule, name="cancel_schedule"),
    path("publications/<int:pk>/withdraw/", staff.withdraw, name="withdraw"),
    path("publications/<int:pk>/validity/", staff.set_validity, name="validity"),
    path("publications/<int:pk>/findings/<int:finding_pk>/mask/", review.mask, name="finding_mask"),
    path("publications/<int:pk>/findings/<int:finding_pk>/dismiss/", review.dismiss, name="finding_dismiss"),
    path(
        "publications/<int:pk>/attachments/<int:attachment_pk>/redacted/",
        review.upload_redacted,
        name="attachment_redacted",
    ),
    path("review/", staff.review_queue, name="review"),
    path("uninterpreted/", staff.uninterpreted, name="uninterpreted"),
]
