"""A mail's text as a ticket keeps it: HTML reduced to plain text (never stored as
markup), and a reply cut down to what the person wrote, without the quoted history
and the signature below it."""

import re
from html import unescape
from html.parser import HTMLParser

import nh3

from tickets.notifications import REPLY_MARK

BLOCKS = {"p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "hr"}


class _Text(HTMLParser):
    """Text of sanitised HTML: blocks become lines, quotes become "> " lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.quote = 0

    def _newline(self):
        self.out.append("\n" + "> " * self.quote)

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.quote += 1
            self._newline()
        elif tag == "br" or tag in BLOCKS:
            self._newline()
        elif tag == "li":
            self._newline()
            self.out.append("- ")

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline()
        elif tag in BLOCKS:
            self._newline()

    def handle_data(self, data):
        self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text of an HTML body. nh3 first keeps only harmless structure (no script,
    style, attributes or comments), so the parser below only ever sees clean HTML."""
    clean = nh3.clean(
        html,
        tags=BLOCKS | {"br", "li", "blockquote", "span", "b", "i", "u", "em", "strong", "a", "td"},
        attributes={},
        clean_content_tags={"script", "style", "head", "title"},
        strip_comments=True,
        link_rel=None,
    )
    parser = _Text()
    parser.feed(clean)
    parser.close()
    lines = [unescape(line).rstrip() for line in "".join(parser.out).split("\n")]
    lines = [line.strip() if line.strip() != ">" else ">" for line in lines]
    return tidy("\n".join(lines))


def tidy(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    value = "\n".join(line.rstrip() for line in value.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", value).strip()


# The line that starts a quoted reply, in the languages people write to us in; mail
# programs wrap a long one, so the attribution may start a line earlier.
_WROTE = r"(?:wrote|schrieb|a écrit|escribió|yazdı|пишет|написал|написала|написал\(а\)|نوشت)"
WROTE = re.compile(
    rf"^(?:(?:On|Am|Le|El)\s[^\n]{{0,300}}\n|[^\n]{{0,300}}(?:tarihinde|tarihli)[^\n]{{0,300}}\n)?"
    rf"[^\n]{{0,300}}{_WROTE}\s*:\s*$",
    re.MULTILINE,
)
HISTORY_STARTS = re.compile(
    r"^(?:-{3,}\s*(?:Original Message|Orijinal İleti|Özgün İleti|Исходное сообщение|پیام اصلی)"
    r"\s*-{3,}|_{20,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook's header block: "From: ..." with "Sent:"/"Date:" on one of the next lines.
OUTLOOK_HEADER = re.compile(
    r"^\*?(?:From|Kimden|От|از)\s*:\*?\s.+\n(?:.*\n){0,2}?\*?"
    r"(?:Sent|Date|Gönderildi|Tarih|Отправлено|Дата|ارسال)\s*:",
    re.MULTILINE,
)
SIGNATURE = re.compile(
    r"^(?:-- ?|__|Sent from my .+|Get Outlook for .+|iPhone'umdan gönderildi|"
    r"Отправлено с .+|ارسال شده از .+)$",
    re.MULTILINE,
)


def reply_text(value: str) -> str:
    """What the person wrote above the quoted history and their signature."""
    value = tidy(value)
    lines = value.split("\n")
    for index, line in enumerate(lines):
        if line.lstrip("> ").startswith(REPLY_MARK):
            value = "\n".join(lines[:index])
            break
    value = new_text(value)
    cut = len(value)
    for pattern in (WROTE, HISTORY_STARTS, OUTLOOK_HEADER):
        for match in pattern.finditer(value):
            # A "wrote:" line that spans two lines starts on the first of them.
            cut = min(cut, match.start())
            break
    value = value[:cut]
    kept = [line for line in value.split("\n") if not line.startswith(">")]
    return tidy("\n".join(kept))


FORWARDED = re.compile(r"^\s*(?:Fwd?|FW|İlt|İLT|Пересл|Fw|ارسال)\s*:", re.IGNORECASE)


def ticket_text(value: str, subject: str) -> str:
    """The description of a ticket a mail files: a forwarded message keeps what it
    forwards; anything else loses quoted history, as a reply whose thread was lost."""
    return new_text(value) if FORWARDED.match(subject) else reply_text(value)


def new_text(value: str) -> str:
    """The text of a new ticket: everything but the signature (a forwarded message
    below stays: it is what the ticket is about)."""
    value = tidy(value)
    match = SIGNATURE.search(value)
    if match:
        value = value[: match.start()]
    return tidy(value)
