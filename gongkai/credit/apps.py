from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_publicity_rules(sender, **kwargs):
    from gongkai.credit.models import PublicityRule
    from gongkai.credit.periods import seed_database

    seed_database(PublicityRule)


class CreditConfig(AppConfig):
    name = "gongkai.credit"
    verbose_name = _("信用双公示")

    def ready(self):
        # The data migration seeds the publicity rules once; `flush` (and so every transactional test) empties
        # the table and then sends post_migrate, so they are put back here, as gongkai.workdays does. A table
        # that has rows is never touched.
        post_migrate.connect(_seed_publicity_rules, sender=self, dispatch_uid="gongkai.credit.seed")
