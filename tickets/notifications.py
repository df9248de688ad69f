"""E-mail notices about tickets: who is told what, in their language. The rows go to
the outbox in the change's transaction and are sent after the commit (outbox/).

Topics (what a user may choose to receive, `User.wants_mail`): "filed", "answered",
"info_requested", "resolved" for the requester; "team" for a category's team;
"assigned" for the assignee; "following" for the followers of a ticket (on its public
changes); "mentioned" for a handler named as `@username` in an internal note.
"""

import copy

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from outbox import services as outbox
from outbox.models import OutgoingMail

from . import customvalues, facts, filing, permissions
from .models import EventKind, TicketFollower

# What a ticket's followers hear about: its public changes, not an assignment (whose
# notice says "assigned to you") nor its filing (nobody follows it yet).
FOLLOWED = {
    EventKind.REPLIED,
    EventKind.INFO_REQUESTED,
    EventKind.RESOLVED,
    EventKind.REDIRECTED,
    EventKind.REOPENED,
    EventKind.MERGED,
}

# The line above which a reply by mail is typed: mail in (mailin/) keeps what is above
# the first line that starts with REPLY_MARK, in whatever language it was written.
REPLY_MARK = "##-"


def reply_above_line() -> str:
    return f"{REPLY_MARK} {_('Please type your reply above this line')} -##"


def subject(ticket, headline: str) -> str:
    """The `[#id]` token first: replies keep it, and mail in (mailin/) reads it back."""
    return f"[#{ticket.pk}] {headline}"[:255]


def _headline(ticket, event, topic) -> str:
    kind = event.kind
    values = {
        "id": ticket.pk,
        "subject": ticket.subject,
        "category": ticket.category,
        "into": (event.data or {}).get("into", ""),
    }
    headlines = {
        EventKind.CREATED: _("Ticket #%(id)s was filed: %(subject)s"),
        EventKind.REPLIED: _("New reply on ticket #%(id)s: %(subject)s"),
        EventKind.INFO_REQUESTED: _("Information is requested on ticket #%(id)s: %(subject)s"),
        EventKind.RESOLVED: _("Ticket #%(id)s was resolved: %(subject)s"),
        EventKind.REDIRECTED: _("Ticket #%(id)s was redirected to %(category)s: %(subject)s"),
        EventKind.REOPENED: _("Ticket #%(id)s was reopened: %(subject)s"),
        EventKind.ASSIGNED: _("Ticket #%(id)s was assigned to you: %(subject)s"),
        EventKind.MERGED: _("Ticket #%(id)s was merged into #%(into)s: %(subject)s"),
    }
    if topic == "mentioned":
        headlines[kind] = _("You were mentioned on ticket #%(id)s: %(subject)s")
    # A mail header is one line, whatever the subject holds.
    return " ".join((headlines[kind] % values).split())


def _followers(ticket) -> list:
    """Who follows the ticket and still may (left the organisation, the team: no more)."""
    people = [f.user for f in TicketFollower.objects.filter(ticket=ticket).select_related("user")]
    return [person for person in people if permissions.may_follow(person, ticket)]


# The conversation a notice quotes below the latest message, newest first.
HISTORY = 3
CONVERSATION = (
    EventKind.REPLIED,
    EventKind.INFO_REQUESTED,
    EventKind.RESOLVED,
    EventKind.REOPENED,
)


def _history(ticket, event) -> list:
    """The public messages before `event`, so that a notice reads like a conversation;
    internal notes never (one query, whoever the recipients)."""
    if event.kind == EventKind.CREATED:
        return []
    return list(
        ticket.events.filter(internal=False, kind__in=CONVERSATION, redacted=False)
        .exclude(pk=event.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:HISTORY]
    )


def queue(ticket, event, recipients: dict) -> None:
    """Write a notice of `event` for each recipient; `recipients` maps user → topic.
    The ticket's followers are told of its public changes too.

    Internal events are never mailed; the actor is mailed about their own act only to
    confirm a ticket they filed.
    """
    if event.internal:
        return
    if event.kind in FOLLOWED:
        recipients = {**dict.fromkeys(_followers(ticket), "following"), **recipients}
    _write(ticket, event, recipients)


def queue_mentions(ticket, event, people) -> None:
    """Tell each handler named in an internal note; the caller checked who handles it."""
    if not all(permissions.is_handler(person, ticket) for person in people):
        raise ValueError("Only the ticket's handlers may be told of an internal note.")
    # Internal notes are never mailed: the notice says where to look, not what it says.
    _write(ticket, event, dict.fromkeys(people, "mentioned"), with_note=False)


def _write(ticket, event, recipients: dict, *, with_note: bool = True) -> None:
    event = copy.copy(event)
    history = _history(ticket, event) if with_note else []
    facts.describe([event, *history])  # shown in each recipient's language below
    if not with_note:
        event.typed_note = ""
    fields = customvalues.definitions([ticket.category_id]) if ticket.custom else {}
    # Those told are people of the ticket's deployment: its word for a category.
    category_label = filing.category_label(ticket.organisation)
    # A notice names no one: all who read it in one language, on one topic, get the same
    # text, so it is written once for them (a team of seven, once rather than seven times).
    written = {}
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
        language = user.language or settings.LANGUAGE_CODE
        if (language, topic) not in written:
            with translation.override(language):
                context = {
                    "ticket": ticket,
                    "event": event,
                    "headline": _headline(ticket, event, topic),
                    "url": settings.SITE_URL.rstrip("/") + ticket.get_absolute_url(),
                    "category_label": category_label,
                    "reply_above": reply_above_line(),
                    "history": history,
                    "fields": customvalues.shown(ticket, fields.get(ticket.category_id, []))
                    if event.kind == EventKind.CREATED
                    else [],
                }
                written[language, topic] = (
                    subject(ticket, context["headline"]),
                    render_to_string("tickets/email/notice.txt", context),
                    render_to_string("tickets/email/notice.html", context),
                )
        mail_subject, text, html = written[language, topic]
        rows.append(
            OutgoingMail(
                ticket_id=ticket.pk,
                topic=topic,
                to=user.email,
                subject=mail_subject,
                text=text,
                html=html,
            )
        )
    outbox.enqueue_many(rows)
