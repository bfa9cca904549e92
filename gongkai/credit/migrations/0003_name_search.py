"""The name index of public records (see gongkai.credit.search): FTS5 trigram tables on SQLite, pg_trgm on
PostgreSQL. Written by hand: Django has no operation for either."""

from django.db import migrations

TABLES = ("credit_licence", "credit_penalty")


def rank_sql(alias: str = "t") -> str:
    """As `gongkai.credit.search.rank_sql` was when this migration was written."""
    return f"(((CAST(julianday({alias}.decision_date) AS INTEGER) - 2440587) << 32) | {alias}.id)"


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in TABLES:
                cursor.execute(f"CREATE VIRTUAL TABLE {table}_names USING fts5(name, tokenize='trigram')")
                cursor.execute(
                    f"INSERT INTO {table}_names (rowid, name) SELECT {rank_sql()}, t.name_norm FROM {table} t "
                    "WHERE t.is_public"
                )
                # Whoever deletes a record (a flush, a cascade) takes its name out of the index too.
                cursor.execute(
                    f"CREATE TRIGGER {table}_unindex AFTER DELETE ON {table} WHEN old.is_public BEGIN "
                    f"DELETE FROM {table}_names WHERE rowid = {rank_sql('old')}; END"
                )
        elif connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for table in TABLES:
                cursor.execute(f"CREATE INDEX {table}_name_trgm ON {table} USING gin (name_norm gin_trgm_ops)")


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_unindex")
                cursor.execute(f"DROP TABLE IF EXISTS {table}_names")
            elif connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {table}_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_overrides_and_release")]

    operations = [migrations.RunPython(create, drop)]
