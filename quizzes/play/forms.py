from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quizzes.models import Channel, Difficulty
from quizzes.play.services import PlayError

MAX_KEY = 80
MAX_SELECTED = 20


class ScenarioFilterForm(forms.Form):
    """Filters for /scenarios/; unknown values give a form error, never a crash."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any"))] + Channel.choices
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        required=False,
        choices=[("", _("Any"))] + Difficulty.choices,
    )

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        # By the published topic and difficulty, as the cards show them (never a draft's).
        topics = {t.slug: t.title for t in (s.published_topic for s in scenarios) if t}
        self.fields["topic"].choices = [("", _("Any"))] + sorted(
            topics.items(), key=lambda item: item[1]
        )

    def filter(self, scenarios):
        rows = list(scenarios)
        if not self.is_bound or not self.is_valid():
            return rows
        data = self.cleaned_data
        return [
            s
            for s in rows
            if (not data["topic"] or getattr(s.published_topic, "slug", "") == data["topic"])
            and (not data["channel"] or s.published_channel == data["channel"])
            and (not data["difficulty"] or s.published_difficulty == data["difficulty"])
        ]


def parse_answer(post: QueryDict) -> tuple[str, str, list[str]]:
    """Read (step, choice, ticked options) from an answer form; reject malformed input."""
    step_key = post.get("step", "")
    choice_key = post.get("choice", "")
    selected = post.getlist("options")
    if not step_key or len(step_key) > MAX_KEY:
        raise PlayError(gettext("The answer form was incomplete. Please answer again."), status=400)
    if len(choice_key) > MAX_KEY or len(selected) > MAX_SELECTED:
        raise PlayError(gettext("That answer is not one of the options."), status=400)
    if any(len(key) > MAX_KEY for key in selected):
        raise PlayError(gettext("That answer is not one of the options."), status=400)
    return step_key, choice_key, selected
