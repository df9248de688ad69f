"""Django's PostgreSQL backend, with a health check that costs no round trip while the
server has said nothing.

Django checks a kept connection before each request reuses it (CONN_HEALTH_CHECKS) by a
`SELECT 1`: a statement and a round trip a request, a ninth of all the statements the
site sent under load. A server that ends a connection (a restart, an administrator's
`pg_terminate_backend`, `idle_session_timeout`, a pooler letting go) says so on it
first, or closes it, and either leaves the socket readable; an idle connection that is
still good has nothing to read. So the check asks the operating system whether there is
anything to read, without waiting, and sends the `SELECT 1` only when there is (it
then reads what the server said, and fails on a connection that is gone). A connection
cut without a word (a network gone silent) passes either check alike: a `SELECT 1` would
wait for the network's time-out too.
"""

import select

from django.db.backends.postgresql import base
from psycopg2.extensions import TRANSACTION_STATUS_IDLE


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        try:
            quiet = (
                self.connection is not None
                and not self.connection.closed
                and self.connection.info.transaction_status == TRANSACTION_STATUS_IDLE
                and not _readable(self.connection.fileno())
            )
        except (OSError, ValueError, base.Database.Error):
            return False
        return quiet or super().is_usable()


def _readable(descriptor: int) -> bool:
    """Whether there is anything to read, or the other end hung up, now (poll, not
    select: any descriptor number)."""
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))
