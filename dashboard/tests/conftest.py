from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard import counts
from tickets.models import Ticket


@pytest.fixture
def aged():
    """Move a ticket's filing date `days` (and `hours`) into the past, as if filed then."""

    def move(ticket, *, days=0, hours=0):
        when = timezone.now() - timedelta(days=days, hours=hours)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=when)
        counts.fill()  # moved behind the services' back: the kept counts follow
        ticket.refresh_from_db()
        return ticket

    return move


@pytest.fixture(autouse=True)
def _fresh_figures(settings):
    """Each test reads the figures as they are now; test_cache.py turns the cache on."""
    settings.HELPDESK_DASHBOARD_CACHE_SECONDS = 0
