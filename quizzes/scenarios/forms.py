"""Forms for the editors' admin: tactics as checkboxes instead of raw JSON, plain-words checks
on steps and check items, and the content-pack upload."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from quizzes.models import Scenario, SpotOption, Step, Tactic
from quizzes.scenarios.packs.validation import MAX_PACK_BYTES

TOO_LARGE = _("The file is larger than 5 MB. Split the pack into smaller packs.")


class TacticsField(forms.TypedMultipleChoiceField):
    """A JSON list of tactics edited as checkboxes; the list keeps the order of ``Tactic``."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", Tactic.choices)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        chosen = set(super().clean(value))
        return [tactic for tactic in Tactic.values if tactic in chosen]


class StepAdminForm(forms.ModelForm):
    tactics = TacticsField(
        label=_("tactics tested"),
        help_text=_("Decision steps: the tactics this decision teaches to resist."),
    )

    class Meta:
        model = Step
        fields = (
            "scenario",
            "key",
            "kind",
            "position",
            "sender",
            "address",
            "verified",
            "subject",
            "url",
            "attachment_kind",
            "attachment_title",
            "attachment_text",
            "text",
            "prompt",
            "next_key",
            "outcome",
            "tactics",
        )
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4, "cols": 60}),
            "prompt": forms.TextInput(attrs={"size": 60}),
        }

    def clean(self) -> dict[str, Any]:
        """Say in plain words what the database's step rules would otherwise refuse cryptically."""
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean() returns (typed as optional)
        kind = data.get("kind")
        if kind == Step.Kind.ENDING:
            if not data.get("outcome"):
                self.add_error("outcome", _("An ending needs an outcome."))
            if data.get("next_key"):
                self.add_error("next_key", _("An ending has no next step; leave this empty."))
        elif kind and data.get("outcome"):
            self.add_error("outcome", _("Only an ending has an outcome; leave this empty."))
        attachment_given = data.get("attachment_title") or data.get("attachment_text")
        if attachment_given and not data.get("attachment_kind"):
            self.add_error("attachment_kind", _("Say what kind of attachment this is."))
        return data


class SpotOptionAdminForm(forms.ModelForm):
    class Meta:
        model = SpotOption
        fields = ("key", "position", "quote", "field", "is_flag", "why", "tactic")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean() returns (typed as optional)
        if data.get("is_flag") and not data.get("tactic"):
            self.add_error("tactic", _("A red-flag option needs a tactic."))
        return data


def step_key_choices(
    scenario: Scenario | None, *, keep: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """Choices for a "next step" select: the scenario's step keys, plus any value in ``keep``
    that names no step (so an existing broken link is shown, not silently replaced)."""
    steps = list(scenario.steps.order_by("position", "id")) if scenario else []
    known = {step.key for step in steps}
    choices = [("", "---------")]
    choices += [(step.key, f"{step.key} ({step.get_kind_display()})") for step in steps]
    missing = sorted({key for key in keep if key and key not in known})
    choices += [(key, _("%(key)s (no such step)") % {"key": key}) for key in missing]
    return choices


class PackUploadForm(forms.Form):
    """Upload a content pack and choose whether to only check it or to import it."""

    class Mode:
        VALIDATE = "validate"
        IMPORT = "import"

    pack = forms.FileField(
        label=_("Content pack"),
        help_text=_("A .json content pack file, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    mode = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            (Mode.VALIDATE, _("Check only: report problems, change nothing")),
            (Mode.IMPORT, _("Import: add and update the pack's content")),
        ],
        initial=Mode.VALIDATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        self.too_large = too_large
        super().__init__(*args, **kwargs)

    def clean_pack(self) -> Any:
        upload = self.cleaned_data["pack"]
        if upload.size > MAX_PACK_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        return upload

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if self.too_large:
            # The upload handler dropped the file, so "pack" reports it as missing: say why.
            self.errors.pop("pack", None)
            self.add_error("pack", forms.ValidationError(TOO_LARGE, code="too_large"))
        return data


class PackSizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the pack size limit, so a huge upload
    never fills memory or the temporary directory; ``too_large`` tells the form why."""

    too_large = False

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_PACK_BYTES:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
