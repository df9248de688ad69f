import django.utils.timezone
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Carry the model's content type over, and with it any permissions granted on it."""
    _relabel(apps, schema_editor, old="tickets", new="outbox")


def move_content_type_back(apps, schema_editor):
    _relabel(apps, schema_editor, old="outbox", new="tickets")


def _relabel(apps, schema_editor, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.db_manager(schema_editor.connection.alias)
    if not content_types.filter(app_label=new, model="outgoingmail").exists():
        content_types.filter(app_label=old, model="outgoingmail").update(app_label=new)
    content_types.clear_cache()


class Migration(migrations.Migration):
    """Take over the mail outbox from tickets (tickets 0005) with its table and rows.

    The table, created by tickets 0003, keeps its name; nothing changes in the database
    but the content type's app label. The dependency on tickets is only this handover
    (the table must exist and tickets must have let go of it); outbox's code imports
    no app.
    """

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tickets", "0005_outgoingmail_to_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingMail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("ticket_id", models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ("topic", models.CharField(max_length=30)),
                        ("to", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=255)),
                        ("text", models.TextField()),
                        ("html", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "next_attempt_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                    ],
                    options={
                        "verbose_name": "outgoing e-mail",
                        "verbose_name_plural": "outgoing e-mail",
                        "db_table": "tickets_outgoingmail",
                        "ordering": ["pk"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("sent_at__isnull", True)),
                                fields=["next_attempt_at"],
                                name="mail_due",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
