"""`gongkai demo`: the demo district, loaded idempotently. Later capabilities add their loaders here."""

from django.db import transaction

from gongkai.catalog.demo import load_publications
from gongkai.credit.demo import load_credit
from gongkai.district_demo import load_district_sites
from gongkai.orgs import demo as orgs_demo
from gongkai.orgs.models import Organization
from gongkai.portal.models import SiteSettings
from gongkai.reports.demo import load_reports
from gongkai.requests.demo import load_requests
from gongkai.upstream.demo import load_pushes


def configure_site() -> list[str]:
    site = SiteSettings.current()
    if site.host_id is not None:
        return []
    site.host = Organization.objects.get(uscc=orgs_demo.BUREAU_USCC)
    site.name = site.name or "张店区发展和改革局"
    site.domain = site.domain or "fgj.zhangdian.gov.cn"
    site.save()
    return ["site settings"]


@transaction.atomic
def load_district() -> list[str]:
    """The organisations, their people and the site settings."""
    return orgs_demo.load_organizations() + configure_site()


def load() -> list[str]:
    """Load every part of the demo. Returns what was created (empty when it was all there). The pushes to the
    fake upstream come after the records are committed, as the worker's would."""
    with transaction.atomic():
        created = load_district() + load_publications() + load_requests() + load_credit() + load_reports()
        created += load_district_sites()
    return created + load_pushes()
