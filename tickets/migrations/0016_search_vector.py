"""PostgreSQL only: a stored full-text vector of each ticket's search text, for stemmed
and ranked search (tickets/search.py), beside the trigram index that finds substrings.

The database keeps the vector from `search_text` by a trigger, so that every writer of
the text (services, redaction, merges, the bulk seeder's COPY) keeps it too. The text is
folded already (common.text), which does what `unaccent` would and more (the four
Turkish i's, Persian letters). Its first line is the subject, weighted first for ranking.

Not atomic: the backfill commits a batch at a time, so that a big table is not locked
for the whole of it; the trigger exists first, so a ticket written meanwhile is not missed.
"""

from django.db import migrations, transaction

# The configurations are PostgreSQL's own: Turkish and Russian stemming, and `simple`
# (whole words, no stop words) for every language, Persian included.
FUNCTIONS = r"""
ALTER TABLE tickets_ticket ADD COLUMN IF NOT EXISTS search_vector tsvector;

CREATE OR REPLACE FUNCTION tickets_search_words(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('turkish', body) || to_tsvector('russian', body)
        || to_tsvector('simple', body)
$$;

-- Of a long text (a pasted log, a mail of megabytes), the first 200,000 characters: a
-- vector holds at most 1 MB, and a longer one would refuse the ticket's every write.
CREATE OR REPLACE FUNCTION tickets_search_vector(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(tickets_search_words(split_part(capped, E'\n', 1)), 'A')
        || tickets_search_words(
            CASE WHEN strpos(capped, E'\n') > 0
            THEN substr(capped, strpos(capped, E'\n') + 1) ELSE '' END
        )
    FROM (SELECT left(body, 200000) AS capped) AS text
$$;

-- One folded word of a query: its stems and itself, and for a Latin word longer than
-- five letters its first five as a prefix (Turkish suffixes pile up: "belgesi" finds
-- "belge", which the Snowball stemmer leaves apart).
CREATE OR REPLACE FUNCTION tickets_search_query(word text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET client_min_messages = warning  -- a stop word is no news
AS $$
    SELECT CASE WHEN word ~ '^[a-z]{6,}$'
        THEN stems || to_tsquery('simple', left(word, 5) || ':*') ELSE stems END
    FROM (
        SELECT plainto_tsquery('turkish', word) || plainto_tsquery('russian', word)
            || plainto_tsquery('simple', word) AS stems
    ) AS parts
$$;

CREATE OR REPLACE FUNCTION tickets_ticket_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := tickets_search_vector(NEW.search_text);
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tickets_ticket_search_vector_insert ON tickets_ticket;
CREATE TRIGGER tickets_ticket_search_vector_insert
    BEFORE INSERT ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_search_vector();
DROP TRIGGER IF EXISTS tickets_ticket_search_vector_update ON tickets_ticket;
CREATE TRIGGER tickets_ticket_search_vector_update
    BEFORE UPDATE OF search_text ON tickets_ticket
    FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text)
    EXECUTE FUNCTION tickets_ticket_search_vector();
"""
DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS tickets_ticket_search_vector_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_ticket_search_vector_update ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_ticket_search_vector();
DROP FUNCTION IF EXISTS tickets_search_query(text);
DROP FUNCTION IF EXISTS tickets_search_vector(text);
DROP FUNCTION IF EXISTS tickets_search_words(text);
ALTER TABLE tickets_ticket DROP COLUMN IF EXISTS search_vector;
"""
INDEX = """
CREATE INDEX IF NOT EXISTS ticket_search_vector ON tickets_ticket USING gin (search_vector);
"""
DROP_INDEX = "DROP INDEX IF EXISTS ticket_search_vector;"
BATCH = 5000


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def build_index(apps, schema_editor):
    """The index, built without holding up filing and replies meanwhile (this migration
    runs outside a transaction); an invalid one a failed build left is built again."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT indisvalid FROM pg_index"
            " WHERE indexrelid = to_regclass('ticket_search_vector')"
        )
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("DROP INDEX CONCURRENTLY ticket_search_vector")
        cursor.execute(INDEX.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY"))


def backfill(apps, schema_editor):
    """The vector of every ticket written before the trigger, a committed batch of ids
    at a time."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM tickets_ticket")
        top = cursor.fetchone()[0]
    for start in range(0, top, BATCH):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tickets_ticket SET search_vector = tickets_search_vector(search_text)"
                " WHERE id > %s AND id <= %s AND search_vector IS NULL",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0015_category_resolved_index")]

    operations = [
        migrations.RunPython(on_postgresql(FUNCTIONS), on_postgresql(DROP_FUNCTIONS)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(build_index, on_postgresql(DROP_INDEX)),
    ]
