"""The weekly summary mailed to the supervisors who asked for it (SummarySubscription):
the week's filed and resolved tickets and what is open, in each one's language. Run by
the periodic job `weekly_summary` (jobs/table.py) or `manage.py send_weekly_summary`;
each subscriber gets one mail a week however often it runs."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outbox import services as outbox
from tickets.models import Status, Ticket

from . import counts, figures
from .models import SummarySubscription


def week_start(now=None):
    today = timezone.localdate(now or timezone.now())
    return today - timedelta(days=today.weekday())


def facts(now=None) -> dict:
    """What the summary says, over every ticket (subscribers are supervisors)."""
    monday = week_start(now)
    end = timezone.make_aware(datetime.combine(monday, datetime.min.time()))
    start = end - timedelta(days=7)
    tickets = Ticket.objects.all()
    return {
        "start": start,
        "end": end,
        "filed": tickets.filter(created_at__gte=start, created_at__lt=end).count(),
        "resolved": tickets.filter(resolved_at__gte=start, resolved_at__lt=end).count(),
        "open": counts.open_by_status(None),
        "oldest": figures.oldest_open(tickets)[:5],
    }


def send_weekly(now=None) -> int:
    """Queue this week's summary for each subscriber not yet sent it; returns how many."""
    monday = week_start(now)
    due = SummarySubscription.objects.select_related("user").exclude(last_week=monday)
    sent = 0
    found = None
    for subscription in due:
        user = subscription.user
        if not user.is_supervisor or not user.email:
            continue
        found = found or facts(now)
        with transaction.atomic():
            locked = SummarySubscription.objects.select_for_update().get(pk=subscription.pk)
            if locked.last_week == monday:
                continue  # another run got here first
            with translation.override(user.language or settings.LANGUAGE_CODE):
                statuses = dict(Status.choices)
                context = {
                    **found,
                    "open": [(statuses[code], n) for code, n in found["open"]],
                    "url": settings.SITE_URL.rstrip("/") + reverse("dashboard:index"),
                    "site": settings.SITE_URL.rstrip("/"),
                }
                outbox.enqueue(
                    to=user.email,
                    subject=_("Weekly helpdesk summary"),
                    text=render_to_string("dashboard/email/summary.txt", context),
                    topic="summary",
                )
            locked.last_week = monday
            locked.save(update_fields=["last_week"])
            sent += 1
    return sent
