"""Mail no person wrote to us just now (RFC 3834 and the ways robots mark their mail):
it never files, reopens or is answered, or two robots would write to each other
forever."""

import re
from email.utils import parseaddr

from django.conf import settings

from .parsing import Mail

AUTO_SUBJECT = re.compile(
    r"^(?:Automatic reply|Auto(?:matic)?[- ]?(?:reply|response)|Out of (?:the )?Office|"
    r"Otomatik (?:yanıt|cevap)|Автоматический ответ|پاسخ خودکار|"
    r"Undeliver(?:able|ed)|Delivery Status Notification|Mail delivery failed)\b",
    re.IGNORECASE,
)
ROBOT_SENDERS = re.compile(
    r"^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply)@", re.IGNORECASE
)


def automatic(mail: Mail) -> str:
    """Why `mail` is a robot's (for the log), or "" when a person seems to have sent it."""
    auto = mail.header("Auto-Submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = mail.header("Precedence").strip().lower()
    if precedence in ("bulk", "list", "junk", "auto_reply"):
        return f"Precedence: {precedence}"
    listed = sorted({key for key in mail.message if key.lower().startswith("list-")})
    if listed:
        return f"mailing list ({listed[0]})"
    if mail.return_path == "":  # <>: bounces and other robots' mail (RFC 5321, 4.5.5)
        return "empty return path"
    content_type = mail.message.get_content_type()
    if content_type == "multipart/report" or any(
        part.get_content_type() in ("message/delivery-status", "message/disposition-notification")
        for part in mail.message.walk()
    ):
        return "delivery or read report"
    for name in ("X-Autoreply", "X-Autorespond", "X-Failed-Recipients"):
        if mail.header(name):
            return name
    if ROBOT_SENDERS.match(mail.sender):
        return "robot sender"
    if mail.sender == own_address():
        return "our own address"
    if mail.message_id.startswith("<outbox-"):
        return "our own notice"
    if AUTO_SUBJECT.match(mail.subject):
        return "automatic reply by its subject"
    return ""


def own_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
