"""What capability apps add to a ticket's page, without tickets/ importing them.

An app registers a panel in its AppConfig.ready(): a template, and a function of the
ticket and the reader that returns the template's context, or None to show nothing.
The page renders the panels in the order they were registered, each with one call
(and so a fixed number of queries) per page.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]


_panels: list[Panel] = []


def register(template: str, context: Callable[..., dict | None]) -> None:
    if not any(panel.template == template for panel in _panels):
        _panels.append(Panel(template, context))


def for_ticket(ticket, user) -> list[tuple[str, dict]]:
    """The (template, context) of each panel that has something to show this reader."""
    shown = []
    for panel in _panels:
        context = panel.context(ticket, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
