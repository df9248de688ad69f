import ipaddress

from django.conf import settings
from django.core import checks


@checks.register
def metrics_addresses(app_configs, **kwargs):
    """A typo in the allowed list would shut out the scraper without a word."""
    wrong = []
    for entry in settings.HELPDESK_METRICS_ALLOWED:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            wrong.append(entry)
    return [
        checks.Error(
            f"HELPDESK_METRICS_ALLOWED holds {entry!r}, neither an address nor a network.",
            hint="Give addresses or networks, separated by commas: 127.0.0.1,10.0.0.0/8.",
            id="monitoring.E001",
        )
        for entry in wrong
    ]
