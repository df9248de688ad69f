"""What capability apps add to a ticket's page, without tickets/ importing them.

An app registers a panel in its AppConfig.ready(): a template, and a function of the
ticket and the reader that returns the template's context, or None to show nothing.
The page renders the panels in the order they were registered, each with one call
(and so a fixed number of queries) per page.

A panel may also name a fact of the ticket's row: a name and a function returning an
expression of it (`Exists(... OuterRef("pk"))`). The page reads it with the ticket, as
an attribute of that name, so that the panel can tell it has nothing to show without a
query of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]
    fact: tuple[str, Callable[[], Expression]] | None = None


_panels: list[Panel] = []


def register(
    template: str,
    context: Callable[..., dict | None],
    *,
    fact: tuple[str, Callable[[], Expression]] | None = None,
) -> None:
    if not any(panel.template == template for panel in _panels):
        _panels.append(Panel(template, context, fact))


def facts() -> dict[str, Expression]:
    """The panels' facts, to annotate the page's ticket with (selectors.ticket_for_detail)."""
    return {panel.fact[0]: panel.fact[1]() for panel in _panels if panel.fact}


def for_ticket(ticket, user) -> list[tuple[str, dict]]:
    """The (template, context) of each panel that has something to show this reader."""
    shown = []
    for panel in _panels:
        context = panel.context(ticket, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
