"""A system check: the SQLite in use answers the full-text searches exactly (see gongkai/__init__.py)."""

from django.core.checks import Warning, register
from django.db import connections

# The oldest SQLite measured to answer FTS5's newest-first AND and NOT expressions exactly (3.40.1 did not).
SQLITE_MEASURED_RIGHT = (3, 51, 1)


def sqlite_warnings(version: tuple[int, int, int]) -> list[Warning]:
    if version >= SQLITE_MEASURED_RIGHT:
        return []
    found = ".".join(map(str, version))
    return [
        Warning(
            f"SQLite {found} 的全文检索在按时间倒序、含多个检索词或限定机构时可能漏检或重复 / "
            f"SQLite {found} may miss or repeat documents in newest-first full-text searches with several terms or "
            "within one organisation",
            hint="安装 pysqlite3-binary（pip install pysqlite3-binary），或使用 SQLite 3.51.1 及以上版本 / install "
            "pysqlite3-binary, or use SQLite 3.51.1 or newer",
            id="gongkai.search.W001",
        )
    ]


@register()
def check_sqlite(app_configs=None, **kwargs) -> list[Warning]:
    connection = connections["default"]
    if connection.vendor != "sqlite":
        return []
    return sqlite_warnings(connection.Database.sqlite_version_info)
