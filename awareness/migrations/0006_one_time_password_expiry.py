"""When each one-time password was issued (they expire), and the pupil's consent to a teacher
reset.

One-time passwords already handed out get today's date: they expire ONE_TIME_PASSWORD_DAYS
after this migration rather than at once, so no pupil is locked out by the upgrade.
"""

from django.db import migrations, models
from django.utils import timezone


def stamp_outstanding_one_time_passwords(apps, schema_editor):
    User = apps.get_model("awareness", "User")
    User.objects.filter(must_change_password=True, created_by__isnull=False).update(
        one_time_password_issued_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("awareness", "0005_username_key")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="one_time_password_issued_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="one-time password issued"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="allow_teacher_reset",
            field=models.BooleanField(default=False, verbose_name="teacher may reset password"),
        ),
        migrations.RunPython(stamp_outstanding_one_time_passwords, migrations.RunPython.noop),
    ]
