# Written by hand: on PostgreSQL, the n-gram arrays gain the publisher's code and the documents an index in
# publisher and rank order (issue 10: a search within one organisation found the whole district's matches in
# the GIN index first, and walked the district's documents newest first to fill a page).

from django.db import migrations

# The code is gongkai.search.backends.postgresql.publisher_code: minus the publisher's id.
_FORWARDS = [
    "UPDATE search_document SET grams = array_append(grams, -publisher_id), "
    "title_grams = array_append(title_grams, -publisher_id)",
    "CREATE INDEX search_document_publisher_rank ON search_document (publisher_id, rank DESC)",
    "ANALYZE search_document",
]
_BACKWARDS = [
    "DROP INDEX IF EXISTS search_document_publisher_rank",
    "UPDATE search_document SET grams = array_remove(grams, -publisher_id), "
    "title_grams = array_remove(title_grams, -publisher_id)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_publisher_column")]

    operations = [migrations.RunPython(_run(_FORWARDS), _run(_BACKWARDS))]
