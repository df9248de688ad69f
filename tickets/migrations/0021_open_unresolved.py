from django.conf import settings
from django.db import migrations, models

OPEN_STATUSES = ('waiting', 'in_progress', 'info_requested', 'redirected')


def clear_open_resolutions(apps, schema_editor):
    """No version wrote one (reopening clears it), but a database edited by hand may
    hold some, which the constraint would refuse."""
    Ticket = apps.get_model('tickets', 'Ticket')
    Ticket.objects.filter(status__in=OPEN_STATUSES).exclude(resolved_at=None).update(
        resolved_at=None
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_user_supervising'),
        ('categories', '0002_profiles_scope'),
        ('tickets', '0020_requester_organisation_sort'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(clear_open_resolutions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='ticket',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ('waiting', 'in_progress', 'info_requested', 'redirected')), _negated=True), ('resolved_at', None), _connector='OR'), name='open_unresolved'),
        ),
    ]
