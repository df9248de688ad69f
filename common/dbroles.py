"""The database role the site runs as: it owns nothing and may not change the log.

On PostgreSQL, migrations run as the tables' owner; the web and worker processes
connect as another role (DATABASE_SITE_ROLE) with only the rights written here:
read and write the ordinary tables, add to the append-only ones (models that say
`APPEND_ONLY = True`) but never update, delete or truncate them, and leave the
migration history alone. A role that owns nothing cannot alter a table or switch a
trigger off either.
"""

import re

from django.apps import apps
from django.db import connections, transaction


def append_only_tables() -> list[str]:
    return sorted(
        model._meta.db_table for model in apps.get_models() if getattr(model, "APPEND_ONLY", False)
    )


def grant_statements(role: str, database: str, quote) -> list[str]:
    role, database = quote(role), quote(database)
    statements = [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # The redaction functions are the only way to change the log (tickets 0006).
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM {role}",
        # Tables made later by the same owner outside a migration (`createcachetable`).
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    statements += [
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(table)} FROM {role}"
        for table in append_only_tables()
    ]
    return statements


# A plain PostgreSQL name: quote_name does not escape a quote inside one.
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def grant(role: str, using: str = "default") -> list[str]:
    """Give `role` the site's rights on the database `using` (PostgreSQL only), all at
    once: never a moment with the rights granted but the log's not yet taken back."""
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain role name (letters, digits, _).")
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    statements = grant_statements(role, connection.settings_dict["NAME"], connection.ops.quote_name)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: new tables reach the site's role as soon as they exist."""
    from django.conf import settings

    if settings.DATABASE_SITE_ROLE:
        grant(settings.DATABASE_SITE_ROLE, using)
