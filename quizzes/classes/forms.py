"""Forms for the class pages, joining a class and the privacy pages. They validate input
only; the services in quizzes/classes/services.py and privacy.py do the work."""

from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awareness.models import User
from quizzes.classes.lookups import assign_catalogue
from quizzes.classes.services import (
    JOIN_CODE_MAX_LENGTH,
    JOIN_CODE_RE,
    MAX_BATCH,
    join_code_normalise,
)
from quizzes.models import Classroom, Scenario

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Both are CharFields, so max_length is set (the stubs type it as optional).
NAME_MAX = cast(int, Classroom._meta.get_field("name").max_length)
DISPLAY_NAME_MAX = cast(int, User._meta.get_field("display_name").max_length)


class ClassroomForm(forms.Form):
    name = forms.CharField(
        label=_("Class name"),
        max_length=NAME_MAX,
        help_text=_("For example “7B” or “Media literacy, spring”. Your students see it."),
    )


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        # Room for spaces and hyphens people type between groups of characters.
        max_length=JOIN_CODE_MAX_LENGTH * 2,
        help_text=_("6 to 8 letters and digits, from your teacher."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = join_code_normalise(self.cleaned_data["code"])
        if not JOIN_CODE_RE.match(code):
            raise forms.ValidationError(
                _("A join code has 6 to 8 letters and digits. Check it with your teacher.")
            )
        return code


class JoinConfirmForm(JoinCodeForm):
    display_name = forms.CharField(
        label=_("Name your teacher will see"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_("A first name or nickname your teacher will recognise. No surname needed."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()


def _clean_due_date(due: date | None) -> date | None:
    today = timezone.localdate()
    if due is not None and due < today:
        raise forms.ValidationError(_("The due date is in the past."))
    if due is not None and due > today + timedelta(days=3 * 366):
        raise forms.ValidationError(_("The due date is too far ahead. Check the year."))
    return due


def _due_date_field(help_text: "StrOrPromise" = "") -> forms.DateField:
    return forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
    )


class AssignForm(forms.Form):
    """Several scenarios at once, with one due date. The page draws the checkboxes itself
    (grouped by topic, with a preview link each); the field validates what was ticked."""

    scenario = forms.ModelMultipleChoiceField(
        label=_("Scenarios"),
        queryset=Scenario.objects.none(),
        error_messages={
            "required": _("Choose at least one scenario."),
            "invalid_choice": _("One of the scenarios chosen cannot be assigned from this list."),
            "invalid_pk_value": _("One of the scenarios chosen cannot be assigned from this list."),
        },
    )
    due_date = _due_date_field(_("Students see it on their home page."))

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[Scenario]", self.fields["scenario"])
        field.queryset = assign_catalogue(language)

    def clean_due_date(self) -> date | None:
        return _clean_due_date(self.cleaned_data.get("due_date"))


class DueDateForm(forms.Form):
    """A new due date for one assignment (empty: none)."""

    due_date = _due_date_field()

    def clean_due_date(self) -> date | None:
        return _clean_due_date(self.cleaned_data.get("due_date"))


class BatchAccountsForm(forms.Form):
    names = forms.CharField(
        label=_("Pupils' names, one per line (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "First names or nicknames, shown to you in the results and on each pupil's slip. "
            "Leave empty to create unnamed accounts."
        ),
    )
    count = forms.IntegerField(
        label=_("Number of accounts (when no names are given)"),
        required=False,
        min_value=1,
        max_value=MAX_BATCH,
    )

    def clean_names(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("names", "").splitlines()]
        names = [line for line in lines if line]
        if len(names) > MAX_BATCH:
            raise forms.ValidationError(_("At most %(max)d names at a time.") % {"max": MAX_BATCH})
        too_long = [n for n in names if len(n) > DISPLAY_NAME_MAX]
        if too_long:
            raise forms.ValidationError(
                _("Each name can have at most %(max)d characters.") % {"max": DISPLAY_NAME_MAX}
            )
        return names

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("names") and not data.get("count"):
            raise forms.ValidationError(_("Give the pupils' names or a number of accounts."))
        return data
