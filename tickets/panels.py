"""Boxes that capability apps add to a ticket's page without tickets importing them.

A receiver of `detail_panels` gets `request` and `ticket` and returns HTML it rendered
(a template's output, escaped there) or "" for none; the page shows each in turn. It
must check for itself who may see what it shows.
"""

import django.dispatch
from django.utils.safestring import SafeString

detail_panels = django.dispatch.Signal()


def render(request, ticket) -> list[SafeString]:
    answers = detail_panels.send(sender=ticket.__class__, request=request, ticket=ticket)
    return [html for _receiver, html in answers if isinstance(html, SafeString) and html]
