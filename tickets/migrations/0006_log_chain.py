"""The action log's hash chain, and guards that hold against the database's own users.

Every event gets its note's digest and its place in its ticket's chain (existing
events are chained in the order they were written). On PostgreSQL the log and its
documents refuse TRUNCATE, UPDATE and DELETE by triggers, which bind the owner too
(though the owner, unlike the site's role, could drop them: the hash chain shows what
it did then). The one change allowed is a redaction through the two SECURITY DEFINER
functions below, which the site's role may call (`grant_site_role`) and which only
ever empty a note or a document's name that a `redacted` event names.
"""

import django.utils.timezone
from django.db import migrations, models

from tickets import logchain

GUARDS = """
CREATE OR REPLACE FUNCTION tickets_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- The one column a redaction may empty, per table.
    text_column text := CASE TG_TABLE_NAME
        WHEN 'tickets_ticketevent' THEN 'note'
        WHEN 'tickets_attachment' THEN 'original_name'
    END;
BEGIN
    -- A redaction (only through the functions below) empties that column and sets the
    -- flag; nothing else may change.
    IF TG_OP = 'UPDATE' AND text_column IS NOT NULL
       AND current_setting('helpdesk.redacting', true) = 'on'
       AND to_jsonb(NEW) ->> text_column = ''
       AND (to_jsonb(NEW) ->> 'redacted')::boolean
       AND (to_jsonb(NEW) - text_column - 'redacted') = (to_jsonb(OLD) - text_column - 'redacted')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;

DROP TRIGGER IF EXISTS tickets_event_append_only ON tickets_ticketevent;
DROP FUNCTION IF EXISTS tickets_event_append_only();

CREATE TRIGGER tickets_event_append_only
    BEFORE UPDATE OR DELETE ON tickets_ticketevent
    FOR EACH ROW EXECUTE FUNCTION tickets_log_append_only();
CREATE TRIGGER tickets_event_no_truncate
    BEFORE TRUNCATE ON tickets_ticketevent
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_log_append_only();
CREATE TRIGGER tickets_attachment_append_only
    BEFORE UPDATE OR DELETE ON tickets_attachment
    FOR EACH ROW EXECUTE FUNCTION tickets_log_append_only();
CREATE TRIGGER tickets_attachment_no_truncate
    BEFORE TRUNCATE ON tickets_attachment
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_log_append_only();

-- Each empties only what a `redacted` event of the same ticket names (services.redact
-- logs that event first). pg_temp last: no temporary table can stand in for ours.
CREATE OR REPLACE FUNCTION tickets_redact_event(event_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM public.tickets_ticketevent target
        JOIN public.tickets_ticketevent redaction ON redaction.ticket_id = target.ticket_id
        WHERE target.id = event_id AND redaction.kind = 'redacted'
          AND redaction.data -> 'events' @> to_jsonb(event_id)
    ) THEN
        RAISE EXCEPTION 'event % is not named by a redaction of its ticket', event_id;
    END IF;
    PERFORM set_config('helpdesk.redacting', 'on', true);
    UPDATE public.tickets_ticketevent SET note = '', redacted = true WHERE id = event_id;
    PERFORM set_config('helpdesk.redacting', 'off', true);
END;
$$;
CREATE OR REPLACE FUNCTION tickets_redact_attachment(attachment_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM public.tickets_attachment target
        JOIN public.tickets_ticketevent redaction ON redaction.ticket_id = target.ticket_id
        WHERE target.id = attachment_id AND redaction.kind = 'redacted'
          AND redaction.data -> 'attachments' @> to_jsonb(attachment_id)
    ) THEN
        RAISE EXCEPTION 'document % is not named by a redaction of its ticket', attachment_id;
    END IF;
    PERFORM set_config('helpdesk.redacting', 'on', true);
    UPDATE public.tickets_attachment SET original_name = '', redacted = true
        WHERE id = attachment_id;
    PERFORM set_config('helpdesk.redacting', 'off', true);
END;
$$;
REVOKE ALL ON FUNCTION tickets_redact_event(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION tickets_redact_attachment(bigint) FROM PUBLIC;
"""

UNDO_GUARDS = """
DROP TRIGGER IF EXISTS tickets_event_no_truncate ON tickets_ticketevent;
DROP TRIGGER IF EXISTS tickets_attachment_append_only ON tickets_attachment;
DROP TRIGGER IF EXISTS tickets_attachment_no_truncate ON tickets_attachment;
DROP FUNCTION IF EXISTS tickets_redact_event(bigint);
DROP FUNCTION IF EXISTS tickets_redact_attachment(bigint);
DROP TRIGGER IF EXISTS tickets_event_append_only ON tickets_ticketevent;
DROP FUNCTION IF EXISTS tickets_log_append_only();
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


def chain_existing_events(apps, schema_editor):
    """Chain each ticket's events in the order they were written."""
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    Ticket = apps.get_model("tickets", "Ticket")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:  # the row trigger of 0002 refuses updates, ours included
        schema_editor.execute("ALTER TABLE tickets_ticketevent DISABLE TRIGGER USER")
    ticket_id, previous = None, logchain.GENESIS
    for event in TicketEvent.objects.order_by("ticket_id", "id").iterator(chunk_size=2000):
        if event.ticket_id != ticket_id:
            if ticket_id is not None:
                Ticket.objects.filter(pk=ticket_id).update(
                    log_seal=logchain.head_seal(ticket_id, previous)
                )
            ticket_id, previous = event.ticket_id, logchain.GENESIS
        logchain.seal(event, previous)
        TicketEvent.objects.filter(pk=event.pk).update(
            note_digest=event.note_digest, previous_hash=event.previous_hash, hash=event.hash
        )
        previous = event.hash
    if ticket_id is not None:
        Ticket.objects.filter(pk=ticket_id).update(log_seal=logchain.head_seal(ticket_id, previous))
    if postgresql:
        schema_editor.execute("ALTER TABLE tickets_ticketevent ENABLE TRIGGER USER")
        # Foreign keys are checked now, not at the commit: the table is altered next.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_outgoingmail_to_outbox")]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="log_seal",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="ticketevent",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="date"
            ),
        ),
        migrations.AddField(
            model_name="ticketevent",
            name="note_digest",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="ticketevent",
            name="previous_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="ticketevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="ticketevent",
            name="redacted",
            field=models.BooleanField(default=False, editable=False, verbose_name="redacted"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="redacted",
            field=models.BooleanField(default=False, editable=False, verbose_name="redacted"),
        ),
        migrations.AlterField(
            model_name="ticketevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("read", "Read"),
                    ("replied", "Replied"),
                    ("note", "Internal note"),
                    ("attached", "Document uploaded"),
                    ("priority_changed", "Priority changed"),
                    ("redirected", "Category redirected"),
                    ("assigned", "Assigned"),
                    ("info_requested", "Information requested"),
                    ("resolved", "Resolved"),
                    ("reopened", "Reopened"),
                    ("closed", "Closed"),
                    ("redacted", "Redacted"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="ticketevent",
            constraint=models.UniqueConstraint(
                fields=("ticket", "previous_hash"), name="event_chain_link"
            ),
        ),
        migrations.RunPython(on_postgresql(GUARDS), on_postgresql(UNDO_GUARDS)),
    ]
