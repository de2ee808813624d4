"""Types shared by the apps' views."""

from django.http import HttpRequest

from awareness.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``: ``request.user`` is a signed-in
    ``User``, never ``AnonymousUser``. For annotations only; Django builds a plain request."""

    user: User
