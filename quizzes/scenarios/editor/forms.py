"""The fields of the one-page editor: the scenario's own, one small form per kind of step, and
one each for a choice, a red flag and a spot option. Every field says what it is for; none asks
for an internal name (those are made by structure.py and kept in hidden inputs)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from awareness.models import Language
from quizzes.models import (
    AttachmentKind,
    Channel,
    Difficulty,
    Outcome,
    QuoteField,
    Step,
    Tactic,
)
from quizzes.scenarios.forms import TacticsField
from quizzes.scenarios.step_admin import DiscussionField

# The value of a "next" select that asks for a new blank step there.
NEW_STEP = "new"
# What the new step is: a kind, or an ending with its outcome (an ending needs one).
ENDING_PREFIX = "ending:"
NEW_STEP_KINDS: list[tuple[str, Any]] = [
    (Step.Kind.MESSAGE, Step.Kind.MESSAGE.label),
    (Step.Kind.NARRATION, Step.Kind.NARRATION.label),
    (Step.Kind.DECISION, Step.Kind.DECISION.label),
    (Step.Kind.SPOT, Step.Kind.SPOT.label),
    *[
        (f"{ENDING_PREFIX}{value}", _("Ending: %(outcome)s") % {"outcome": label})
        for value, label in Outcome.choices
    ],
]

TEXT_AREA = {"rows": 3, "cols": 60}
WIDE = {"size": 60}


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class EditorForm(forms.Form):
    """The editor's forms: rows of the admin's layout, no browser-side "required" (the page
    re-renders whatever the editor typed, with the problems next to their fields)."""

    use_required_attribute = False


# --- the scenario -------------------------------------------------------------------------------


class ScenarioFieldsForm(EditorForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_(
            "The name students see in the list, e.g. “A parcel fee by text”. The scenario's web "
            "address is made from it."
        ),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("One or two sentences shown under the title in the list of scenarios."),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        help_text=_("The kind of fraud this scenario is about, in the scenario's language."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("The language it is written in: students see the scenarios of their language."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=_blank("---------") + Channel.choices,
        help_text=_(
            "Where the messages arrive. A message can arrive on another channel of its own "
            "(under “More about the message”)."
        ),
    )
    genuine = forms.BooleanField(
        label=_("The messages are genuine"),
        required=False,
        help_text=_(
            "The messages are real: the right move is to check through an official route and "
            "then act; ignoring them costs something (an ending “missed out”)."
        ),
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        choices=_blank("---------") + Difficulty.choices,
        help_text=_("How hard the trick is to see through: easy for a first lesson."),
    )
    estimated_minutes = forms.IntegerField(
        label=_("Estimated minutes"),
        min_value=1,
        max_value=60,
        initial=5,
        widget=forms.NumberInput(attrs={"class": "vSmallField"}),
        help_text=_("About how long one play-through takes."),
    )
    min_age = forms.IntegerField(
        label=_("Minimum age"),
        min_value=0,
        max_value=21,
        required=False,
        widget=forms.NumberInput(attrs={"class": "vSmallField"}),
        help_text=_(
            "Leave empty if it suits everyone. 15 marks sensitive material (romance scams, "
            "sextortion); teachers see the mark."
        ),
    )

    def __init__(
        self, *args: Any, topics: Sequence[tuple[str, str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.topic_languages = {value: language for value, _label, language in topics}
        choices = [(value, label) for value, label, _language in topics]
        self.fields["topic"].choices = _blank("---------") + choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        topic, language = data.get("topic"), data.get("language")
        if topic and language and self.topic_languages.get(topic) != language:
            self.add_error("topic", _("Choose a topic in the scenario's language."))
        return data


# --- steps --------------------------------------------------------------------------------------


class StepForm(EditorForm):
    """What every step has: its kind, and (hidden) the internal name it was saved under."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=Step.Kind.choices, widget=forms.HiddenInput)


class NextMixin(forms.Form):
    """A "next" select (filled with the steps' labels by structure.py) and, for "New step…",
    the kind of the new step."""

    next = forms.CharField(
        label=_("Next step"),
        required=False,
        widget=forms.Select(attrs={"data-next": ""}),
        help_text=_(
            "The step that follows. “New step…” adds a blank step of the kind you choose "
            "beside it when you save."
        ),
    )
    next_kind = forms.ChoiceField(
        label=_("Kind of new step"),
        required=False,
        choices=NEW_STEP_KINDS,
        initial=Step.Kind.MESSAGE,
        widget=forms.Select(attrs={"data-next-kind": ""}),
    )


def _text(label: Any, help_text: Any, rows: int = 3, max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "cols": 60}),
        help_text=help_text,
    )


def _sender() -> forms.CharField:
    return forms.CharField(
        label=_("From"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_(
            "The name the channel shows, e.g. “Amy (recruiter)” or “Northbank”. Only the "
            "name: the number or address goes under “More about the message”."
        ),
    )


class ChromeMixin(forms.Form):
    """What a channel shows around a message (the “More about the message” part)."""

    channel = forms.ChoiceField(
        label=_("Arrives by"),
        required=False,
        choices=_blank(_("The scenario's channel")) + Channel.choices,
        help_text=_("Only if this message comes another way, e.g. the bank's SMS after a call."),
    )
    address = forms.CharField(
        label=_("Address or number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_("The e-mail address, number, short code, handle or caller ID as shown."),
    )
    verified = forms.BooleanField(
        label=_("Verified mark"),
        required=False,
        help_text=_("The platform shows its verified mark next to the sender."),
    )
    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_("An e-mail's subject line."),
    )
    url = forms.CharField(
        label=_("Web address"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_("The address bar of a web page, or the link a message shows."),
    )
    attachment_kind = forms.ChoiceField(
        label=_("Attachment"),
        required=False,
        choices=_blank(_("No attachment")) + AttachmentKind.choices,
        help_text=_("A picture, document, voice note or the like sent with the message."),
    )
    attachment_title = forms.CharField(
        label=_("Attachment title"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_("Its file name or caption, e.g. “invoice_0423.pdf”."),
    )
    attachment_text = _text(
        _("Attachment text"), _("What the attachment says or shows, if it matters."), 2, 2000
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("attachment_kind"):
            if not data.get("attachment_title"):
                self.add_error("attachment_title", _("Give the attachment a title."))
        elif data.get("attachment_title") or data.get("attachment_text"):
            self.add_error("attachment_kind", _("Say what kind of attachment this is."))
        return data


MESSAGE_TEXT = _text(
    _("Text"),
    _("The message as the student sees it. Red flags quote it word for word."),
    rows=4,
)


class MessageForm(NextMixin, ChromeMixin, StepForm):
    sender = _sender()
    text = MESSAGE_TEXT


class NarrationForm(NextMixin, StepForm):
    text = _text(
        _("Text"), _("What happens, told to the student, e.g. “A day later, she writes again.”")
    )


class DecisionForm(StepForm):
    prompt = forms.CharField(
        label=_("Question"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_("What the student decides, e.g. “What do you reply?”"),
    )
    tactics = TacticsField(
        label=_("Tricks this decision tests"),
        help_text=_("The tricks a student must see through to choose safely."),
    )
    discussion = DiscussionField(
        label=_("Discussion questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "Two or three questions a teacher asks the class after the decision, one per "
            "line. Teachers see them; students do not."
        ),
    )


class SpotForm(NextMixin, ChromeMixin, StepForm):
    prompt = forms.CharField(
        label=_("Task"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_("What the student is asked to do, e.g. “Tap everything suspicious.”"),
    )
    sender = _sender()
    text = MESSAGE_TEXT


class EndingForm(StepForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=_blank("---------") + Outcome.choices,
        error_messages={"required": _("Choose how this ending turns out.")},
        help_text=_(
            "Safe, partly harmed, harmed, or (for genuine messages) missed out: the student "
            "sees it as the result."
        ),
    )
    text = _text(_("Text"), _("What happened in the end, in one or two sentences."))


STEP_FORMS: dict[str, type[StepForm]] = {
    Step.Kind.MESSAGE: MessageForm,
    Step.Kind.NARRATION: NarrationForm,
    Step.Kind.DECISION: DecisionForm,
    Step.Kind.SPOT: SpotForm,
    Step.Kind.ENDING: EndingForm,
}


# --- a step's parts -----------------------------------------------------------------------------


class ChoiceForm(NextMixin, EditorForm):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Choice"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs=WIDE),
        help_text=_(
            "What the student can answer or do. Write safe and risky choices alike in length "
            "and tone, so that the safe one cannot be guessed."
        ),
    )
    safe = forms.BooleanField(
        label=_("This choice is safe"),
        required=False,
        help_text=_("Every decision needs at least one safe choice."),
    )
    feedback = _text(_("Feedback"), _("Shown after the choice: why it is safe or risky."), 2)

    # A choice's "next" says where the choice leads.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next"].label = _("Leads to")
        self.fields["next"].help_text = _(
            "The step this choice leads to. “New step…” adds a blank step of the kind you "
            "choose when you save."
        )


QUOTE_HELP = _(
    "Copy the words exactly as they are in the message, capital letters included: they are "
    "highlighted there."
)
WHERE_HELP = _("Where the words are: the text, or a part shown around it.")


class QuoteMixin(forms.Form):
    quote = forms.CharField(
        label=_("Quote"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs=WIDE),
        help_text=QUOTE_HELP,
    )
    field = forms.ChoiceField(
        label=_("Where it is"), required=False, choices=QuoteField.choices, help_text=WHERE_HELP
    )
    why = _text(_("Why"), _("Why these words give the trick away (or are harmless)."), 2)


class RedFlagForm(QuoteMixin, EditorForm):
    tactic = forms.ChoiceField(
        label=_("Trick"),
        required=False,
        choices=_blank("---------") + Tactic.choices,
        help_text=_("The trick these words use."),
    )


class OptionForm(QuoteMixin, EditorForm):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    is_flag = forms.BooleanField(
        label=_("This is a red flag"),
        required=False,
        help_text=_("Leave it unticked for a harmless phrase; a spot step needs both kinds."),
    )
    tactic = forms.ChoiceField(
        label=_("Trick"),
        required=False,
        choices=_blank("---------") + Tactic.choices,
        help_text=_("For a red flag: the trick these words use."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_flag") and not data.get("tactic"):
            self.add_error("tactic", _("A red flag needs its trick."))
        return data
