from django.db import migrations, models


def responsibles_become_staff(apps, schema_editor):
    # Handling tickets is team membership; the role keeps only the scope, and a
    # responsible's scope (their teams, never their organisation's subtree) is staff's.
    User = apps.get_model("accounts", "User")
    User.objects.filter(role="responsible").update(role="staff")


def staff_become_responsibles(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role="staff").update(role="responsible")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_directory_and_registration")]

    operations = [
        migrations.RunPython(responsibles_become_staff, staff_become_responsibles),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[("member", "Member"), ("staff", "Staff"), ("supervisor", "Supervisor")],
                default="member",
                max_length=20,
                verbose_name="role",
            ),
        ),
    ]
