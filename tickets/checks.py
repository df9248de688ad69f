from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def log_key_of_its_own(app_configs, **kwargs):
    """The hash chain's key must outlive SECRET_KEY, which is changed after a leak."""
    if settings.HELPDESK_LOG_KEY != settings.SECRET_KEY:
        return []
    return [
        checks.Warning(
            "HELPDESK_LOG_KEY is not set: the action log is keyed with SECRET_KEY, and "
            "changing SECRET_KEY would make every event fail verify_log.",
            hint="Set HELPDESK_LOG_KEY to a long random value of its own and keep it.",
            id="tickets.W001",
        )
    ]
