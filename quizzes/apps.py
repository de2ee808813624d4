from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Scenarios")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from quizzes.receivers import claim_visitor_data

        # As django.contrib.auth connects update_last_login: the account views need not know
        # about quizzes.
        user_logged_in.connect(claim_visitor_data, dispatch_uid="quizzes_claim_visitor_data")
