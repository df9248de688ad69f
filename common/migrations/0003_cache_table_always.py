"""The database cache's table whatever the cache was when the site was migrated: 0001 made
it only without Redis, so a site migrated with REDIS_URL and later run without it found
no table and answered every page with an error."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "helpdesk_cache"  # the cache's LOCATION in settings.py when there is no Redis


def create_cache_table(apps, schema_editor):
    """Made when missing, left as it is when there."""
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


class Migration(migrations.Migration):
    dependencies = [("common", "0002_version")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
