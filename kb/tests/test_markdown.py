from html.parser import HTMLParser

import pytest

from kb.markdown import render

VECTORS = [
    "<script>alert(1)</script>",
    "<iframe src='https://evil.example'></iframe>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<<script>script>alert(1)<</script>/script>",
    "```\n</code><script>alert(1)</script>\n```",
]


class Markup(HTMLParser):
    """Every real tag and attribute in the output, as a browser parses it."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("vector", VECTORS)
def test_no_script_frame_handler_or_script_link_survives_rendering(vector):
    markup = Markup(render(f"Before\n\n{vector}\n\nafter"))
    assert markup.tags  # the paragraphs around it
    for tag, attributes in markup.tags:
        assert tag not in {"script", "iframe", "svg", "style", "object", "embed"}
        assert not [name for name in attributes if name.startswith("on") or name == "style"]
        for name in ("href", "src"):
            url = (attributes.get(name) or "").strip().lower()
            assert not url.startswith(("javascript", "data", "vbscript")), url


def test_markdown_is_rendered_and_links_get_nofollow_noopener():
    html = render("# Title\n\n- one\n- **two**\n\n[site](https://example.org/a)")
    assert "<h1>Title</h1>" in html
    assert "<li><strong>two</strong></li>" in html
    assert '<a href="https://example.org/a" rel="nofollow noopener">site</a>' in html


def test_a_table_and_an_image_on_the_site_survive():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n![plan](/attachments/3/)")
    assert "<td>1</td>" in html
    assert '<img src="/attachments/3/" alt="plan">' in html
