"""What the mail gate keeps of a person (held messages with their raw mail, the
sender and subject in its log) goes when they are erased, and once the retention
period has passed."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from common import personal_data
from mailin.models import HeldMessage, InboundMessage

from .conftest import message


def test_an_erased_persons_held_mail_and_log_entries_go(deliver, member):
    # given oda's mail, held while their account was closed, and a stranger's
    member.is_active = False
    member.save()
    deliver(message("ODA@example.org", "Ben Ayşe", "Telefonum 0532 123 45 67"))
    deliver(message("stranger@example.net", "Soru"))

    # when
    call_command("erase_person", member.username, stdout=StringIO())

    # then
    assert list(HeldMessage.objects.values_list("sender", flat=True)) == ["stranger@example.net"]
    logged = InboundMessage.objects.values_list("sender", "subject").order_by("pk")
    assert list(logged) == [("", ""), ("stranger@example.net", "Soru")]


def test_retention_removes_old_held_mail_and_the_senders_from_the_old_log(
    deliver, settings, member
):
    settings.HELPDESK_RETENTION_DAYS = 365
    deliver(message("old@example.net", "Eski soru"))
    long_ago = timezone.now() - timedelta(days=400)
    HeldMessage.objects.update(received_at=long_ago)
    InboundMessage.objects.update(received_at=long_ago)
    deliver(message("new@example.net", "Yeni soru"))

    call_command("anonymise_closed", stdout=StringIO())

    assert list(HeldMessage.objects.values_list("sender", flat=True)) == ["new@example.net"]
    logged = InboundMessage.objects.values_list("sender", "subject").order_by("pk")
    assert list(logged) == [("", ""), ("new@example.net", "Yeni soru")]


def test_a_persons_export_holds_their_held_mail(deliver, member):
    member.is_active = False
    member.save()
    deliver(message("ODA@example.org", "Ben Ayşe", "Telefonum 0532 123 45 67"))
    deliver(message("stranger@example.net", "Soru"))

    sections = dict(personal_data.sections(member, viewer=member))

    assert [(row["subject"], row["text"]) for row in sections["held_mail"]] == [
        ("Ben Ayşe", "Telefonum 0532 123 45 67")
    ]
