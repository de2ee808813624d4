"""The teacher's class pages: the list, one class with its results, one student, assignments
and the CSV exports."""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from awareness.typing import AuthenticatedHttpRequest
from quizzes.classes import csv_export, services, slips
from quizzes.classes.boosters import class_boosters
from quizzes.classes.forms import (
    AssignForm,
    ClassroomForm,
    DueDateForm,
)
from quizzes.classes.guards import (
    class_for_teacher,
    form_errors,
    member_or_404,
    post_only,
    require_teacher,
)
from quizzes.classes.lookups import classroom_assignments
from quizzes.classes.presenters import assign_rows
from quizzes.classes.results import ClassResults, sort_rows
from quizzes.classes.selectors import (
    classroom_answers,
    classroom_results,
    classroom_student,
    teacher_classrooms,
)
from quizzes.classes.stamps import class_stamps
from quizzes.classes.teach_next import classroom_teach_next
from quizzes.models import Assignment, Classroom

# Results pages are cached under a stamp of their inputs, so this only bounds memory use.
RESULTS_CACHE_SECONDS = 600
SORT_RE = re.compile(r"^-?(name|completed|rate|a[0-9]{1,12})$")

# --- classes ---------------------------------------------------------------------------


@login_required
def class_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    teacher = require_teacher(request)
    classes = list(teacher_classrooms(teacher))
    return render(
        request,
        "quizzes/classes/list.html",
        {
            "active": [c for c in classes if not c.is_archived],
            "archived": [c for c in classes if c.is_archived],
        },
    )


@login_required
def class_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    teacher = require_teacher(request)
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.classroom_create(teacher=teacher, name=form.cleaned_data["name"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Class created. Share the join code with your students."))
            return redirect(classroom)
    return render(request, "quizzes/classes/form.html", {"form": form, "classroom": None})


@login_required
def class_rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    form = ClassroomForm(request.POST or None, initial={"name": classroom.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.classroom_rename(
                classroom=classroom, teacher=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Class renamed."))
            return redirect(classroom)
    return render(request, "quizzes/classes/form.html", {"form": form, "classroom": classroom})


@login_required
def class_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    if response := post_only(request):
        return response
    archive = request.POST.get("action", "archive") != "restore"
    services.classroom_archive(classroom=classroom, teacher=request.user, archived=archive)
    if archive:
        messages.success(request, _("Class archived. Its code no longer works; results stay."))
        return redirect("classes:list")
    messages.success(request, _("Class restored. Students can join with its code again."))
    return redirect(classroom)


@login_required
def class_open_after_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    if response := post_only(request):
        return response
    is_open = request.POST.get("action", "open") != "close"
    services.classroom_open_after_check(classroom=classroom, teacher=request.user, is_open=is_open)
    if is_open:
        messages.success(request, _("The after check is open: every student can take it now."))
    else:
        messages.success(
            request,
            _("The after check opens for each student after %(n)s scenarios again.")
            % {"n": settings.AFTER_CHECK_SCENARIOS},
        )
    return redirect(classroom)


@login_required
def class_rotate_code(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    if response := post_only(request):
        return response
    try:
        services.classroom_rotate_code(classroom=classroom, teacher=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("New join code: %(code)s. The old code no longer works.")
            % {"code": classroom.join_code},
        )
    return redirect(classroom)


@dataclass
class Header:
    key: str
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" when not the sorted column


def _headers(results: ClassResults, key: str, descending: bool) -> dict[str, Any]:
    def header(column: str, label: str) -> Header:
        current = column == key
        next_sort = f"-{column}" if current and not descending else column
        aria = ("descending" if descending else "ascending") if current else ""
        return Header(column, label, "?" + urlencode({"sort": next_sort}) + "#results", aria)

    return {
        "name": header("name", _("Student")),
        "completed": header("completed", _("Finished")),
        "rate": header("rate", _("Safe choices")),
        "scenarios": [header(f"a{a.pk}", a.scenario.published_title) for a in results.assignments],
    }


def _join_url(request: HttpRequest, classroom: Classroom) -> str:
    return request.build_absolute_uri(
        reverse("classes:join") + "?" + urlencode({"code": classroom.join_code})
    )


def _results_html(classroom: Classroom, sort: str, stamp: str) -> tuple[str, ClassResults | None]:
    """The rendered results (matrix, check scores, per scenario, students), cached under a
    stamp of everything they are computed from (check sessions included). Returns the HTML
    and the results when computed now."""
    if not SORT_RE.match(sort):
        sort = "name"
    key = f"quizzes:class-results:{classroom.pk}:{get_language()}:{sort}:{stamp}"
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), None  # noqa: S308 - rendered by our own template
    results = classroom_results(classroom)
    sort_key, descending = sort_rows(results, sort)
    html = render_to_string(
        "quizzes/classes/includes/results.html",
        {
            "classroom": classroom,
            "results": results,
            "headers": _headers(results, sort_key, descending),
        },
    )
    cache.set(key, str(html), RESULTS_CACHE_SECONDS)
    return html, results


@login_required
def class_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    stamps = class_stamps(classroom)
    results_html, results = _results_html(
        classroom, request.GET.get("sort", "name"), stamps.results
    )
    return render(
        request,
        "quizzes/classes/detail.html",
        {
            "classroom": classroom,
            "results_html": results_html,
            "results": results,
            "join_url": _join_url(request, classroom),
            "has_sheet": bool(slips.sheet_passwords(request, classroom)),
            "after_check_scenarios": settings.AFTER_CHECK_SCENARIOS,
            "boosters": class_boosters(classroom, stamps.boosters),
            # Computed only when its section is not in the cache (see detail.html).
            "teach_next": SimpleLazyObject(lambda: classroom_teach_next(classroom)),
            "teach_next_stamp": stamps.teach_next,
            "cache_seconds": RESULTS_CACHE_SECONDS,
        },
    )


@login_required
def class_student(request: AuthenticatedHttpRequest, pk: int, student_pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    found = classroom_student(classroom, student_pk)
    if found is None:
        raise Http404
    row, attempts = found
    return render(
        request,
        "quizzes/classes/student.html",
        {"classroom": classroom, "row": row, "attempts": attempts},
    )


@login_required
def class_remove_student(
    request: AuthenticatedHttpRequest, pk: int, student_pk: int
) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    membership, label = member_or_404(classroom, student_pk)
    if request.method == "POST":
        services.classroom_remove_student(
            classroom=classroom, teacher=request.user, student=membership.student
        )
        messages.success(request, _("%(name)s was removed from the class.") % {"name": label})
        return redirect(classroom)
    return render(
        request,
        "quizzes/classes/remove_student.html",
        {"classroom": classroom, "label": label, "membership": membership},
    )


# --- assignments -----------------------------------------------------------------------


def _assign_page(
    request: AuthenticatedHttpRequest, classroom: Classroom, form: AssignForm, status: int = 200
) -> HttpResponse:
    """The assign page: the published scenarios in the reader's language as checkboxes (those
    already assigned ticked and disabled), then what is assigned, with its due dates."""
    assigned = list(classroom_assignments(classroom))
    chosen = {str(value) for value in (form["scenario"].value() or [])} if form.is_bound else set()
    field = form.fields["scenario"]
    rows = assign_rows(
        field.queryset,  # type: ignore[attr-defined]  # a ModelMultipleChoiceField's
        assigned={a.scenario_id for a in assigned},
        chosen=chosen,
    )
    language = get_language()
    return render(
        request,
        "quizzes/classes/assign.html",
        {
            "classroom": classroom,
            "form": form,
            "rows": rows,
            "age_marks": sorted({r.scenario.published_min_age for r in rows} - {None}),
            "assigned": assigned,
            "language_name": dict(settings.LANGUAGES).get(language, language),
            "other_languages": [(c, n) for c, n in settings.LANGUAGES if c != language],
        },
        status=status,
    )


@login_required
def class_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    form = AssignForm(request.POST or None, language=get_language())
    if request.method != "POST":
        return _assign_page(request, classroom, form)
    if form.is_valid():
        try:
            added = services.assignments_add(
                classroom=classroom,
                teacher=request.user,
                scenarios=form.cleaned_data["scenario"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if added:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d scenario is assigned to the class: %(titles)s.",
                        "%(count)d scenarios are assigned to the class: %(titles)s.",
                        len(added),
                    )
                    % {
                        "count": len(added),
                        "titles": _(", ").join(f"“{a.scenario.published_title}”" for a in added),
                    },
                )
            else:
                messages.info(request, _("These scenarios were assigned already: nothing changed."))
            return redirect(classroom)
    return _assign_page(request, classroom, form, status=400)


@login_required
def class_assignment_due(
    request: AuthenticatedHttpRequest, pk: int, assignment_pk: int
) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("scenario"), pk=assignment_pk, classroom=classroom
    )
    if response := post_only(request):
        return response
    form = DueDateForm(request.POST)
    title = assignment.scenario.published_title
    if not form.is_valid():
        for error in form.errors.get("due_date", []):
            messages.error(request, f"“{title}”: {error}")
        return _assign_page(request, classroom, AssignForm(language=get_language()), status=400)
    assignment.classroom = classroom
    services.assignment_set_due_date(
        assignment=assignment, teacher=request.user, due_date=form.cleaned_data["due_date"]
    )
    if assignment.due_date:
        messages.success(request, _("“%(title)s” has a new due date.") % {"title": title})
    else:
        messages.success(request, _("“%(title)s” has no due date now.") % {"title": title})
    return redirect("classes:assign", classroom.pk)


@login_required
def class_unassign(request: AuthenticatedHttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("scenario"), pk=assignment_pk, classroom=classroom
    )
    if response := post_only(request):
        return response
    assignment.classroom = classroom
    services.assignment_delete(assignment=assignment, teacher=request.user)
    messages.success(
        request,
        _("“%(title)s” is no longer assigned. Students keep their own results.")
        % {"title": assignment.scenario.published_title},
    )
    return redirect(classroom)


# --- exports ---------------------------------------------------------------------------


@login_required
def class_export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    results = classroom_results(classroom, details=False)
    sort_rows(results, "name")
    return csv_export.results_csv(results)


@login_required
def class_export_answers_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    return csv_export.answers_csv(classroom.pk, classroom_answers(classroom))
