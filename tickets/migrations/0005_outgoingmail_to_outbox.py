from django.db import migrations, models


class Migration(migrations.Migration):
    """Hand the mail outbox to its own app (outbox 0001) with its table and rows.

    The database keeps "tickets_outgoingmail" and every row; only the foreign key
    constraint to tickets goes, so that the outbox depends on no app. The model leaves
    tickets' state here and enters the outbox's in outbox 0001.
    """

    dependencies = [
        ("tickets", "0004_priority_index"),
    ]

    operations = [
        # The same bigint column, no longer a foreign key: drops the constraint only.
        migrations.AlterField(
            model_name="outgoingmail",
            name="ticket",
            field=models.BigIntegerField(
                blank=True, null=True, db_index=True, db_column="ticket_id"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingMail")],
            database_operations=[],
        ),
    ]
