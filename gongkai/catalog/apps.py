from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_reference_data(sender, **kwargs):
    from gongkai.catalog.models import Column, Genre, Topic
    from gongkai.catalog.seed import seed

    seed(Column, Topic, Genre)


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    verbose_name = _("政府信息公开目录")

    def ready(self):
        # Reference data comes back after `flush`, as in gongkai.workdays (see there).
        post_migrate.connect(_seed_reference_data, sender=self, dispatch_uid="gongkai.catalog.seed")
