from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpstreamConfig(AppConfig):
    name = "gongkai.upstream"
    verbose_name = _("上级平台报送")
