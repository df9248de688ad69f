"""A real HTTP server on the loopback interface that receives webhooks, as a customer's
system would, and the hooks pointing at it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webhooks.models import EventType, Webhook


class Receiver:
    """What the server received; `answers` is the status of each next answer (200 when
    none is left)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.url = ""

    def bodies(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver(settings):
    settings.HELPDESK_WEBHOOK_ALLOW_PRIVATE = True  # it listens on 127.0.0.1
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", "0"))
            received.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers.items()),
                    "body": self.rfile.read(length),
                }
            )
            status = received.answers.pop(0) if received.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/helpdesk?source=test"
    yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook(receiver):
    """`hook(owner, events=[...], categories=[...], organisation=None)`: a hook at the receiver."""

    def make(owner, events=tuple(EventType.values), *, categories=(), organisation=None):
        created = Webhook.objects.create(
            owner=owner,
            name=f"{owner.username}'s ERP",
            url=receiver.url,
            events=list(events),
            organisation=organisation,
        )
        created.categories.set(categories)
        return created

    return make
