import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_user_supervising'),
        ('categories', '0002_profiles_scope'),
        ('tickets', '0022_team_subject_sort'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The new indexes first: lookups by assignee keep one throughout.
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['assignee', 'category_key', '-id'], name='ticket_assignee_cat'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['assignee', '-category_key', '-id'], name='ticket_assignee_cat_desc'),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='assignee',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assigned_tickets', to=settings.AUTH_USER_MODEL, verbose_name='assignee'),
        ),
    ]
