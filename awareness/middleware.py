from django.shortcuts import redirect
from django.urls import reverse

# Views a pupil may reach while they still hold a teacher-issued one-time password.
ALLOWED_URL_NAMES = (
    "accounts:password_change",
    "accounts:logout",
    "set_language",
    "language-switch",
)


def no_user_needed(view_func):
    """Mark a view that must not load the user or the session (e.g. the health check)."""
    view_func.no_user_needed = True
    return view_func


class PasswordChangeRequiredMiddleware:
    """Sends a pupil with a one-time password to set their own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "no_user_needed", False):
            return None
        user = request.user
        if user.is_authenticated and user.must_change_password:
            if request.path not in {reverse(name) for name in ALLOWED_URL_NAMES}:
                return redirect("accounts:password_change")
        return None
