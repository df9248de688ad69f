"""A survey's comment in the privacy rules (common/personal_data.py): free text the
requester typed, not part of the ticket's record, so it goes whenever they are erased
and once the retention period has passed. The rating stays, for the figures."""

from .models import Survey


def erase(sender, *, person, **kwargs) -> None:
    Survey.objects.filter(requester=person).exclude(comment="").update(comment="")


def expire(sender, *, cutoff, **kwargs) -> int:
    # Sent when the ticket closed: the same age as the ticket's own text.
    return Survey.objects.filter(sent_at__lte=cutoff).exclude(comment="").update(comment="")
