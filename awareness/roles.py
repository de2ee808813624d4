"""The role groups and exactly the permissions each needs.

Editors manage content in the admin (topics, scenarios, check items) and nothing else: never
users, groups or student progress. Teachers use the teacher pages, not the admin, so their group
carries no admin permissions. ``sync_role_groups`` runs after every migrate (and after the test
runner flushes tables), so the groups always match this declaration.
"""

from django.apps import apps as global_apps

EDITORS = "Editors"
TEACHERS = "Teachers"

# (app_label, model_name) pairs an editor may add, change, delete and view.
EDITOR_CONTENT_MODELS: tuple[tuple[str, str], ...] = (
    ("awareness", "topic"),
    ("quizzes", "scenario"),
    ("quizzes", "step"),
    ("quizzes", "choice"),
    ("quizzes", "spotoption"),
    ("quizzes", "redflag"),
    ("quizzes", "scenarioversion"),
    ("quizzes", "checkitem"),
)


def sync_role_groups(apps=global_apps, **kwargs) -> None:
    """Create the Editors and Teachers groups and set their permissions to the declared ones."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    Group.objects.get_or_create(name=TEACHERS)
    wanted = Permission.objects.none()
    for app_label, model in EDITOR_CONTENT_MODELS:
        wanted = wanted | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    editors.permissions.set(wanted)
