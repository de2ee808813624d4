"""Create the role groups. Permissions for content models are granted by the migrations that
create those models (see quizzes' migrations), so each group has exactly what it needs."""

from django.db import migrations


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("Editors", "Teachers"):
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Teachers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("awareness", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
