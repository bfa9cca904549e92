from django.contrib import admin

from gongkai.admin_site import ReadOnlyAdmin
from gongkai.review.models import Finding


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    """The review record, read only: findings change through the staff screens, which write the audit log."""

    list_display = (
        "publication",
        "kind",
        "field",
        "attachment_name",
        "masked",
        "resolution",
        "resolved_by",
        "found_at",
    )
    list_filter = ("resolution", "kind", "stage")
    search_fields = ("publication__title", "publication__index_no")
    list_select_related = ("publication", "resolved_by")
