"""Where a webhook may point: http or https, and (unless HELPDESK_WEBHOOK_ALLOW_PRIVATE)
never to a loopback, private, link-local or otherwise non-public address, so that a hook
cannot make the server talk to itself or its network (server-side request forgery).

The host is resolved when the hook is saved and again at each send, and the connection
goes to the address that was checked (`Target.address`), so a name that resolves to
another address in between (DNS rebinding) gains nothing.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class Refused(ValueError):
    """The URL may not be called; the message says why, in the user's language."""


NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    address: str


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address carried inside an IPv6 one is judged as itself.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo and ip.teredo[1])
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast


def _addresses(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(_("The host %(host)s could not be found.") % {"host": host}) from error
    return list(dict.fromkeys(info[4][0] for info in found))


def check(url: str) -> Target:
    """The target to connect to for `url`, or Refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(_("This is not a valid URL.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(_("Only http and https addresses can receive webhooks."))
    host = parts.hostname
    if not host:
        raise Refused(_("This is not a valid URL."))
    if parts.username or parts.password:
        raise Refused(_("The URL may not hold a user name or password."))
    port = port or (443 if scheme == "https" else 80)
    addresses = _addresses(host, port)
    # Every address the name has: the connection must not be able to pick a bad one.
    if not settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE and not all(map(_allowed, addresses)):
        raise Refused(
            _(
                "Webhooks may not be sent to %(host)s: it is a loopback, private or "
                "link-local address."
            )
            % {"host": host}
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
