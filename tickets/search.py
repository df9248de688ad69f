"""The text that ticket search matches, built in one place, and on PostgreSQL the
stemmed, ranked match of its words.

On PostgreSQL the database keeps a full-text vector of `search_text` (migration 0016:
Turkish and Russian stems and whole words, the subject weighted first), so that
"faturalar" finds "fatura" and "ошибки" finds "ошибка"; the trigram substring match
stays beside it for parts of words and Persian. SQLite matches substrings only.
"""

from django.db.models import BooleanField, Expression, FloatField, Func, TextField, Value
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Coalesce

from common.text import normalise

from .models import EventKind, set_ticket_columns


def ticket_text(subject: str, description: str, replies=(), file_names=()) -> str:
    """What search matches for a ticket: its subject, description, public replies and
    the names of its public documents, folded. The one builder of `Ticket.search_text`;
    internal notes never go in. Its first line is the subject (ranked first)."""
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
    # Within a change's `resealed_once`, written with its reseal: one version of the row.
    set_ticket_columns(ticket.pk, search_text=ticket.search_text, note_text=ticket.note_text)


class _Vector(Expression):
    """The ticket's `search_vector` column, which PostgreSQL alone has and keeps from
    `search_text` (migration 0016); not a model field, so that no save writes it."""

    output_field = TextField()

    def resolve_expression(self, query=None, *args, **kwargs):
        return Col(query.get_initial_alias(), _VECTOR_COLUMN)


_VECTOR_COLUMN = TextField()
_VECTOR_COLUMN.set_attributes_from_name("search_vector")


def _query(word: str) -> Func:
    """The word's stems in each language and its prefix (PostgreSQL's
    `tickets_search_query`, migration 0016)."""
    return Func(Value(word), function="tickets_search_query", output_field=TextField())


def matches(word: str) -> Func:
    """On PostgreSQL, the tickets whose words hold a form of the folded `word`."""
    return Func(
        _Vector(),
        _query(word),
        template="(%(expressions)s)",
        arg_joiner=" @@ ",
        output_field=BooleanField(),
    )


def rank(words: list[str]) -> Func:
    """On PostgreSQL, how well a ticket matches `words`: more of them, more often,
    in the subject rather than below it (exact, as paging compares it)."""
    either = Func(
        *(_query(word) for word in words), template="(%(expressions)s)", arg_joiner=" || "
    )
    score = Func(_Vector(), either, function="ts_rank", output_field=FloatField())
    return Cast(Coalesce(score, 0.0), FloatField())
