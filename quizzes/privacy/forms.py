from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from awareness.accounts.forms import confirm_password
from awareness.models import User


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and all my results will be deleted for good."),
    )

    def __init__(self, *args, user: User, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        confirm_password(request=self.request, user=self.user, password=password)
        return password
