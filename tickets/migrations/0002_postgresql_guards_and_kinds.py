"""PostgreSQL only: the action log refuses UPDATE and DELETE even from raw SQL, and
search uses a trigram index. Both kinds of ticket exist from the start."""

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION tickets_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tickets_ticketevent is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER tickets_event_append_only
    BEFORE UPDATE OR DELETE ON tickets_ticketevent
    FOR EACH ROW EXECUTE FUNCTION tickets_event_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS tickets_event_append_only ON tickets_ticketevent;
DROP FUNCTION IF EXISTS tickets_event_append_only();
"""
TRIGRAM = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS ticket_search_trgm
    ON tickets_ticket USING gin (search_text gin_trgm_ops);
"""
DROP_TRIGRAM = "DROP INDEX IF EXISTS ticket_search_trgm;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def create_kinds(apps, schema_editor):
    TicketKind = apps.get_model("tickets", "TicketKind")
    for code, name in [("problem", "Problem"), ("suggestion", "Suggestion")]:
        TicketKind.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [
        migrations.RunPython(on_postgresql(APPEND_ONLY), on_postgresql(DROP_APPEND_ONLY)),
        migrations.RunPython(on_postgresql(TRIGRAM), on_postgresql(DROP_TRIGRAM)),
        migrations.RunPython(create_kinds, migrations.RunPython.noop),
    ]
