"""A person's data as one ZIP file: `personal-data.json` and the documents they uploaded.

A ZIP rather than a bare JSON file, because the documents a person uploaded are their
data as much as the text they typed, and a JSON file could only name them. The
archive is written as it is sent: each part is compressed into a small buffer and
handed over at once, and rows are read in chunks, so neither the number of tickets
nor the size of the documents decides the memory used, and the number of queries is
the same for any number of tickets.
"""

import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.models import User
from common import personal_data

from . import selectors

JSON_NAME = "personal-data.json"
FORMAT = "helpdesk-personal-data/1"
CHUNK = 64 * 1024


class _Pipe:
    """A write-only file: the ZIP writer writes into it, `take` hands it on."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> list[bytes]:
        """What was written since the last call, as one piece (none if nothing)."""
        data = b"".join(self._parts)
        self._parts.clear()
        return [data] if data else []


def _choice(value, choices) -> dict:
    return {"code": value, "label": str(dict(choices).get(value, value))}


def _date(value):
    return timezone.localtime(value).isoformat() if value else None


def _person(person: User) -> dict:
    organisation = person.organisation
    return {
        "id": person.pk,
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": str(person.phone or ""),
        "language": person.language,
        "role": _choice(person.role, person._meta.get_field("role").choices),
        "mail_not_wanted_about": list(person.muted_topics or []),
        "joined": _date(person.date_joined),
        "last_sign_in": _date(person.last_login),
        "active": person.is_active,
        "organisation": organisation
        and {"id": organisation.pk, "name": organisation.name, "kind": organisation.kind},
    }


def _ticket(ticket) -> dict:
    fields = ticket._meta
    return {
        "id": ticket.pk,
        "subject": ticket.subject,
        "description": ticket.description,
        "category": str(ticket.category),
        "kind": str(ticket.kind),
        "priority": _choice(ticket.priority, fields.get_field("priority").choices),
        "status": _choice(ticket.status, fields.get_field("status").choices),
        "channel": _choice(ticket.channel, fields.get_field("channel").choices),
        "organisation": ticket.organisation.name,
        "filed": _date(ticket.created_at),
        "read": _date(ticket.read_at),
        "resolved": _date(ticket.resolved_at),
        "closed": _date(ticket.closed_at),
    }


def _message(event) -> dict:
    return {
        "id": event.pk,
        "ticket": event.ticket_id,
        "kind": _choice(event.kind, event._meta.get_field("kind").choices),
        "internal": event.internal,
        "text": event.note,
        "redacted": event.redacted,
        "written": _date(event.created_at),
    }


def _archive_name(document) -> str:
    """Where a document goes in the archive: its id, then its name without any path."""
    name = PurePosixPath(document.original_name.replace("\\", "/")).name or "document"
    return f"documents/{document.pk}-{name}"


def _has_file(document) -> bool:
    return not document.redacted and document.file.storage.exists(document.file.name)


def _document(document) -> dict:
    return {
        "id": document.pk,
        "ticket": document.ticket_id,
        "name": document.original_name,
        "size": document.size,
        "content_type": document.content_type,
        "internal": document.internal,
        "redacted": document.redacted,
        "uploaded": _date(document.created_at),
        "file": _archive_name(document) if _has_file(document) else None,
    }


def _dumps(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def _array(name: str, items: Iterable[dict]) -> Iterator[str]:
    yield f',\n "{name}": ['
    separator = "\n"
    for item in items:
        yield separator + _dumps(item)
        separator = ",\n"
    yield "\n ]"


def json_parts(person: User, viewer: User) -> Iterator[str]:
    """The JSON document, piece by piece."""
    head = {"format": FORMAT, "generated": _date(timezone.now()), "person": _person(person)}
    yield _dumps(head).removesuffix("\n}")  # left open: the lists follow
    tickets = selectors.filed_tickets(person, viewer).iterator(chunk_size=500)
    yield from _array("tickets", map(_ticket, tickets))
    yield from _array("messages", map(_message, selectors.messages(person, viewer)))
    yield from _array("documents", map(_document, selectors.documents(person, viewer)))
    # What other apps keep about the person (API tokens, webhooks, ...), each its list.
    for name, rows in personal_data.sections(person, viewer):
        yield from _array(name, rows)
    yield "\n}\n"


def _entry(archive: zipfile.ZipFile, name: str, when=None):
    info = zipfile.ZipInfo(name, date_time=timezone.localtime(when).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return archive.open(info, "w")


def archive(person: User, viewer: User) -> Iterator[bytes]:
    """The ZIP file, in pieces as it is written."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w") as zipped:
        with _entry(zipped, JSON_NAME) as entry:
            for part in json_parts(person, viewer):
                entry.write(part.encode())
                yield from pipe.take()
        for document in selectors.documents(person, viewer):
            if not _has_file(document):
                continue
            try:
                source = document.file.open("rb")
            except FileNotFoundError:
                continue  # gone since the JSON named it: the archive stays whole
            with source, _entry(zipped, _archive_name(document), document.created_at) as entry:
                while block := source.read(CHUNK):
                    entry.write(block)
                    yield from pipe.take()
    yield from pipe.take()


def filename(person: User) -> str:
    return f"personal-data-{person.pk}.zip"
