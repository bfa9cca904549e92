from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection ``gongkai_unigrams()``, which the index's delete trigger calls.

    Registering a function is all this does: the search index is written by the services, not here.
    """
    if connection.vendor == "sqlite":
        from gongkai.search.backends.sqlite import unigram_stream

        connection.connection.create_function("gongkai_unigrams", 1, unigram_stream, deterministic=True)


class SearchConfig(AppConfig):
    name = "gongkai.search"
    verbose_name = _("全文检索")

    def ready(self) -> None:
        from gongkai.search import checks  # noqa: F401 - registers the SQLite version check
        connection_created.connect(register_sqlite_functions, dispatch_uid="gongkai.search.sqlite_functions")
