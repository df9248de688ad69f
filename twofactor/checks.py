from django.conf import settings
from django.core.checks import Error, register

from .policy import GROUPS


@register()
def required_groups_are_known(app_configs, **kwargs):
    """A misspelt group would silently leave its users without a second step."""
    unknown = [g for g in settings.HELPDESK_2FA_REQUIRED_FOR if g not in GROUPS]
    if not unknown:
        return []
    return [
        Error(
            f"HELPDESK_2FA_REQUIRED_FOR names unknown groups: {', '.join(unknown)}.",
            hint=f"Use a comma-separated list of {', '.join(GROUPS)}, or nothing.",
            id="twofactor.E001",
        )
    ]
