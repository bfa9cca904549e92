from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_known_years(sender, **kwargs):
    from gongkai.workdays.models import CalendarDay, CalendarYear
    from gongkai.workdays.seed import seed_database

    seed_database(CalendarYear, CalendarDay)


class WorkdaysConfig(AppConfig):
    name = "gongkai.workdays"
    verbose_name = _("工作日历")

    def ready(self):
        # The data migration seeds 2004–2026 once; `flush` (and so every transactional test) empties the
        # tables and then sends post_migrate, so the seed years are put back here, as Django does for
        # content types and permissions. Years already present are never touched.
        post_migrate.connect(_seed_known_years, sender=self, dispatch_uid="gongkai.workdays.seed")
