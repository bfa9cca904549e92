from collections.abc import Iterable

from django.db import transaction

from gongkai import audit
from gongkai.portal.models import SiteSettings


@transaction.atomic
def save_site_settings(site: SiteSettings, *, by, changed_fields: Iterable[str]) -> None:
    """Save the site settings (row 1) and record which fields changed, with their new values."""
    site.save()
    changes = {}
    for name in changed_fields:
        value = getattr(site, name)
        changes[name] = None if value is None else str(value)
    audit.record(
        by,
        "site.settings_changed",
        obj=site,
        organization=site.host,
        summary="修改站点设置：" + ("、".join(changes) or "无变化"),
        changes=changes,
    )
