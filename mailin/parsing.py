"""A raw message as the gate needs it: who sent it, what it answers, its text and its
files. Whatever the sender's program did (any charset, encoded words, RFC 2231 file
names, HTML only, broken headers), this either reads it or says it cannot."""

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from . import text


class Malformed(Exception):  # noqa: N818 - a message we cannot read, not a bug
    """The message cannot be read as mail; the text says why (for the log)."""


@dataclass(frozen=True)
class Part:
    name: str
    content: bytes
    content_type: str


@dataclass
class Mail:
    message_id: str
    sender: str  # the From address, lower case
    return_path: str | None  # None: not given; "": the empty return path <>
    subject: str  # one line
    references: list[str]  # In-Reply-To first, then References, newest first
    recipients: list[str]  # To and Cc, lower case
    text: str  # the body as plain text, nothing cut yet
    parts: list[Part] = field(default_factory=list)
    part_count: int = 0
    message: EmailMessage | None = None

    def header(self, name: str) -> str:
        return header(self.message, name)


MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def header(message, name: str) -> str:
    """A header's decoded value (RFC 2047), or its raw text when it cannot be parsed;
    "" when absent."""
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except Exception:  # noqa: BLE001 - the email package raises many kinds on bad headers
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                return str(raw)
        return ""


def one_line(value: str) -> str:
    """No line breaks or control characters: a subject never becomes two headers."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def _address(value: str) -> str:
    address = parseaddr(value)[1].strip().lower()
    return address if "@" in address and len(address) <= 254 else ""


def parse(raw: bytes, *, max_parts: int) -> Mail:
    """Read `raw`; Malformed when it is no mail at all or has more than `max_parts`
    parts (counted before any is decoded)."""
    try:
        message = message_from_bytes(raw, policy=policy.default)
    except Exception as error:  # noqa: BLE001
        raise Malformed(f"unreadable: {type(error).__name__}") from error
    if not message.keys():
        raise Malformed("no headers")
    count = sum(1 for _ in message.walk())
    if count > max_parts:
        raise Malformed(f"{count} parts, more than {max_parts}")
    sender = _address(header(message, "From"))
    return_path = None  # not given, or not an address: unknown
    if "Return-Path" in message:
        value = header(message, "Return-Path").strip()
        return_path = "" if value in ("", "<>") else (_address(value) or None)
    references = MESSAGE_ID.findall(header(message, "In-Reply-To"))
    references += reversed(MESSAGE_ID.findall(header(message, "References")))
    recipients = [
        address.lower()
        for _, address in getaddresses([header(message, "To"), header(message, "Cc")])
        if "@" in address
    ]
    body, parts = _contents(message)
    return Mail(
        message_id=(MESSAGE_ID.findall(header(message, "Message-ID")) or [""])[0][:255],
        sender=sender,
        return_path=return_path,
        subject=one_line(header(message, "Subject")),
        references=list(dict.fromkeys(references)),
        recipients=recipients,
        text=body,
        parts=parts,
        part_count=count,
        message=message,
    )


def _contents(message: EmailMessage) -> tuple[str, list[Part]]:
    """The body as text (plain preferred, else HTML reduced to text) and every other
    leaf part as a file: attachments, inline images, parts of forwarded messages."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        body = None
    if body is None and message.get_content_maintype() == "text":
        body = message  # text of an odd subtype: read it as text
    body_text = ""
    if body is not None:
        body_text = decoded_text(body)
        if body.get_content_type() == "text/html":
            body_text = text.html_to_text(body_text)
    parts = []
    for index, part in enumerate(message.walk(), start=1):
        if part.is_multipart() or part is body:
            continue
        content_type = part.get_content_type()
        name = _filename(part)
        if not name and content_type in ("text/plain", "text/html"):
            continue  # the other alternative of the body, or a forwarded message's text
        if not name:
            if content_type == "message/delivery-status":
                continue
            name = f"part-{index}"
        try:
            content = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001
            content = b""
        parts.append(Part(name=name, content=content, content_type=content_type))
    return body_text, parts


def _filename(part) -> str:
    try:
        name = part.get_filename() or ""  # RFC 2231 and RFC 2047 both
    except Exception:  # noqa: BLE001
        name = ""
    # A name, never a path the sender chose.
    return one_line(name.replace("\\", "/").rsplit("/", 1)[-1])[:200]


def decoded_text(part) -> str:
    """A text part in its charset; an unknown or lying charset costs a few characters
    (replaced), never the message."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")
