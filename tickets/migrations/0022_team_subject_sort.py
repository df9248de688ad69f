from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_user_supervising'),
        ('categories', '0002_profiles_scope'),
        ('tickets', '0021_open_unresolved'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['category', 'subject', '-id'], name='ticket_cat_subject'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['category', '-subject', '-id'], name='ticket_cat_subject_desc'),
        ),
    ]
