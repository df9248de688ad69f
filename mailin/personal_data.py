"""What the mail gate keeps of a sender in the privacy rules (common/personal_data.py):
held messages (their text and raw mail) go; the log of handled mail keeps its rows (the
guard against handling a message twice) without the sender's address and subject."""

from .models import HeldMessage, InboundMessage

FORGOTTEN = {"sender": "", "subject": ""}


def held_mail(sender, *, person, **kwargs) -> tuple[str, list[dict]]:
    """The mail from the person's address held for a supervisor (what they wrote)."""
    rows = HeldMessage.objects.filter(sender__iexact=person.email) if person.email else []
    return "held_mail", [
        {"received": row.received_at.isoformat(), "subject": row.subject, "text": row.text}
        for row in rows
    ]


def erase(sender, *, address, **kwargs) -> None:
    if not address:
        return
    HeldMessage.objects.filter(sender__iexact=address).delete()
    InboundMessage.objects.filter(sender__iexact=address).update(**FORGOTTEN)


def expire(sender, *, cutoff, **kwargs) -> int:
    held, _by_model = HeldMessage.objects.filter(received_at__lte=cutoff).delete()
    logged = (
        InboundMessage.objects.filter(received_at__lte=cutoff)
        .exclude(**FORGOTTEN)
        .update(**FORGOTTEN)
    )
    return held + logged
