"""Sign-up, sign-in and password change (Django's auth views with our forms and limits)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from awareness.accounts import login_guard
from awareness.accounts.forms import LoginForm, PasswordChangeWithConsentForm, SignupForm
from awareness.accounts.services import account_create, account_set_password
from awareness.throttle import client_ip, throttle_exceeded, throttle_hit, too_many_requests

# Sign-up tells whether a username is taken, so it could list the pupils' accounts (their
# names follow a pattern). Refused names are limited per address: a class signing up together
# meets a few, a scan meets thousands.
SIGNUP_WINDOW = 600
SIGNUP_REFUSED_NAMES_PER_ADDRESS = 20


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:home")
    address = client_ip(request)
    if request.method == "POST" and throttle_exceeded(
        "signup-name", address, limit=SIGNUP_REFUSED_NAMES_PER_ADDRESS, window=SIGNUP_WINDOW
    ):
        return too_many_requests(
            request,
            _("Too many usernames that were already taken were tried from here."),
            retry_after=SIGNUP_WINDOW,
        )
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid() and "username" in form.errors:
        throttle_hit("signup-name", address, window=SIGNUP_WINDOW)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                role=form.cleaned_data.get("role") or "student",
            )
        except ValidationError as error:  # the name (or a look-alike) was taken meanwhile
            form.add_error("username", error)
            return render(request, "registration/signup.html", {"form": form})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/signup.html", {"form": form})


def _must_wait(request: HttpRequest, wait: int) -> HttpResponse:
    return too_many_requests(
        request,
        _("Too many wrong passwords were tried for this account, from several places."),
        retry_after=wait,
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if wait := login_guard.username_wait(request.POST.get("username", "")):
            return _must_wait(request, wait)
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        """Teachers land on their classes, everyone else on the home page (a ?next= wins)."""
        if self.request.user.is_authenticated and self.request.user.is_teacher:
            return resolve_url("classes:list")
        return super().get_default_redirect_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeWithConsentForm
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        # Not Django's form_valid: its form.save() would hash the new password a second time.
        user = account_set_password(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            allow_teacher_reset=form.cleaned_data.get("allow_teacher_reset"),
        )
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())
