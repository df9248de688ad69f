"""The person's webhooks in their privacy export (common/personal_data.py); no secret."""

from .models import Webhook


def hooks(sender, *, person, **kwargs) -> tuple[str, list[dict]]:
    rows = Webhook.objects.filter(owner=person).order_by("pk")
    return "webhooks", [
        {
            "id": hook.pk,
            "name": hook.name,
            "url": hook.url,
            "events": hook.events,
            "active": hook.is_active,
            "created": hook.created_at.isoformat(),
        }
        for hook in rows
    ]
