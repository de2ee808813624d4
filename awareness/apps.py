from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_role_groups_handler(sender, **kwargs) -> None:
    # post_migrate fires once per app, in INSTALLED_APPS order; act after the last app, when
    # the content types and permissions of every app exist.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from awareness.roles import sync_role_groups

    sync_role_groups()


class AwarenessConfig(AppConfig):
    name = "awareness"
    verbose_name = _("Awareness")

    def ready(self) -> None:
        post_migrate.connect(sync_role_groups_handler, dispatch_uid="sync_role_groups")

        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from awareness.accounts import login_guard

        user_login_failed.connect(login_guard.on_login_failed, dispatch_uid="login_guard_failed")

        from django.db.models.signals import post_delete, post_save

        from awareness.page_cache import page_generation_bump

        # Visitors' cached pages show topics and scenarios: any change retires them all.
        for model in ("awareness.Topic", "quizzes.Scenario"):
            for signal in (post_save, post_delete):
                signal.connect(
                    page_generation_bump, sender=model, dispatch_uid=f"page_cache_{model}"
                )
        user_logged_in.connect(login_guard.on_logged_in, dispatch_uid="login_guard_logged_in")
