"""Migration 0003 fills the first response of tickets answered before it was kept."""

import importlib

from django.apps import apps

from tickets import services
from tickets.models import Ticket

migration = importlib.import_module("sla.migrations.0003_first_responses")


def test_the_backfill_takes_the_first_answer_from_outside_the_requesters_organisation(
    file, member, chamber_colleague, responsible
):
    # given: a colleague's reply and a note, then the handler's answer and a resolution;
    # a second ticket resolved without a reply; a third never answered
    asked = file(subject="asked")
    services.reply(asked, by=chamber_colleague, body="Bir şey daha.")
    services.reply(asked, by=responsible, body="Arasında.", internal=True)
    services.request_info(asked, by=responsible, body="Hangi yıl?")
    services.reply(asked, by=member, body="2025.")
    services.resolve(asked, by=responsible, explanation="Tamam.")
    resolved = file(subject="resolved")
    services.resolve(resolved, by=responsible, explanation="Çözüldü.")
    silent = file(subject="silent")
    first = {
        asked.pk: asked.events.get(kind="info_requested").created_at,
        resolved.pk: resolved.events.get(kind="resolved").created_at,
        silent.pk: None,
    }
    Ticket.objects.update(first_responded_at=None)
    # when
    migration.fill_first_responses(apps, None)
    # then
    assert dict(Ticket.objects.values_list("pk", "first_responded_at")) == first
