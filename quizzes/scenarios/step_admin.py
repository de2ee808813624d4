"""Editing one step: the inline on the scenario page, and the step page with its choices,
spot options and red flags."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awareness.admin import LinesField
from quizzes.models import (
    Choice,
    RedFlag,
    Scenario,
    SpotOption,
    Step,
)
from quizzes.scenarios.forms import (
    SpotOptionAdminForm,
    StepAdminForm,
    step_key_choices,
)

# Pack format version 2 (docs/content-pack.md): a decision's questions for the class.
MAX_QUESTIONS = 4
MAX_QUESTION_LENGTH = 300


class DiscussionField(LinesField):
    """A decision's discussion questions, one per line, within the pack format's limits."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("Write at most %(max)d questions, one per line.") % {"max": MAX_QUESTIONS}
            )
        for number, question in enumerate(value, start=1):
            if len(question) > MAX_QUESTION_LENGTH:
                raise forms.ValidationError(
                    _("Question %(number)d is %(length)d characters long; keep each to %(max)d.")
                    % {"number": number, "length": len(question), "max": MAX_QUESTION_LENGTH}
                )


class StepPageForm(StepAdminForm):
    """The step page's form: the inline's fields and a decision's discussion questions."""

    discussion = DiscussionField(
        label=gettext_lazy("discussion questions"),
        required=False,
        help_text=gettext_lazy(
            "Decision steps: two or three questions a teacher asks the class after the "
            "decision, one per line. Teachers see them; students do not."
        ),
    )

    # StepAdmin's fields (which name "discussion") decide what the form saves.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("discussion") and data.get("kind") not in (None, Step.Kind.DECISION):
            self.add_error(
                "discussion",
                _("Only a decision step has discussion questions; leave this empty."),
            )
        return data


# --- scenario and its steps -------------------------------------------------------------------


class StepInline(admin.StackedInline):
    model = Step
    form = StepAdminForm
    show_change_link = True
    fields = (
        ("key", "kind", "position"),
        ("sender", "next_key", "outcome"),
        "text",
        "prompt",
        "tactics",
        "parts",
    )
    readonly_fields = ("parts",)
    verbose_name_plural = gettext_lazy(
        "steps (choices, spot options and red flags are edited on each step's own page)"
    )

    def get_extra(self, request: HttpRequest, obj: Scenario | None = None, **kwargs: Any) -> int:
        return 3 if obj is None else 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[Step]:
        # One query for every step's counts instead of three per step.
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_choices=Count("choices", distinct=True),
                n_options=Count("options", distinct=True),
                n_flags=Count("red_flags", distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("choices, options, red flags"))
    def parts(self, step: Step) -> str:
        if step.pk is None:
            return _("Save first, then edit them on the step's page.")
        return _(
            "%(choices)d choices, %(options)d spot options, %(flags)d red flags "
            "(edit them on the step's page)"
        ) % {
            "choices": getattr(step, "n_choices", 0),
            "options": getattr(step, "n_options", 0),
            "flags": getattr(step, "n_flags", 0),
        }


# Stacked, not tabular: a tabular inline's inputs have no <label>s, which screen readers need.
class ChoiceInline(admin.StackedInline):
    model = Choice
    fields = (("key", "position", "is_safe"), "text", "feedback", "next_key")
    extra = 2


class SpotOptionInline(admin.StackedInline):
    model = SpotOption
    form = SpotOptionAdminForm
    fields = (("key", "position", "is_flag", "tactic"), ("quote", "field"), "why")
    extra = 2


class RedFlagInline(admin.StackedInline):
    model = RedFlag
    fields = (("position", "tactic"), ("quote", "field"), "why")
    extra = 1


# Which children each kind of step has; other kinds have none to edit.
STEP_INLINES: dict[str, tuple[type[admin.StackedInline], ...]] = {
    Step.Kind.DECISION: (ChoiceInline,),
    Step.Kind.SPOT: (SpotOptionInline,),
    Step.Kind.MESSAGE: (RedFlagInline,),
}


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    """One step with the children its kind uses: choices, spot options or red flags."""

    form = StepPageForm
    list_display = ("key", "scenario", "kind", "position", "next_key")
    list_filter = ("kind", "scenario__language")
    search_fields = ("key", "text", "prompt", "scenario__title", "scenario__slug")
    list_select_related = ("scenario",)
    fields = (
        "scenario",
        ("key", "kind", "position"),
        ("sender", "next_key", "outcome"),
        ("channel", "address", "verified"),
        ("subject", "url"),
        ("attachment_kind", "attachment_title"),
        "attachment_text",
        "text",
        "prompt",
        "tactics",
        "discussion",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Step | None = None) -> tuple:
        # A step stays in its scenario: moving it would break both scenarios' links.
        return ("scenario_link",) if obj else ()

    def get_fields(self, request: HttpRequest, obj: Step | None = None) -> tuple:
        if obj is None:
            return self.fields
        shown: tuple[Any, ...] = self.fields[1:]
        if obj.kind != Step.Kind.DECISION and not obj.discussion:
            shown = tuple(field for field in shown if field != "discussion")
        return ("scenario_link", *shown)

    def get_inlines(self, request: HttpRequest, obj: Step | None) -> tuple:
        if obj is None:
            return ()
        return STEP_INLINES.get(obj.kind, ())

    def get_form(
        self, request: HttpRequest, obj: Step | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None:
            kwargs["widgets"] = {"next_key": _next_step_select(obj, keep=[obj.next_key])}
        return super().get_form(request, obj, change, **kwargs)

    def get_formsets_with_inlines(self, request: HttpRequest, obj: Step | None = None):
        for inline in self.get_inline_instances(request, obj):
            kwargs = {}
            if obj is not None and isinstance(inline, ChoiceInline):
                keep = obj.choices.values_list("next_key", flat=True)
                kwargs["widgets"] = {"next_key": _next_step_select(obj, keep=keep)}
            yield inline.get_formset(request, obj, **kwargs), inline

    @admin.display(description=gettext_lazy("scenario"))
    def scenario_link(self, step: Step) -> str:
        url = reverse("admin:quizzes_scenario_change", args=[step.scenario_id])
        return format_html('<a href="{}">{}</a>', url, step.scenario)


def _next_step_select(step: Step, *, keep: Any) -> forms.Select:
    """A select of the other steps of the step's scenario, for "next step" fields."""
    keep = set(keep)
    # Pointing a step at itself is always a cycle, so it is not offered (unless already set).
    choices = [
        choice
        for choice in step_key_choices(step.scenario, keep=keep)
        if choice[0] != step.key or choice[0] in keep
    ]
    return forms.Select(choices=choices)
