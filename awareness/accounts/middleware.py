from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

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


class PrivatePagesMiddleware:
    """Marks every page served to someone with a session ``Cache-Control: private, no-store``.

    Signed-in pages (a class's results, a student's progress, the join page) and a visitor's
    own progress must not come back from the browser's cache with the back button after
    logout on a shared school computer, nor be kept by any proxy. Cookie-less visitors' pages
    stay cacheable; static files are answered by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session_cookie = settings.SESSION_COOKIE_NAME
        if session_cookie in request.COOKIES or session_cookie in response.cookies:
            patch_cache_control(response, private=True, no_store=True)
        return response
