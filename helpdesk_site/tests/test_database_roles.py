"""PostgreSQL: the role the site runs as can do the site's work and nothing more to the
action log; the log's guards hold against the tables' owner too."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from common import dbroles
from tickets import services
from tickets.models import Attachment, EventKind, TicketEvent
from tickets.tests.files import png_bytes, upload

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)

ATTACKS = [
    "TRUNCATE tickets_ticketevent CASCADE",
    "TRUNCATE tickets_ticket CASCADE",
    "TRUNCATE tickets_attachment",
    "UPDATE tickets_ticketevent SET note = 'forged'",
    "DELETE FROM tickets_ticketevent",
    "UPDATE tickets_attachment SET original_name = 'forged.pdf'",
    "DELETE FROM tickets_attachment",
    "ALTER TABLE tickets_ticketevent DISABLE TRIGGER ALL",
    "ALTER TABLE tickets_ticketevent DISABLE TRIGGER USER",
    "DROP TRIGGER tickets_event_append_only ON tickets_ticketevent",
    "SET session_replication_role = replica",
    "SELECT set_config('helpdesk.redacting', 'on', true);"
    " UPDATE tickets_ticketevent SET note = '', redacted = true",
    "DELETE FROM django_migrations",
]


@pytest.fixture
def site_role(db):
    """The site's role: DATABASE_SITE_ROLE (as CI and production set it), else one made
    for this test when the test connects as a superuser (rolled back with the test)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        [superuser] = cursor.fetchone()
        role = settings.DATABASE_SITE_ROLE
        if not role:
            if not superuser:
                pytest.skip("set DATABASE_SITE_ROLE, or connect as a superuser")
            role = "helpdesk_site_test"
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")
    dbroles.grant(role)
    return role


@pytest.fixture
def as_site(site_role):
    """Run what follows as the site's role, as a production web process does."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {site_role}")
    yield site_role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def attempt(sql) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys checked now: the statement is refused for its own sake, not for
        # the test's pending checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)


@pytest.mark.parametrize("sql", ATTACKS)
def test_the_sites_role_cannot_wipe_change_or_unguard_the_log(ticket, member, as_site, sql):
    services.attach(ticket, by=member, files=[upload("scan.png", png_bytes())])
    before = list(TicketEvent.objects.values_list("pk", "note", "redacted").order_by("pk"))

    with pytest.raises(DatabaseError, match="permission denied|must be owner|append-only"):
        attempt(sql)

    after = list(TicketEvent.objects.values_list("pk", "note", "redacted").order_by("pk"))
    assert after == before
    assert Attachment.objects.get().original_name == "scan.png"


@pytest.mark.parametrize(
    "function, table",
    [("tickets_redact_event", TicketEvent), ("tickets_redact_attachment", Attachment)],
)
def test_the_redaction_functions_empty_only_what_a_redaction_names(
    ticket, member, as_site, function, table
):
    services.attach(ticket, by=member, files=[upload("scan.png", png_bytes())])
    target = table.objects.order_by("pk").last()

    with pytest.raises(DatabaseError, match="not named by a redaction"):
        attempt(f"SELECT {function}({target.pk})")

    target.refresh_from_db()
    assert not target.redacted


def test_the_sites_role_owns_nothing(site_role):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = %s",
            [site_role],
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s",
            [site_role],
        )
        assert cursor.fetchone() == (False, False, False)


def test_the_sites_role_does_the_sites_work(file, member, responsible, supervisor, as_site):
    ticket = file()
    services.mark_read(ticket, by=responsible)
    reply = services.reply(ticket, by=member, body="My phone is 0532 000 00 00").event
    services.attach(ticket, by=member, files=[upload("scan.png", png_bytes())])
    services.resolve(ticket, by=responsible, explanation="Done.")
    services.redact(ticket, by=supervisor, events=[reply])

    reply.refresh_from_db()
    assert reply.note == "" and reply.redacted
    assert list(ticket.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.READ,
        EventKind.REPLIED,
        EventKind.ATTACHED,
        EventKind.RESOLVED,
        EventKind.REDACTED,
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE tickets_ticketevent CASCADE",
        "TRUNCATE tickets_ticket CASCADE",
        "TRUNCATE tickets_attachment CASCADE",
        "UPDATE tickets_ticketevent SET note = 'forged'",
        "DELETE FROM tickets_attachment",
    ],
)
def test_the_owner_cannot_wipe_the_log_by_accident_either(ticket, member, sql):
    """The guards are triggers: they hold for the tables' owner (the migrating role)."""
    services.attach(ticket, by=member, files=[upload("scan.png", png_bytes())])

    with pytest.raises(DatabaseError, match="append-only"):
        attempt(sql)

    assert ticket.events.count() == 2
    assert Attachment.objects.get().original_name == "scan.png"


def test_the_sites_role_uses_the_shared_cache(as_site, settings):
    """The cache table is made after `migrate` (`createcachetable`): the owner's default
    privileges give the site's role its rights there too."""
    from django.core.cache import caches

    if "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("the cache is Redis here")
    cache = caches["default"]
    cache.set("role-check", 1)

    assert cache.get("role-check") == 1


def test_the_sites_role_erases_a_person_and_anonymises_a_closed_ticket(
    file, member, responsible, supervisor, as_site, settings
):
    from privacy import services as privacy

    ticket = file()
    services.reply(ticket, by=member, body="My phone is 0532 000 00 00")
    services.attach(ticket, by=member, files=[upload("scan.png", png_bytes())])
    services.resolve(ticket, by=responsible, explanation="Done.")
    services.close(ticket, by=member)

    privacy.erase(member, by=supervisor, redact_text=True)
    settings.HELPDESK_RETENTION_DAYS = 1
    anonymised = privacy.anonymise_closed(now=ticket.created_at + timedelta(days=2))

    assert anonymised == 1
    assert not TicketEvent.objects.filter(actor=member).exclude(note="").exists()
    assert Attachment.objects.get().redacted


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE privacy_erasure SET redacted_text = false",
        "DELETE FROM privacy_erasure",
        "DELETE FROM privacy_anonymisedticket",
    ],
)
def test_the_sites_role_cannot_rewrite_the_record_of_erasures(
    ticket, member, supervisor, as_site, sql
):
    from privacy import services as privacy
    from privacy.models import Erasure

    privacy.erase(member, by=supervisor, redact_text=True)

    with pytest.raises(DatabaseError, match="permission denied"):
        attempt(sql)

    assert Erasure.objects.get().redacted_text


def test_a_role_name_that_is_not_plain_is_refused(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a plain role name"):
        call_command("grant_site_role", 'site"; DROP TABLE tickets_ticket; --')
