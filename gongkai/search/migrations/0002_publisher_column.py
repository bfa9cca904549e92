# Written by hand: SQLite's full-text tables gain a publisher column (issue 10: a search within one
# organisation of a district walked the whole district's matches and filtered them afterwards).

from django.db import migrations

# The publisher's token, exactly gongkai.search.backends.sqlite.publisher_token: U+0001 (which normalised text
# never holds), then the id in base 6,400 in two characters of the private-use area U+E000–U+F8FF.
_TOKEN = "char(1, 57344 + {row}.publisher_id / 6400, 57344 + {row}.publisher_id % 6400)"
_OLD_TABLES = {
    "search_trigram": ("title, body, meta", "trigram case_sensitive 1"),
    "search_unigram": ("title, body, meta", "ascii"),
    "search_title_trigram": ("title", "trigram case_sensitive 1"),
    "search_title_unigram": ("title", "ascii"),
}
_NEW_TABLES = {table: (f"{columns}, publisher", tokenizer) for table, (columns, tokenizer) in _OLD_TABLES.items()}
_OLD_VALUES = {
    "search_trigram": "{row}.title_norm, {row}.body_norm, {row}.meta_norm",
    "search_unigram": "gongkai_unigrams({row}.title_norm), gongkai_unigrams({row}.body_norm), "
    "gongkai_unigrams({row}.meta_norm)",
    "search_title_trigram": "{row}.title_norm",
    "search_title_unigram": "gongkai_unigrams({row}.title_norm)",
}
_NEW_VALUES = {table: f"{values}, {_TOKEN}" for table, values in _OLD_VALUES.items()}


def _statements(tables, values):
    def delete(row):
        return "".join(
            f"INSERT INTO {table}({table}, rowid, {tables[table][0]}) "
            f"VALUES ('delete', {row}.rank, {value.format(row=row)});\n"
            for table, value in values.items()
        )

    def insert(row):
        return "".join(
            f"INSERT INTO {table}(rowid, {tables[table][0]}) VALUES ({row}.rank, {value.format(row=row)});\n"
            for table, value in values.items()
        )

    return [
        "DROP TRIGGER IF EXISTS search_document_changed",
        "DROP TRIGGER IF EXISTS search_document_deleted",
        *(f"DROP TABLE IF EXISTS {table}" for table in tables),
        *(
            f"CREATE VIRTUAL TABLE {table} USING fts5({columns}, content='', tokenize='{tokenizer}')"
            for table, (columns, tokenizer) in tables.items()
        ),
        f"CREATE TRIGGER search_document_deleted AFTER DELETE ON search_document BEGIN\n{delete('old')}END",
        "CREATE TRIGGER search_document_changed AFTER UPDATE ON search_document BEGIN\n"
        f"{delete('old')}{insert('new')}END",
        # The index again, from the documents (gongkai_unigrams() is registered on Django's connections).
        *(
            f"INSERT INTO {table}(rowid, {tables[table][0]}) "
            f"SELECT d.rank, {value.format(row='d')} FROM search_document d"
            for table, value in values.items()
        ),
    ]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(_run(_statements(_NEW_TABLES, _NEW_VALUES)), _run(_statements(_OLD_TABLES, _OLD_VALUES))),
    ]
