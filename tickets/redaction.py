"""The one door through the action log's guards: emptying personal text.

On PostgreSQL the log's tables refuse every UPDATE (migration 0006) and the site's
role may not change them at all; these calls go through the SECURITY DEFINER
functions that only ever empty an event's note or a document's name. The hash chain
keeps the note's digest, so a redaction named by a `redacted` event still verifies.
"""

from django.db import connection

from common import storage

from .models import Attachment, TicketEvent

# What each redaction runs: through the guard on PostgreSQL; on SQLite, which has no
# roles nor triggers to pass, the model's own guard is all there is.
EMPTY_NOTE = {
    "postgresql": "SELECT tickets_redact_event(%s)",
    "sqlite": "UPDATE tickets_ticketevent SET note = '', redacted = 1 WHERE id = %s",
}
EMPTY_DOCUMENT = {
    "postgresql": "SELECT tickets_redact_attachment(%s)",
    "sqlite": "UPDATE tickets_attachment SET original_name = '', redacted = 1 WHERE id = %s",
}


def _run(statements: dict, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statements[connection.vendor], [pk])


def empty_note(event: TicketEvent) -> None:
    _run(EMPTY_NOTE, event.pk)
    event.note, event.redacted = "", True


def empty_document(attachment: Attachment) -> None:
    """Empty the document's name in the log; its file goes once that is committed."""
    _run(EMPTY_DOCUMENT, attachment.pk)
    storage.delete_after_commit(attachment.file.storage, attachment.file.name)
    attachment.original_name, attachment.redacted = "", True
