"""The text that ticket search matches, built in one place."""

from common.text import normalise

from .models import EventKind, Ticket


def ticket_text(subject: str, description: str, replies=(), file_names=()) -> str:
    """What search matches for a ticket: its subject, description, public replies and
    the names of its public documents, folded. The one builder of `Ticket.search_text`;
    internal notes never go in."""
    return normalise("\n".join([subject, description, *replies, *file_names]))


def note_text(notes=(), file_names=()) -> str:
    """What search matches for handlers alone: internal notes and internal documents'
    names, folded. The one builder of `Ticket.note_text`."""
    return normalise("\n".join([*notes, *file_names]))


def refresh(ticket) -> None:
    """Rebuild a ticket's search texts from what it holds now (after a reply, a file)."""
    texts = {False: [], True: []}
    events = ticket.events.filter(kind__in=[EventKind.REPLIED, EventKind.NOTE], redacted=False)
    for note, internal in events.values_list("note", "internal"):
        texts[internal].append(note)
    names = {False: [], True: []}
    documents = ticket.attachments.filter(redacted=False)
    for name, internal in documents.values_list("original_name", "internal"):
        names[internal].append(name)
    ticket.search_text = ticket_text(ticket.subject, ticket.description, texts[False], names[False])
    ticket.note_text = note_text(texts[True], names[True])
    Ticket.objects.filter(pk=ticket.pk).update(
        search_text=ticket.search_text, note_text=ticket.note_text
    )
