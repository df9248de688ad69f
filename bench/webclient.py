"""A small HTTP/1.1 client that signs in and posts forms as a browser would, over the
standard library alone: cookies, the CSRF token read from the form, multipart uploads.

Used by the load script (bench/load.py) and the whole-system test (system_tests/).
It talks to loopback addresses only: it is for measuring and testing our own site,
never for sending load somewhere else.
"""

import http.client
import ipaddress
import random
import re
import socket
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_FIELD = re.compile(r'name="submission" value="([^"]+)"')
TICKET_LINK = re.compile(r'href="/tickets/(\d+)/"')
ATTACHMENT_LINK = re.compile(r'href="/attachments/(\d+)/"')
DOCUMENTS_REDIRECT = re.compile(r"^/tickets/(\d+)/")


class NotLoopback(ValueError):
    """The host is not this machine."""


def require_loopback(base_url: str) -> None:
    """Refuse any base URL whose host resolves to an address off this machine."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname:
        raise NotLoopback(f"{base_url}: only http://<loopback address>:<port> is allowed")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 80)}
    except OSError as error:
        raise NotLoopback(f"{base_url}: {parts.hostname} does not resolve ({error})") from None
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_loopback:
            raise NotLoopback(f"{base_url}: {parts.hostname} is {address}, not a loopback address")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf_token(self) -> str:
        found = CSRF_FIELD.search(self.text)
        if found is None:
            raise AssertionError(f"No CSRF token in {self.url} ({self.status})")
        return found.group(1)

    def submission(self) -> str:
        """The form's one-time submission token (a fresh one if the form has none)."""
        found = SUBMISSION_FIELD.search(self.text)
        return found.group(1) if found else str(uuid.uuid4())

    def alerts(self, kind: str) -> list[str]:
        """The messages of one kind the page shows (success, danger, ...)."""
        return re.findall(rf'class="alert alert-{kind}"[^>]*>([^<]*)<', self.text)


def multipart(fields: dict, files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body: `fields` by name, `files` as (field, name, bytes, type)."""
    boundary = f"----helpdesk{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for field, filename, content, content_type in files:
        parts.append(
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{field}"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """One browser: a cookie jar shared by every base URL it is given (the instances of
    one site), each request sent to the next of them in turn."""

    def __init__(self, *base_urls: str, timeout: float = 60, language: str = "en"):
        for url in base_urls:
            require_loopback(url)
        self.base_urls = list(base_urls)
        self.timeout = timeout
        self.language = language
        self.cookies: dict[str, str] = {}
        self._next = random.randrange(len(self.base_urls))
        self._connections: dict[str, http.client.HTTPConnection] = {}

    def _base(self) -> str:
        base = self.base_urls[self._next % len(self.base_urls)]
        self._next += 1
        return base

    def _connection(self, base: str) -> http.client.HTTPConnection:
        if base not in self._connections:
            parts = urlsplit(base)
            self._connections[base] = http.client.HTTPConnection(
                parts.hostname, parts.port or 80, timeout=self.timeout
            )
        return self._connections[base]

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def request(self, method: str, path: str, body: bytes | None = None, headers=None, base=None):
        """One request to `base` (else the next instance); returns the Response."""
        base = base or self._base()
        headers = {
            "Host": urlsplit(base).netloc,
            "Accept-Language": self.language,
            "User-Agent": "helpdesk-bench/1",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = self._connection(base)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            content = raw.read()
        except (http.client.HTTPException, OSError):
            # Never sent again: a POST that failed midway may have been saved.
            connection.close()
            raise
        if raw.will_close:
            connection.close()
        self._keep_cookies(raw.headers)
        return Response(raw.status, raw.headers, content, urljoin(base, path))

    def _keep_cookies(self, headers) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, *, follow: bool = True, base=None) -> Response:
        response = self.request("GET", path, base=base)
        for _ in range(5):
            if not follow or response.status not in (301, 302, 303, 307, 308):
                break
            response = self.request("GET", urlsplit(response.location).path or "/", base=base)
        return response

    def post(self, path: str, fields: dict, files=(), *, csrf_from: Response, base=None):
        """POST a form the way the page `csrf_from` offers it; redirects are not followed."""
        fields = {"csrfmiddlewaretoken": csrf_from.csrf_token(), **fields}
        if files:
            body, content_type = multipart(fields, list(files))
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, "Referer": csrf_from.url}
        return self.request("POST", path, body=body, headers=headers, base=base)

    def sign_in(self, username: str, password: str) -> Response:
        page = self.get("/accounts/login/")
        response = self.post(
            "/accounts/login/", {"username": username, "password": password}, csrf_from=page
        )
        if response.status != 302:
            raise AssertionError(f"{username} could not sign in ({response.status})")
        return response
