"""PostgreSQL only: article search uses a trigram index, like tickets' (tickets 0002,
which made the pg_trgm extension)."""

from django.db import migrations

TRIGRAM = """
CREATE INDEX IF NOT EXISTS kb_article_search_trgm
    ON kb_article USING gin (search_text gin_trgm_ops);
"""
DROP_TRIGRAM = "DROP INDEX IF EXISTS kb_article_search_trgm;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_initial"), ("tickets", "0002_postgresql_guards_and_kinds")]

    operations = [migrations.RunPython(on_postgresql(TRIGRAM), on_postgresql(DROP_TRIGRAM))]
