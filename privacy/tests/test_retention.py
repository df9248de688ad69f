"""The retention rule: closed tickets older than HELPDESK_RETENTION_DAYS lose their
personal text, once; members with nothing left may be erased too (when asked)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from outbox.models import OutgoingMail
from privacy.models import AnonymisedTicket, Erasure, Source
from tickets import services
from tickets.models import EventKind, Status, Ticket
from tickets.tests.files import PDF, upload

from .conftest import verify_log

# What replaces the text, stored in the site's language (Turkish).
REMOVED = "Kişisel verilerin korunması amacıyla silindi."


def anonymise_closed(*args) -> str:
    out = StringIO()
    call_command("anonymise_closed", *args, stdout=out)
    return out.getvalue()


def closed(ticket, by, days_ago):
    """Resolve and close `ticket`, then date its closing `days_ago`."""
    services.resolve(ticket, by=by, explanation="Çözüldü, Ayşe Hanım.")
    services.close(ticket, by=ticket.requester)
    when = timezone.now() - timedelta(days=days_ago)
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=when)
    return ticket


@pytest.fixture
def retention(settings):
    settings.HELPDESK_RETENTION_DAYS = 365
    return settings


@pytest.fixture
def old_closed(history, responsible):
    """Ayşe's ticket, closed 400 days ago."""
    return closed(history, responsible, days_ago=400)


def test_retention_is_off_by_default(old_closed):
    before = Ticket.objects.values_list().get(pk=old_closed.pk)

    assert "Retention is off" in anonymise_closed()

    assert Ticket.objects.values_list().get(pk=old_closed.pk) == before
    assert not AnonymisedTicket.objects.exists()


def test_only_closed_tickets_older_than_the_period_are_anonymised(
    retention, old_closed, file, responsible
):
    recent = closed(file(subject="Yeni kapandı"), responsible, days_ago=10)
    resolved_long_ago = file(subject="Çözüldü ama açık")
    services.resolve(resolved_long_ago, by=responsible, explanation="Tamam.")
    open_long_ago = file(subject="Hâlâ açık")
    long_ago = timezone.now() - timedelta(days=800)
    Ticket.objects.filter(pk=resolved_long_ago.pk).update(created_at=long_ago, resolved_at=long_ago)
    Ticket.objects.filter(pk=open_long_ago.pk).update(created_at=long_ago)

    assert "Anonymised 1 ticket(s) closed more than 365 day(s) ago." in anonymise_closed()

    subjects = dict(Ticket.objects.values_list("pk", "subject"))
    assert subjects == {
        old_closed.pk: REMOVED,
        recent.pk: "Yeni kapandı",
        resolved_long_ago.pk: "Çözüldü ama açık",
        open_long_ago.pk: "Hâlâ açık",
    }
    assert list(AnonymisedTicket.objects.values_list("ticket", flat=True)) == [old_closed.pk]


def test_all_personal_text_of_the_ticket_goes(
    retention, old_closed, django_capture_on_commit_callbacks
):
    document = old_closed.attachments.get()

    with django_capture_on_commit_callbacks(execute=True):
        anonymise_closed()

    old_closed.refresh_from_db()
    assert old_closed.subject == old_closed.description == REMOVED
    assert not old_closed.events.exclude(kind=EventKind.REDACTED).exclude(note="").exists()
    document.refresh_from_db()
    assert document.redacted and document.original_name == ""
    redacted = old_closed.events.get(kind=EventKind.REDACTED)
    assert redacted.actor is None and redacted.note == "Saklama süresi doldu."  # site language
    assert not OutgoingMail.objects.filter(ticket_id=old_closed.pk).exists()
    # Who did what, and when, stays.
    assert old_closed.status == Status.CLOSED
    assert old_closed.requester.username == "ayse.yilmaz"


def test_running_it_again_changes_nothing(retention, old_closed):
    anonymise_closed()
    events = old_closed.events.count()

    assert "Anonymised 0 ticket(s)" in anonymise_closed()

    assert old_closed.events.count() == events
    assert old_closed.events.filter(kind=EventKind.REDACTED).count() == 1


def test_the_log_verifies_after_anonymising(retention, old_closed):
    anonymise_closed()

    assert "The action log of 1 ticket(s) is intact." in verify_log()


def test_a_ticket_closed_before_closing_was_dated_counts_from_its_resolution(retention, old_closed):
    Ticket.objects.filter(pk=old_closed.pk).update(
        closed_at=None, resolved_at=timezone.now() - timedelta(days=500)
    )

    assert "Anonymised 1 ticket(s)" in anonymise_closed()


def test_an_erasure_after_the_retention_rule_replaces_nothing_twice(
    retention, old_closed, supervisor
):
    from privacy import services as privacy

    anonymise_closed()

    privacy.erase(old_closed.requester, by=supervisor, redact_text=True)

    # Nothing of hers was left to redact: no second `redacted` event.
    assert old_closed.events.filter(kind=EventKind.REDACTED).count() == 1
    assert "intact" in verify_log()


# Dormant accounts: only when the operator asks for it.


@pytest.fixture
def dormant(retention, ayse, old_closed):
    """Ayşe: her one ticket anonymised, no sign-in for two years."""
    anonymise_closed()
    ayse.last_login = ayse.date_joined = timezone.now() - timedelta(days=730)
    ayse.save()
    return ayse


def test_dormant_members_are_left_alone_unless_asked(dormant):
    anonymise_closed()

    dormant.refresh_from_db()
    assert dormant.username == "ayse.yilmaz" and not Erasure.objects.exists()


def test_asked_to_it_erases_members_with_nothing_left_within_the_period(
    dormant, inegol_chamber, file
):
    old = timezone.now() - timedelta(days=730)
    recent_sign_in = UserFactory(organisation=inegol_chamber, date_joined=old)
    recent_sign_in.last_login = timezone.now() - timedelta(days=3)
    recent_sign_in.save()
    open_ticket = UserFactory(organisation=inegol_chamber, date_joined=old, last_login=old)
    file(by=open_ticket)
    staff = UserFactory(role=Role.STAFF, date_joined=old, last_login=old)

    out = anonymise_closed("--dormant-accounts")

    assert "Erased 1 dormant account(s)." in out
    erasure = Erasure.objects.get()
    assert (erasure.person, erasure.by, erasure.source) == (dormant, None, Source.RETENTION)
    dormant.refresh_from_db()
    assert dormant.is_erased
    for kept in (recent_sign_in, open_ticket, staff):
        kept.refresh_from_db()
        assert kept.is_active and not kept.is_erased
    assert "Erased 0 dormant account(s)." in anonymise_closed("--dormant-accounts")


def test_a_member_who_wrote_on_a_ticket_still_kept_is_not_dormant(dormant, file, chamber_colleague):
    services.reply(file(by=chamber_colleague), by=dormant, body="Ben de.")

    assert "Erased 0 dormant account(s)." in anonymise_closed("--dormant-accounts")


def test_a_document_uploaded_by_the_member_goes_with_the_ticket(retention, ayse, file, responsible):
    ticket = file(by=ayse)
    services.attach(ticket, by=ayse, files=[upload("ek.pdf", PDF)])
    closed(ticket, responsible, days_ago=400)

    anonymise_closed()

    assert ticket.attachments.get().redacted
