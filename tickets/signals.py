"""Signals tickets/ sends for the capability apps that react to tickets (webhooks,
service levels, metrics). tickets/ never imports them: they connect here.

`workflow.status_changed` (a status moved) lives beside `transition`; these are the others.
"""

import django.dispatch

# Sent inside the change's transaction each time a service writes an action log entry,
# after the row is saved (so `event.pk` is set). Arguments: `ticket` (the locked row, as
# the service has changed it so far), `event` (the TicketEvent), `by` (None for periodic
# work). A receiver that writes rows writes them in that transaction: they commit or
# roll back with the change.
event_logged = django.dispatch.Signal()

# Sent when sla/ records that a ticket missed a due, once per ticket and clock, inside
# the transaction that records it (`services.record_breach`); webhooks/ tells the hooks
# that registered `sla.breached`. Arguments: `ticket`, `kind` ("first_response" or
# "resolution"), `due_at` (the datetime that passed).
sla_breached = django.dispatch.Signal()

# Sent by `seed_demo` once a deployment profile's demo data is in place, inside its
# transaction, for the capability apps to add theirs (sla/: the vendor's contract's
# service levels). Argument: `profile` ("tesk", "agency", "vendor" or "portal").
demo_seeded = django.dispatch.Signal()
