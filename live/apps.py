from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live class mode: a class plays a scenario together (projector, teacher, phones)."""

    name = "live"
    label = "live"
    verbose_name = _("Live class sessions")
    default_auto_field = "django.db.models.BigAutoField"
