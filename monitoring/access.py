"""Who may read /metrics: only when HELPDESK_METRICS is on, and only from the addresses
and networks in HELPDESK_METRICS_ALLOWED. Anyone else gets a 404, as if it were not
there."""

import ipaddress

from django.conf import settings

from accounts.throttle import visitor_address


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """HELPDESK_METRICS_ALLOWED as networks; an entry that is neither an address nor a
    network is left out (the `monitoring.E001` check names it)."""
    networks = []
    for entry in settings.HELPDESK_METRICS_ALLOWED:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return networks


def may_scrape(request) -> bool:
    if not settings.HELPDESK_METRICS:
        return False
    try:
        address = ipaddress.ip_address(visitor_address(request))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in allowed_networks())
