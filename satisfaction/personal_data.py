"""Surveys in the privacy rules (common/personal_data.py): the requester's answers are in
their export; a comment is free text they typed, not part of the ticket's record, so it
goes whenever they are erased and once the retention period has passed. The rating
stays, for the figures."""

from .models import Survey


def answers(sender, *, person, **kwargs) -> tuple[str, list[dict]]:
    rows = Survey.objects.filter(requester=person, answered_at__isnull=False).order_by("pk")
    return "surveys", [
        {
            "ticket": row.ticket_id,
            "rating": row.rating,
            "comment": row.comment,
            "answered": row.answered_at.isoformat(),
        }
        for row in rows
    ]


def erase(sender, *, person, **kwargs) -> None:
    Survey.objects.filter(requester=person).exclude(comment="").update(comment="")


def expire(sender, *, cutoff, **kwargs) -> int:
    # Sent when the ticket closed: the same age as the ticket's own text.
    return Survey.objects.filter(sent_at__lte=cutoff).exclude(comment="").update(comment="")
