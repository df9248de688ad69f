"""A generated ticket's service level clocks: its dues, and the clock and pause rows they
rest on, as sla/ would have stored them (sla/bulk.py works them out, from the database's
calendars and targets: `seed_bulk` makes the default ones). Without sla, none.
"""

from django.apps import apps

# first_response_due_at, first_responded_at, resolution_due_at, due_at, sla_paused_at
NONE = (None,) * 5


class Clocks:
    """`ticket(id, life)` gives (the ticket's five clock fields, {model: rows})."""

    def __init__(self):
        installed = apps.is_installed("sla")
        self.levels = apps.get_app_config("sla").generated_clocks() if installed else None
        # The tables sla keeps them in: {model: its columns but the id, in the rows' order}.
        self.columns = self.levels.columns if self.levels else {}

    def ticket(self, ticket_id: int, life) -> tuple[tuple, dict]:
        if self.levels is None:
            return NONE, {}
        return self.levels.ticket(ticket_id, life)
