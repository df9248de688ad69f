"""E-mail notices about tickets: who is told what, in their language. The rows go to
the outbox in the change's transaction and are sent after the commit (outbox/).

Topics (what a user may choose to receive, `User.wants_mail`): "filed", "answered",
"info_requested", "resolved" for the requester; "team" for a category's team;
"assigned" for the assignee.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from outbox import services as outbox
from outbox.models import OutgoingMail

from . import customvalues, facts
from .models import EventKind


def _headline(ticket, kind) -> str:
    values = {"id": ticket.pk, "subject": ticket.subject, "category": ticket.category}
    headlines = {
        EventKind.CREATED: _("Ticket #%(id)s was filed: %(subject)s"),
        EventKind.REPLIED: _("New reply on ticket #%(id)s: %(subject)s"),
        EventKind.INFO_REQUESTED: _("Information is requested on ticket #%(id)s: %(subject)s"),
        EventKind.RESOLVED: _("Ticket #%(id)s was resolved: %(subject)s"),
        EventKind.REDIRECTED: _("Ticket #%(id)s was redirected to %(category)s: %(subject)s"),
        EventKind.REOPENED: _("Ticket #%(id)s was reopened: %(subject)s"),
        EventKind.ASSIGNED: _("Ticket #%(id)s was assigned to you: %(subject)s"),
    }
    # A mail header is one line, whatever the subject holds.
    return " ".join((headlines[kind] % values).split())


def queue(ticket, event, recipients: dict) -> None:
    """Write a notice of `event` for each recipient; `recipients` maps user → topic.

    Internal events are never mailed; the actor is mailed about their own act only to
    confirm a ticket they filed.
    """
    if event.internal:
        return
    facts.describe([event])  # shown in each recipient's language below
    fields = customvalues.definitions([ticket.category_id]) if ticket.custom else {}
    rows = []
    seen = set()
    for user, topic in recipients.items():
        if user is None or user.pk in seen:
            continue
        if user.pk == event.actor_id and topic != "filed":
            continue
        seen.add(user.pk)
        if not user.wants_mail(topic):
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "ticket": ticket,
                "event": event,
                "headline": _headline(ticket, event.kind),
                "url": settings.SITE_URL.rstrip("/") + ticket.get_absolute_url(),
                "recipient": user,
                "fields": customvalues.shown(ticket, fields.get(ticket.category_id, []))
                if event.kind == EventKind.CREATED
                else [],
            }
            rows.append(
                OutgoingMail(
                    ticket_id=ticket.pk,
                    topic=topic,
                    to=user.email,
                    subject=context["headline"][:255],
                    text=render_to_string("tickets/email/notice.txt", context),
                    html=render_to_string("tickets/email/notice.html", context),
                )
            )
    outbox.enqueue_many(rows)
