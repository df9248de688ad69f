from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0007: PostgreSQL builds no index on a table its transaction has just
    # updated (pending trigger events).

    dependencies = [
        ('tickets', '0007_sort_keys'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['organisation_key', '-id'], name='ticket_org_key'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['-organisation_key', '-id'], name='ticket_org_key_desc'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['category_key', '-id'], name='ticket_cat_key'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['-category_key', '-id'], name='ticket_cat_key_desc'),
        ),
        # Fresh statistics for the rewritten table, or the planner guesses until
        # autovacuum comes by (a union member's list took 262 ms instead of 55).
        migrations.RunSQL("ANALYZE tickets_ticket", migrations.RunSQL.noop),
    ]
