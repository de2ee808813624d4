"""A printable certificate: the student's own (/progress/certificate/, with a name they type) and
the teacher's whole class at once (/classes/<id>/certificates/), one certificate per page.

The name a student types is printed and nowhere kept: pupils are minors, so it is read from the
form, cleaned, rendered, and forgotten (no model, no session, no log line: the form posts, so
the name is not in an address either). A certificate is built from the same history as the
badges (quizzes.play.badges), for one student or a class in a fixed number of queries.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from awareness.typing import AuthenticatedHttpRequest
from quizzes.classes.guards import class_for_teacher
from quizzes.classes.selectors import member_labels
from quizzes.models import CheckSession, Tactic
from quizzes.play.badges import Badge, History, Measure, badges_from, history_for
from quizzes.play.mastery import Mark

NAME_MAX = 60
# At most this many scenario titles are listed (then "and N more"), so a certificate always
# fits on one page.
TITLES_SHOWN = 12


def clean_name(value: str) -> str:
    """The name without control, format or unassigned characters (no invisible text, no
    right-to-left overrides), tabs and line breaks as spaces, spaces collapsed."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in value
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join(kept.split())


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name to print"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Printed on this page only: it is not saved anywhere."),
    )

    def clean_name(self) -> str:
        return clean_name(self.cleaned_data["name"])


@dataclass(frozen=True)
class Certificate:
    name: str
    completed: list[str]  # scenario titles, in the order first finished
    mastered: list[str]  # trick labels
    badges: list[Badge]  # earned, other than the tricks mastered
    before: Measure | None
    after: Measure | None
    later: Measure | None

    @property
    def titles_shown(self) -> list[str]:
        return self.completed[:TITLES_SHOWN]

    @property
    def titles_more(self) -> int:
        return max(0, len(self.completed) - TITLES_SHOWN)

    @property
    def measures(self) -> list[tuple[str, Measure | None]]:
        """(label, measure or None when not taken) for the table: before and after always,
        later once taken."""
        rows = [
            (CheckSession.Kind.PRE.label, self.before),
            (CheckSession.Kind.POST.label, self.after),
        ]
        if self.later is not None:
            rows.append((CheckSession.Kind.LATER.label, self.later))
        return [(str(label), measure) for label, measure in rows]


def certificate_from(name: str, history: History, now: datetime | None = None) -> Certificate:
    """The certificate of one student's history."""
    badges = badges_from(history, now)
    labels = dict(Tactic.choices)
    return Certificate(
        name=name,
        completed=[play.title for play in history.completed()],
        mastered=[str(labels[b.tactic]) for b in badges.tactics if b.earned],
        badges=[b for b in badges.special if b.earned],
        before=history.latest_measure(CheckSession.Kind.PRE),
        after=history.latest_measure(CheckSession.Kind.POST),
        later=history.latest_measure(CheckSession.Kind.LATER),
    )


def certificates_for(
    people: list[tuple[int, str]], marks: dict[int, list[Mark]] | None = None
) -> list[Certificate]:
    """A certificate for each (student id, name to print), in their order: eight queries
    whatever their number (``history_for``)."""
    histories = history_for([pk for pk, _name in people], marks)
    return [certificate_from(name, histories[pk]) for pk, name in people]


# --- views -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def certificate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The student's certificate with the name they choose (their display name or username
    until they type another); a name too long is refused with a 400 and nothing printed."""
    data = request.POST if request.method == "POST" else request.GET
    default = request.user.shown_name
    form = CertificateNameForm(data if "name" in data else None, initial={"name": default})
    name, status = default, 200
    if form.is_bound:
        if form.is_valid():
            name = form.cleaned_data["name"] or default
        else:
            status = 400
    context = {
        "form": form,
        "certificates": certificates_for([(request.user.pk, name)]) if status == 200 else [],
        "today": timezone.localdate(),
    }
    return render(request, "quizzes/play/certificate.html", context, status=status)


@login_required
@require_GET
def class_certificates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every student's certificate, one per printed page, for the class's own teacher."""
    classroom = class_for_teacher(request, pk)
    people = member_labels(classroom)
    context = {
        "classroom": classroom,
        "certificates": certificates_for(people),
        "today": timezone.localdate(),
    }
    return render(request, "quizzes/classes/certificates.html", context)
