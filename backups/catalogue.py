"""What a backup holds: every table of every installed app in an order its rows can be
loaded in, the files those rows name, and the schema version they fit.

Plain ids throughout, no natural keys: a restore goes into a new database of the same
version and keeps every id, so that every reference (content types included) holds.
"""

import hmac
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.migrations.executor import MigrationExecutor

# The tables `migrate` itself fills in a new database. A restore replaces their rows by
# the backup's (same rows, with the ids the other tables point at); a row in any other
# table means the database is not empty. A test checks this list against `migrate`.
MADE_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission", "tickets.ticketkind"})


class NotMigrated(Exception):
    """The database's schema is behind (or ahead of) this code's migrations."""


def label(model) -> str:
    return model._meta.label_lower


def models_in_order() -> list[type[models.Model]]:
    """Every table's model, many-to-many tables included, each after those it points to
    where no loop prevents it (foreign keys are checked at commit in any case)."""
    tables = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and getattr(model, "BACKED_UP", True)
    ]
    needs = {
        model: {
            field.related_model._meta.concrete_model
            for field in model._meta.local_fields
            if field.remote_field and field.related_model is not model
        }
        & set(tables)
        for model in tables
    }
    ordered, left = [], list(tables)
    while left:
        ready = next((m for m in left if needs[m] <= set(ordered)), left[0])
        ordered.append(ready)
        left.remove(ready)
    return ordered


def table_fields(model) -> list[str]:
    """The model's own columns: many-to-many links travel as rows of their own tables."""
    return [field.name for field in model._meta.local_fields if field.serialize]


def file_names(model, using: str) -> Iterator[str]:
    """Each stored file that the model's rows name, once each (all in the default
    storage, as the attachments are)."""
    for field in model._meta.local_fields:
        if isinstance(field, models.FileField):
            names = (
                model._base_manager.using(using)
                .exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .order_by(field.name)
                .values_list(field.name, flat=True)
                .distinct()
            )
            yield from names.iterator(chunk_size=2000)


def version(using: str) -> dict[str, str]:
    """The newest migration of each app, when the database is migrated to this code."""
    executor = MigrationExecutor(connections[using])
    leaves = executor.loader.graph.leaf_nodes()
    pending = executor.migration_plan(leaves)
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        raise NotMigrated(f"{len(pending)} migration(s) not applied ({names})")
    return dict(sorted(leaves))


def log_key_check() -> str:
    """Tells whether two sites share HELPDESK_LOG_KEY without telling the key: a restored
    action log verifies only under the key its hashes were made with."""
    key = settings.HELPDESK_LOG_KEY.encode()
    return hmac.new(key, b"backups: the log key", "sha256").hexdigest()
