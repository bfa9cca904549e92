"""Gongkai (公开): government information disclosure and credit double publicity for a whole district.

SQLite: where the ``pysqlite3-binary`` wheel is installed (Linux on x86-64, see pyproject.toml), Gongkai — Django,
and every ``import sqlite3`` after this package — uses its SQLite (3.51) instead of the one Python was built with.
Measured on 500,000 documents (docs/benchmarks.md): SQLite 3.40.1, Debian 12's, answers FTS5 expressions with AND or
NOT newest first (``ORDER BY rowid DESC``, how every search page is read) with documents missing or repeated — 6 of
an organisation's 6,027 matches missing — where 3.51.1 answers exactly. `gongkai.search.checks` warns when the
SQLite in use is older.
"""

import sys

try:
    import pysqlite3.dbapi2
except ImportError:  # another platform: the SQLite Python was built with
    pass
else:
    sys.modules["sqlite3"] = pysqlite3
    sys.modules["sqlite3.dbapi2"] = pysqlite3.dbapi2

__version__ = "0.1.0"
