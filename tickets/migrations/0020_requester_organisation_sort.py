import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The organisation's and the category's kept names follow their ids one to one. Told
# so, PostgreSQL estimates "these organisations, at these names" as many rows as either
# alone (not their product, next to none), and reads such a list from the name's index
# in order rather than sorting every row it holds (tickets/selectors.py, filters.py).
STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS ticket_organisation_key (dependencies)"
    " ON organisation_id, organisation_key FROM tickets_ticket",
    "CREATE STATISTICS IF NOT EXISTS ticket_category_key (dependencies)"
    " ON category_id, category_key FROM tickets_ticket",
    "ANALYZE tickets_ticket",
)


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STATISTICS:
            schema_editor.execute(statement)


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS ticket_organisation_key")
        schema_editor.execute("DROP STATISTICS IF EXISTS ticket_category_key")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_user_supervising'),
        ('categories', '0002_profiles_scope'),
        ('tickets', '0019_sort_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The new indexes first: lookups by requester keep one throughout.
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['requester', 'organisation_key', '-id'], name='ticket_requester_org'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['requester', '-organisation_key', '-id'], name='ticket_requester_org_desc'),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='requester',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='requested_tickets', to=settings.AUTH_USER_MODEL, verbose_name='requester'),
        ),
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
