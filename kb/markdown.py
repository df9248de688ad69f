"""Markdown to safe HTML: the one place an article's text becomes markup.

markdown-it-py parses (with raw HTML off, so typed tags stay text), then nh3 keeps only
the allow-list below: whatever the parser lets through, no script, iframe, event
handler, style or javascript: link survives.
"""

import nh3
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
# Relative links (our own pages and files) and these schemes only.
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str) -> str:
    """An article's Markdown as HTML that is safe to mark safe in a template."""
    return nh3.clean(
        _PARSER.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
