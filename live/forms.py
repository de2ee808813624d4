from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from awareness.models import User
from live.models import NICKNAME_MAX
from live.services import LIVE_CODE_LENGTH, nickname_clean
from quizzes.models import Classroom, Scenario
from quizzes.play.selectors import published_scenarios


class LiveCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Live code"),
        # Room for the spaces and hyphens people type between groups of characters.
        max_length=LIVE_CODE_LENGTH * 2,
        help_text=_("The 6 letters and digits on the screen at the front."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class NicknameField(forms.CharField):
    """Cleans before the length is checked: control and invisible characters do not count."""

    def to_python(self, value: Any) -> str:
        return nickname_clean(super().to_python(value) or "")


class NicknameForm(forms.Form):
    nickname = NicknameField(
        label=_("Nickname"),
        max_length=NICKNAME_MAX,
        help_text=_("Only your teacher can see it, and it is deleted when the session ends."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ScenarioChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.published_title


class LiveNewForm(forms.Form):
    scenario: ScenarioChoiceField = ScenarioChoiceField(
        label=_("Scenario"), queryset=Scenario.objects.none(), empty_label=None
    )
    classroom: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Class"),
        queryset=Classroom.objects.none(),
        required=False,
        empty_label=_("No class: a room of guests"),
        help_text=_("Signed-in students of the class keep their votes in the class's results."),
    )

    def __init__(self, *args: Any, teacher: User, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The scenarios in the reader's language (else in English), as students list them.
        scenarios = cast("forms.ModelChoiceField[Scenario]", self.fields["scenario"])
        scenarios.queryset = (
            published_scenarios(language).select_related(None).only("id", "published_title")
        )
        classes = cast("forms.ModelChoiceField[Classroom]", self.fields["classroom"])
        classes.queryset = Classroom.objects.filter(teacher=teacher, is_archived=False).only(
            "id", "name"
        )
