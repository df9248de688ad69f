"""How committed deliveries leave: `handover` decides when and where (the pattern of
common/handover.py: after the response inside a web request, so that no page waits on a
slow receiver; to a worker with a broker, else here), `send_pending` sends. What is not
sent then waits for the periodic `send_webhooks` job (jobs/table.py), which retries
with exponential back-off.

A sender leases each delivery (committed) before calling its URL; two senders never
send one delivery at once, and a sender killed mid-send leaves it to the next one when
the lease ends. A receiver may thus hear one delivery twice: the `X-Helpdesk-Delivery`
id tells it so.
"""

import http.client
import logging
import socket
import ssl
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation

from common.handover import Handover, lease_next, lease_owner

from . import netguard, payloads, signing
from .models import Attempt, Delivery, DeliveryState, Webhook

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
LEASE = timedelta(minutes=5)
USER_AGENT = "Helpdesk-Webhooks/1"
# How long a hook's log keeps its settled deliveries (the daily `prune_webhooks` job).
KEEP_DAYS = 30

# Committed deliveries on their way: `webhooks.send` on a worker, else `send_pending` here.
handover = Handover(
    "webhook deliveries",
    task="webhooks.tasks.send",
    send_here=lambda ids: send_pending(ids=ids, limit=len(ids)),
    job="send_webhooks",
)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the first, second, third ... failure, at most 6 hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


def send_pending(*, ids=None, limit: int = 100) -> tuple[int, int]:
    """Send due deliveries (or just `ids`), at most `limit`; returns (sent, failed)."""
    owner = lease_owner()
    sent = failed = 0
    while sent + failed < limit:
        delivery = lease(owner, ids=ids)
        if delivery is None:
            break
        if attempt(delivery, owner):
            sent += 1
        else:
            failed += 1
    return sent, failed


def lease(owner: str, *, ids=None) -> Delivery | None:
    """Lease the next due delivery of an active hook, committed; None when none is due."""

    def due(now):
        rows = Delivery.objects.filter(
            Q(leased_until__isnull=True) | Q(leased_until__lte=now),
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
            webhook__is_active=True,
        )
        return rows if ids is None else rows.filter(pk__in=ids)

    pk = lease_next(due, lambda pk, now: {"leased_until": now + LEASE, "lease_owner": owner})
    return None if pk is None else Delivery.objects.select_related("webhook__owner").get(pk=pk)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address netguard checked, whatever the name resolves to now."""

    def __init__(self, target: netguard.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: netguard.Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict) -> int:
    """POST `body` to `url` after netguard's check; the response's status (no redirect
    is followed: it could lead anywhere)."""
    target = netguard.check(url)
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout=settings.HELPDESK_WEBHOOK_TIMEOUT)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # a little of it, so that the receiver is not cut off
        return response.status
    finally:
        connection.close()


def attempt(delivery: Delivery, owner: str) -> bool:
    """Send one leased delivery; whether the receiver took it (2xx)."""
    hook = delivery.webhook
    if not delivery.body:
        body = payloads.build(delivery)
        if body is None:
            Delivery.objects.filter(pk=delivery.pk).update(
                state=DeliveryState.SKIPPED, leased_until=None
            )
            return True
        delivery.body = body
        Delivery.objects.filter(pk=delivery.pk).update(body=body)
    raw = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE: signing.sign(hook.secret, timestamp, raw),
        signing.TIMESTAMP: str(timestamp),
        signing.DELIVERY: str(delivery.uid),
        signing.EVENT: delivery.event,
    }
    code, error = None, ""
    started = time.monotonic()
    try:
        # A refusal is stored for the hook's log: in the site's language, whoever's
        # request sent it.
        with translation.override(settings.LANGUAGE_CODE):
            code = post(hook.url, raw, headers)
    except netguard.Refused as refused:
        error = str(refused)
    except Exception as problem:  # noqa: BLE001 - one bad receiver never stops the queue
        error = f"{type(problem).__name__}: {problem}"[:1000]
    Attempt.objects.create(
        delivery_id=delivery.pk,
        response_code=code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if code is not None and 200 <= code < 300:
        _succeeded(delivery, owner, code)
        return True
    _failed(delivery, owner, code, error or f"HTTP {code}")
    return False


def prune(now=None) -> int:
    """Forget deliveries settled more than KEEP_DAYS ago (the log keeps the recent ones);
    returns how many. Waiting ones stay, however old."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    settled = Delivery.objects.filter(created_at__lt=cutoff).exclude(state=DeliveryState.PENDING)
    deleted, _by_model = settled.delete()
    return deleted


def _succeeded(delivery: Delivery, owner: str, code: int) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, lease_owner=owner).update(
        state=DeliveryState.DELIVERED,
        attempts=F("attempts") + 1,
        response_code=code,
        last_error="",
        delivered_at=now,
        leased_until=None,
    )
    Webhook.objects.filter(pk=delivery.webhook_id).update(consecutive_failures=0)


def _failed(delivery: Delivery, owner: str, code: int | None, error: str) -> None:
    attempts = delivery.attempts + 1
    gives_up = attempts >= settings.HELPDESK_WEBHOOK_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, lease_owner=owner).update(
        state=DeliveryState.FAILED if gives_up else DeliveryState.PENDING,
        attempts=attempts,
        response_code=code,
        last_error=error,
        next_attempt_at=timezone.now() + backoff(attempts),
        leased_until=None,
    )
    Webhook.objects.filter(pk=delivery.webhook_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    # Switched off once, by whichever failure reaches the limit.
    disabled = Webhook.objects.filter(
        pk=delivery.webhook_id,
        is_active=True,
        consecutive_failures__gte=settings.HELPDESK_WEBHOOK_FAILURE_LIMIT,
    ).update(is_active=False, disabled_at=timezone.now())
    logger.warning(
        "Webhook %s delivery %s failed (attempt %s): %s",
        delivery.webhook_id,
        delivery.pk,
        attempts,
        code or error,
        extra={"webhook_id": delivery.webhook_id},
    )
    if disabled:
        logger.warning("Webhook %s disabled after repeated failures", delivery.webhook_id)
