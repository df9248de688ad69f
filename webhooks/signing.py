"""The signature a receiver checks: HMAC-SHA256 with the hook's secret over
"<timestamp>.<body>", sent as `X-Helpdesk-Signature: sha256=<hex>` beside
`X-Helpdesk-Timestamp` (Unix seconds). Signing the time too lets a receiver refuse old
replays (docs/api.md shows the check in Python)."""

import hashlib
import hmac

SIGNATURE = "X-Helpdesk-Signature"
TIMESTAMP = "X-Helpdesk-Timestamp"
DELIVERY = "X-Helpdesk-Delivery"
EVENT = "X-Helpdesk-Event"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (used by the tests as an outsider would)."""
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)
