from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from awareness.forms import LoginForm, SignupForm
from awareness.middleware import no_user_needed
from awareness.services import account_create, account_set_password
from quizzes.services.attempts import VISITOR_SESSION_KEY, attempts_claim
from quizzes.services.check import check_sessions_claim


@no_user_needed
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe: no session, no template, no database."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("awareness:home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = account_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            role=form.cleaned_data.get("role") or "student",
        )
        visitor = request.session.get(VISITOR_SESSION_KEY, "")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        attempts_claim(user=user, visitor_id=visitor)
        check_sessions_claim(user=user, visitor_id=visitor)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        visitor = self.request.session.get(VISITOR_SESSION_KEY, "")
        response = super().form_valid(form)
        # Attempts played before logging in move to the account.
        attempts_claim(user=form.get_user(), visitor_id=visitor)
        check_sessions_claim(user=form.get_user(), visitor_id=visitor)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        account_set_password(user=form.user, password=form.cleaned_data["new_password1"])
        return super().form_valid(form)


@require_GET
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language with a plain GET form (no JavaScript, no CSRF token, so
    public pages stay cacheable); the language is only a preference cookie."""
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."), content_type="text/plain")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
