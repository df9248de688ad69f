"""The database router: the primary for everything but the reads of marked views.

Reads go to the replica only inside a view marked `@reads_from_replica`, when the user
did not write within HELPDESK_REPLICA_LAG_SECONDS, and outside a transaction on the
primary (a read there belongs to that transaction); a related row read from a row that
came from the replica comes from there too. Writes, and migrations, only ever go to
the primary. Without DATABASE_REPLICA_URL everything goes to the primary.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from .replica import REPLICA, replica_allowed


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if replica_allowed() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        # Django's own choice: the database of the row this read starts from, if any,
        # else the primary.
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database seen twice: rows read from the replica relate to the primary's.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
