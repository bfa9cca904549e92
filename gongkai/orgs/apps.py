from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from gongkai.orgs.services import sync_roles

    sync_roles()


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    verbose_name = _("机构与人员")

    def ready(self):
        # Groups need the permissions, which Django creates after migrating; this is set-up, not control flow.
        post_migrate.connect(_sync_roles, dispatch_uid="gongkai.orgs.sync_roles")
