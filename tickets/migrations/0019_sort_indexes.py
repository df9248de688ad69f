from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0018: PostgreSQL builds no index on a table its transaction has just
    # updated (pending trigger events).

    dependencies = [
        ('tickets', '0018_assignee_key'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_read',
        ),
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_resolved',
        ),
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_subject',
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['priority_rank', '-id'], name='ticket_priority_asc'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['status', '-id'], name='ticket_status'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['-status', '-id'], name='ticket_status_desc'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['read_at', '-id'], name='ticket_read'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['-read_at', '-id'], name='ticket_read_desc'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['resolved_at', '-id'], name='ticket_resolved'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['-resolved_at', '-id'], name='ticket_resolved_desc'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['subject', '-id'], name='ticket_subject'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['-subject', '-id'], name='ticket_subject_desc'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['assignee_key', '-id'], name='ticket_assignee_key'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['-assignee_key', '-id'], name='ticket_assignee_key_desc'),
        ),
        # Fresh statistics for the rewritten table (as 0008).
        migrations.RunSQL("ANALYZE tickets_ticket", migrations.RunSQL.noop),
    ]
