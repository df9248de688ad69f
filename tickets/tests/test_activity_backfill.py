"""Migration 0010 fills each existing ticket's last activity from its log."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from tickets import services
from tickets.models import ActivitySide, Ticket

migration = importlib.import_module("tickets.migrations.0013_worklist_activity_seen_saved")


def test_the_backfill_takes_the_last_public_event_and_its_side(
    file, member, responsible, supervisor
):
    answered = file(subject="answered")
    services.reply(answered, by=responsible, body="Done?")
    services.reply(answered, by=responsible, body="Between us.", internal=True)
    services.mark_read(answered, by=supervisor)
    asked = file(subject="asked")
    services.reply(asked, by=responsible, body="Which year?")
    services.reply(asked, by=member, body="2025.")
    replied_at = answered.events.get(note="Done?").created_at
    asked_at = asked.events.get(note="2025.").created_at
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Ticket.objects.update(last_activity_at=long_ago, last_activity_side="")

    migration.backfill_activity(apps, None)

    answered.refresh_from_db()
    asked.refresh_from_db()
    assert (answered.last_activity_at, answered.last_activity_side) == (
        replied_at,
        ActivitySide.HANDLER,
    )
    assert (asked.last_activity_at, asked.last_activity_side) == (asked_at, ActivitySide.REQUESTER)
