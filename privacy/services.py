"""Every change of personal data: erasing a person, and the retention rule.

Text leaves the action log only through `tickets.services.redact`, which names what
it emptied in a `redacted` event, so that `verify_log` still finds every log whole.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from common import personal_data
from outbox.models import OutgoingMail
from tickets import services as tickets
from tickets.models import Attachment, EventKind, Ticket, TicketEvent

from . import selectors
from .models import AnonymisedTicket, Erasure, Source
from .pseudonyms import pseudonymise


class ErasureError(Exception):
    """An erasure that cannot be done as asked; the message says why."""


class AlreadyErased(ErasureError):  # noqa: N818 - not a failure: it was done before
    """Erasing twice changes nothing."""


def _in_site_language(message: str, **values) -> str:
    """`message` (marked with gettext_noop) in the site's language: a redaction's reason
    is stored in the log, read by every handler, like the text that replaces a subject."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % values


def _text_written_by(person: User):
    """What `person` typed, by ticket: the notes of their events (the names of their
    documents included) and their documents; the `redacted` events' reasons stay."""
    events = TicketEvent.objects.filter(actor=person, redacted=False).exclude(note="")
    events = events.exclude(kind=EventKind.REDACTED)
    documents = Attachment.objects.filter(uploaded_by=person, redacted=False)
    by_ticket = defaultdict(lambda: ([], []))
    for pk, ticket_id in events.values_list("pk", "ticket_id").iterator():
        by_ticket[ticket_id][0].append(pk)
    for pk, ticket_id in documents.values_list("pk", "ticket_id").iterator():
        by_ticket[ticket_id][1].append(pk)
    return by_ticket


def _forget_mail(ticket_id: int) -> None:
    """The mail about a ticket whose text goes: it quotes that text. The outbox is a
    queue, not the record; the action log says what happened."""
    OutgoingMail.objects.filter(ticket_id=ticket_id).delete()


def _redact_text_of(person: User, *, by, reason: str) -> int:
    """Redact what `person` wrote, and the subject and description of the tickets they
    filed (unless the retention rule did already); returns how many tickets."""
    by_ticket = _text_written_by(person)
    filed = set(
        Ticket.objects.filter(requester=person, anonymisation__isnull=True).values_list(
            "pk", flat=True
        )
    )
    ticket_ids = sorted(set(by_ticket) | filed)
    for ticket_id in ticket_ids:
        event_ids, document_ids = by_ticket.get(ticket_id, ([], []))
        _forget_mail(ticket_id)
        tickets.redact(
            Ticket(pk=ticket_id),  # redact locks and reads the row itself
            by=by,
            events=TicketEvent.objects.filter(pk__in=event_ids),
            attachments=Attachment.objects.filter(pk__in=document_ids),
            ticket_text=ticket_id in filed,
            reason=reason,
        )
    return len(ticket_ids)


def refusal(person: User, *, by: User | None) -> str:
    """Why `by` may not erase `person` (the confirm page says it before asking), or ""."""
    if by is None:
        return ""
    if by.pk == person.pk:
        return _("You cannot erase your own account.")
    if person.is_superuser or person.is_staff:
        # A supervisor must not be able to lock the administrators out.
        return _("An administrator's account is erased by the operator (erase_person).")
    return ""


@transaction.atomic
def erase(person: User, *, by: User | None, redact_text: bool, source: str = "") -> Erasure:
    """Replace `person` by their pseudonym everywhere and close their account; with
    `redact_text`, their text goes from every ticket too. Tickets and their logs stay.

    By a supervisor (on the person's request) or, with by=None, the operator or the
    retention rule (`source`). Raises ErasureError, AlreadyErased the second time.
    """
    if by is not None and not by.is_supervisor:
        raise PermissionDenied
    source = source or (Source.SUPERVISOR if by is not None else Source.OPERATOR)
    # Lock first: of two simultaneous erasures, the second finds the first's record.
    person = User.objects.select_for_update().get(pk=person.pk)
    if Erasure.objects.filter(person=person).exists():
        raise AlreadyErased(_("This person was already erased."))
    if reason := refusal(person, by=by):
        raise ErasureError(reason)
    address = person.email
    pseudonymise(person)
    # What the other apps keep of them: survey comments, held mail (their receivers).
    personal_data.erase_everywhere(person, address=address, redact_text=redact_text)
    redacted = 0
    if redact_text:
        reason = _in_site_language(
            gettext_noop("Personal data erased: %(person)s."), person=person.username
        )
        redacted = _redact_text_of(person, by=by, reason=reason)
    return Erasure.objects.create(
        person=person, by=by, source=source, redacted_text=redact_text, tickets=redacted
    )


def retention_cutoff(now=None):
    """Closed before this, a ticket's personal text goes; None while retention is off."""
    days = settings.HELPDESK_RETENTION_DAYS
    if days <= 0:
        return None
    return (now or timezone.now()) - timedelta(days=days)


@transaction.atomic
def anonymise(ticket: Ticket) -> None:
    """Redact all the personal text of a closed ticket, once (by the retention rule)."""
    # The mark first: a second run at the same time fails here, before redacting.
    AnonymisedTicket.objects.create(ticket=ticket)
    _forget_mail(ticket.pk)
    events = ticket.events.filter(redacted=False).exclude(note="")
    tickets.redact(
        ticket,
        by=None,
        events=events.exclude(kind=EventKind.REDACTED),
        attachments=ticket.attachments.filter(redacted=False),
        ticket_text=True,
        reason=_in_site_language(gettext_noop("Retention period passed.")),
    )


def anonymise_closed(now=None) -> int:
    """Anonymise every closed ticket older than the retention period, and what the
    other apps keep from before it (survey comments, held mail); returns how many
    tickets. Safe to run every night: a ticket is done once."""
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return 0
    done = 0
    for ticket in selectors.due_for_anonymisation(cutoff).only("pk").iterator():
        try:
            anonymise(ticket)
        except IntegrityError:
            continue  # another run took it meanwhile
        done += 1
    personal_data.expire_everywhere(cutoff)
    return done


def erase_dormant(now=None) -> int:
    """Erase the members who signed in last before the retention period and whose
    tickets and messages were all anonymised; returns how many."""
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return 0
    done = 0
    for person in selectors.dormant_members(cutoff).only("pk").iterator():
        try:
            erase(person, by=None, redact_text=False, source=Source.RETENTION)
        except AlreadyErased:
            continue
        done += 1
    return done
