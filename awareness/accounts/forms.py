from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from awareness.accounts import login_guard
from awareness.accounts.services import username_validate
from awareness.models import User


def confirm_password(*, request: HttpRequest, user: User, password: str) -> None:
    """Check the password a signed-in user typed to confirm an action, counting wrong ones
    like failed logins (see awareness.accounts.login_guard)."""
    username = user.get_username()
    if login_guard.password_confirm_blocked(request, username):
        raise forms.ValidationError(
            _("Too many wrong passwords. Wait a few minutes, then try again."), code="throttled"
        )
    if not user.check_password(password):
        login_guard.password_confirm_failed(request, username)
        raise forms.ValidationError(_("That is not your password."), code="password_incorrect")


class GuardedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with wrong old passwords counted like failed logins."""

    def __init__(self, user: User, *args, request: HttpRequest, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        confirm_password(request=self.request, user=self.user, password=old_password)
        return old_password


class PasswordChangeWithConsentForm(GuardedPasswordChangeForm):
    """The password change; a pupil whose account a teacher created also chooses here whether
    that teacher may reset the password if they forget it (see User.teacher_may_reset)."""

    allow_teacher_reset = forms.BooleanField(
        label=_("Let my teacher reset my password if I forget it"),
        required=False,
        help_text=_(
            "Your teacher made this account. If you tick this, they can give you a new one-time "
            "password when you forget yours. If you don't, only a site administrator can. You "
            "can change this each time you change your password."
        ),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if user.created_by_id is None or not user.is_student:
            del self.fields["allow_teacher_reset"]
        else:
            self.fields["allow_teacher_reset"].initial = user.allow_teacher_reset


class SignupForm(BaseUserCreationForm):
    """Username and password only; the role choice appears only while teacher sign-up is open."""

    role = forms.ChoiceField(
        label=_("I am a"),
        choices=User.Role.choices,
        initial=User.Role.STUDENT,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta(BaseUserCreationForm.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        model = User
        fields = ("username",)
        help_texts = {
            "username": _(
                "Pick a nickname, not your real name. Letters, digits and @/./+/-/_ only."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.TEACHER_SIGNUP != "open":
            del self.fields["role"]
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        username_validate(username=username)  # taken, look-alike or mixed scripts
        return username

    def clean_role(self) -> str:
        return self.cleaned_data.get("role") or User.Role.STUDENT


class LoginForm(AuthenticationForm):
    """Django's login form, refusing over-long usernames before they reach the throttle log
    (which stores the username in a 255-character column)."""

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username", "")
        max_length = User._meta.get_field("username").max_length
        if max_length is not None and len(username) > max_length:
            raise forms.ValidationError(
                _("Please enter a correct username and password."), code="invalid_login"
            )
        return username

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.one_time_password_expired:
            raise forms.ValidationError(
                _("This one-time password has expired. Ask your teacher for a new one."),
                code="one_time_password_expired",
            )
