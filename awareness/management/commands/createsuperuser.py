"""manage.py createsuperuser, refusing usernames that pass for another account's.

Django's command only refuses an exactly equal username, and the database would then refuse a
look-alike with an IntegrityError traceback; this asks again, or stops with the reason.
"""

from django.contrib.auth.management.commands import createsuperuser
from django.core.exceptions import ValidationError

from awareness.accounts.services import username_validate


class Command(createsuperuser.Command):
    # _validate_username is Django's hook for both the prompt and --noinput: an error message
    # returned here is shown and the username asked again (or the command stops).
    def _validate_username(self, username, verbose_field_name, database):
        error = super()._validate_username(username, verbose_field_name, database)
        if error or not username:
            return error
        try:
            username_validate(username=username)
        except ValidationError as invalid:
            return "Error: " + "; ".join(invalid.messages)
        return None
