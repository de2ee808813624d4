"""The answer form of the spot-the-scam check: a verdict and how sure the student is."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import CheckAnswer

SCAM = "scam"
GENUINE = "genuine"


class CheckAnswerForm(forms.Form):
    """Scam or not, and a confidence from 1 (not sure) to 3 (certain).

    Error messages never repeat the submitted value: it may be huge or hostile.
    """

    verdict = forms.ChoiceField(
        label=_("Is this a scam?"),
        choices=[(SCAM, _("Scam")), (GENUINE, _("Not a scam"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose “Scam” or “Not a scam”."),
            "invalid_choice": _("Choose “Scam” or “Not a scam”."),
        },
    )
    confidence = forms.TypedChoiceField(
        label=_("How sure are you?"),
        choices=CheckAnswer.Confidence.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how sure you are."),
            "invalid_choice": _("Choose how sure you are."),
        },
    )

    def clean(self) -> dict[str, Any] | None:
        # A real form sends each field once; two verdicts at once is not an answer.
        for name, field in self.fields.items():
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(name, field.error_messages["invalid_choice"])
        return super().clean()

    @property
    def says_scam(self) -> bool:
        return self.cleaned_data["verdict"] == SCAM
