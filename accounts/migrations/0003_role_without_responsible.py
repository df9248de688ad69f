from django.db import migrations, models


def responsibles_become_members(apps, schema_editor):
    # Handling tickets is team membership now; the role keeps only the scope.
    apps.get_model("accounts", "User").objects.filter(role="responsible").update(role="member")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_directory_and_registration")]

    operations = [
        migrations.RunPython(responsibles_become_members, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[("member", "Member"), ("supervisor", "Supervisor")],
                default="member",
                max_length=20,
                verbose_name="role",
            ),
        ),
    ]
