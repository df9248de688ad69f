from django.db import transaction

from .models import Webhook
from .models import new_secret as make_secret


@transaction.atomic
def create(*, by, form) -> Webhook:
    """Save a valid WebhookForm as `by`'s hook."""
    hook = form.save(commit=False)
    hook.owner = by
    hook.save()
    form.save_m2m()
    return hook


def set_active(hook: Webhook, *, active: bool) -> None:
    """Switch a hook on (its failure count starts afresh) or off."""
    hook.is_active = active
    hook.consecutive_failures = 0 if active else hook.consecutive_failures
    hook.disabled_at = None
    hook.save(update_fields=["is_active", "consecutive_failures", "disabled_at"])


@transaction.atomic
def update(*, form) -> Webhook:
    """Save a valid WebhookForm bound to an existing hook."""
    return form.save()


def new_secret(hook: Webhook) -> None:
    hook.secret = make_secret()
    hook.save(update_fields=["secret"])
