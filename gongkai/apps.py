from django.apps import AppConfig


class GongkaiConfig(AppConfig):
    """The project itself: commands that span every app (serve, demo)."""

    name = "gongkai"
    verbose_name = "Gongkai"
