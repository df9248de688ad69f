"""PostgreSQL: after a restore, each table's id sequence must go past the restored ids.
Setting a sequence takes a right the site's role does not have (it may only draw the
next number), so this function, run with its owner's rights, does that one thing: it
moves every sequence of the public schema up to its column's highest id, never down.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION backups_catch_up_sequences() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target record;
    highest bigint;
BEGIN
    FOR target IN
        SELECT seq.oid::regclass AS sequence, tab.oid::regclass AS tab, col.attname AS col
        FROM pg_class seq
        JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass
            AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
        JOIN pg_class tab ON tab.oid = dep.refobjid
        JOIN pg_namespace ns ON ns.oid = tab.relnamespace
        JOIN pg_attribute col ON col.attrelid = tab.oid AND col.attnum = dep.refobjsubid
        WHERE seq.relkind = 'S' AND ns.nspname = 'public'
    LOOP
        EXECUTE format('SELECT max(%I) FROM %s', target.col, target.tab) INTO highest;
        IF highest > coalesce(pg_sequence_last_value(target.sequence), 0) THEN
            PERFORM setval(target.sequence, highest);
        END IF;
    END LOOP;
END;
$$;
REVOKE ALL ON FUNCTION backups_catch_up_sequences() FROM PUBLIC;
"""

DROP = "DROP FUNCTION IF EXISTS backups_catch_up_sequences();"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
