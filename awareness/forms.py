from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from awareness.models import User


class SignupForm(BaseUserCreationForm):
    """Username and password only; the role choice appears only while teacher sign-up is open."""

    role = forms.ChoiceField(
        label=_("I am a"),
        choices=User.Role.choices,
        initial=User.Role.STUDENT,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta(BaseUserCreationForm.Meta):
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

    def clean_role(self) -> str:
        return self.cleaned_data.get("role") or User.Role.STUDENT


class LoginForm(AuthenticationForm):
    """Django's login form, refusing over-long usernames before they reach the throttle log
    (which stores the username in a 255-character column)."""

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username", "")
        if len(username) > User._meta.get_field("username").max_length:
            raise forms.ValidationError(
                _("Please enter a correct username and password."), code="invalid_login"
            )
        return username
