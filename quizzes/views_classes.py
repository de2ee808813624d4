"""Teacher pages (classes, results, exports, pupil accounts), joining and leaving a class, and
the privacy pages (download my data, delete my account).

Every class page fetches its class through ``_get_class_for_teacher``: anyone but the teacher
who owns the class gets a 404, whatever the method.
"""

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from awareness.models import User
from awareness.throttle import (
    client_ip,
    throttle_count,
    throttle_exceeded,
    throttle_hit,
    too_many_requests,
)
from awareness.typing import AuthenticatedHttpRequest
from quizzes import csv_export, slips
from quizzes.forms_classes import (
    AccountDeleteForm,
    AssignForm,
    BatchAccountsForm,
    ClassroomForm,
    JoinCodeForm,
    JoinConfirmForm,
)
from quizzes.models import Assignment, Classroom, Membership
from quizzes.selectors.classes import (
    ClassResults,
    classroom_answers,
    classroom_results,
    classroom_results_stamp,
    classroom_student,
    sort_rows,
    student_classrooms,
    student_label,
    teacher_classrooms,
)
from quizzes.services import classes as services
from quizzes.services.attempts import VISITOR_SESSION_KEY
from quizzes.services.privacy import account_delete as delete_account
from quizzes.services.privacy import user_data_export

# Results pages are cached under a stamp of their inputs, so this only bounds memory use.
RESULTS_CACHE_SECONDS = 600
SORT_RE = re.compile(r"^-?(name|completed|rate|a[0-9]{1,12})$")
# Pupil accounts one teacher may create per hour: several classes' worth, but not a script
# filling the database.
ACCOUNTS_PER_HOUR = 200
ACCOUNTS_WINDOW = 3600


def _require_teacher(request: HttpRequest) -> User:
    if not request.user.is_authenticated or not request.user.is_teacher:
        raise Http404
    return request.user


def _get_class_for_teacher(request: HttpRequest, pk: int) -> Classroom:
    """The class ``pk`` if the signed-in user is the teacher who owns it; 404 for anyone else."""
    teacher = _require_teacher(request)
    classroom = get_object_or_404(Classroom, pk=pk, teacher=teacher)
    classroom.teacher = teacher  # no second query for the owner
    return classroom


def _post_only(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _member_or_404(classroom: Classroom, student_pk: int) -> tuple[Membership, str]:
    """The class's membership of this student and how the teacher sees their name."""
    memberships = list(
        Membership.objects.filter(classroom=classroom)
        .select_related("student")
        .order_by("joined_at", "id")
    )
    for number, membership in enumerate(memberships, start=1):
        if membership.student_id == student_pk:
            label = student_label(membership.student, teacher=classroom.teacher, number=number)
            return membership, label
    raise Http404


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


# --- classes ---------------------------------------------------------------------------


@login_required
def class_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    teacher = _require_teacher(request)
    classes = list(teacher_classrooms(teacher))
    return render(
        request,
        "quizzes/class_list.html",
        {
            "active": [c for c in classes if not c.is_archived],
            "archived": [c for c in classes if c.is_archived],
        },
    )


@login_required
def class_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    teacher = _require_teacher(request)
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.classroom_create(teacher=teacher, name=form.cleaned_data["name"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Class created. Share the join code with your students."))
            return redirect(classroom)
    return render(request, "quizzes/class_form.html", {"form": form, "classroom": None})


@login_required
def class_rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    form = ClassroomForm(request.POST or None, initial={"name": classroom.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.classroom_rename(
                classroom=classroom, teacher=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Class renamed."))
            return redirect(classroom)
    return render(request, "quizzes/class_form.html", {"form": form, "classroom": classroom})


@login_required
def class_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    if response := _post_only(request):
        return response
    archive = request.POST.get("action", "archive") != "restore"
    services.classroom_archive(classroom=classroom, teacher=request.user, archived=archive)
    if archive:
        messages.success(request, _("Class archived. Its code no longer works; results stay."))
        return redirect("quizzes:class-list")
    messages.success(request, _("Class restored. Students can join with its code again."))
    return redirect(classroom)


@login_required
def class_rotate_code(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    if response := _post_only(request):
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
        reverse("quizzes:join") + "?" + urlencode({"code": classroom.join_code})
    )


def _results_html(classroom: Classroom, sort: str) -> tuple[str, ClassResults | None]:
    """The rendered results (matrix, check scores, per scenario, students), cached under a
    stamp of everything they are computed from (check sessions included). Returns the HTML
    and the results when computed now."""
    if not SORT_RE.match(sort):
        sort = "name"
    stamp = classroom_results_stamp(classroom)
    key = f"quizzes:class-results:{classroom.pk}:{get_language()}:{sort}:{stamp}"
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), None  # noqa: S308 - rendered by our own template
    results = classroom_results(classroom)
    sort_key, descending = sort_rows(results, sort)
    html = render_to_string(
        "quizzes/includes/class_results.html",
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
    classroom = _get_class_for_teacher(request, pk)
    results_html, results = _results_html(classroom, request.GET.get("sort", "name"))
    return render(
        request,
        "quizzes/class_detail.html",
        {
            "classroom": classroom,
            "results_html": results_html,
            "results": results,
            "join_url": _join_url(request, classroom),
            "has_sheet": bool(slips.sheet_passwords(request, classroom)),
        },
    )


@login_required
def class_student(request: AuthenticatedHttpRequest, pk: int, student_pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    found = classroom_student(classroom, student_pk)
    if found is None:
        raise Http404
    row, attempts = found
    return render(
        request,
        "quizzes/class_student.html",
        {"classroom": classroom, "row": row, "attempts": attempts},
    )


@login_required
def class_remove_student(
    request: AuthenticatedHttpRequest, pk: int, student_pk: int
) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    membership, label = _member_or_404(classroom, student_pk)
    if request.method == "POST":
        services.classroom_remove_student(
            classroom=classroom, teacher=request.user, student=membership.student
        )
        messages.success(request, _("%(name)s was removed from the class.") % {"name": label})
        return redirect(classroom)
    return render(
        request,
        "quizzes/class_remove_student.html",
        {"classroom": classroom, "label": label, "membership": membership},
    )


# --- assignments -----------------------------------------------------------------------


@login_required
def class_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    form = AssignForm(request.POST or None, language=get_language())
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_save(
                classroom=classroom,
                teacher=request.user,
                scenario=form.cleaned_data["scenario"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is assigned to the class.")
                % {"title": form.cleaned_data["scenario"].published_title},
            )
            return redirect(classroom)
    assigned = Assignment.objects.filter(classroom=classroom).select_related("scenario")
    return render(
        request,
        "quizzes/class_assign.html",
        {"classroom": classroom, "form": form, "assigned": assigned},
    )


@login_required
def class_unassign(request: AuthenticatedHttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("scenario"), pk=assignment_pk, classroom=classroom
    )
    if response := _post_only(request):
        return response
    assignment.classroom = classroom
    services.assignment_delete(assignment=assignment, teacher=request.user)
    messages.success(
        request,
        _("“%(title)s” is no longer assigned. Students keep their own results.")
        % {"title": assignment.scenario.published_title},
    )
    return redirect(classroom)


# --- pupil accounts --------------------------------------------------------------------


def _accounts_left(teacher: User) -> int:
    """How many more pupil accounts ``teacher`` may create in this hour's window."""
    used = throttle_count("pupil-accounts", str(teacher.pk), window=ACCOUNTS_WINDOW)
    return max(0, ACCOUNTS_PER_HOUR - used)


def _too_many_accounts(request: HttpRequest, left: int) -> HttpResponse:
    return too_many_requests(
        request,
        _(
            "You can create at most %(limit)d pupil accounts an hour, and this would go over "
            "that (%(left)d left this hour)."
        )
        % {"limit": ACCOUNTS_PER_HOUR, "left": left},
        retry_after=ACCOUNTS_WINDOW - int(time.time()) % ACCOUNTS_WINDOW,
    )


@never_cache
@login_required
def class_batch_accounts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    form = BatchAccountsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wanted = len(form.cleaned_data["names"]) or form.cleaned_data.get("count") or 0
        # Checked, then counted once created: two batches sent at the same moment can pass
        # together, which overshoots by at most one batch.
        if wanted > (left := _accounts_left(request.user)):
            return _too_many_accounts(request, left)
        try:
            issued = services.accounts_create_batch(
                classroom=classroom,
                teacher=request.user,
                count=form.cleaned_data.get("count") or 0,
                display_names=form.cleaned_data["names"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            throttle_hit(
                "pupil-accounts", str(request.user.pk), window=ACCOUNTS_WINDOW, amount=len(issued)
            )
            messages.success(
                request,
                _("%(count)d accounts created. Print the sheet and cut it into slips.")
                % {"count": len(issued)},
            )
            response = redirect("quizzes:class-batch-sheet", pk=classroom.pk)
            slips.sheet_remember(
                request, response, classroom, {item.user.pk: item.password for item in issued}
            )
            return response
    return render(
        request, "quizzes/class_batch_accounts.html", {"classroom": classroom, "form": form}
    )


@dataclass
class Slip:
    user: User
    password: str  # empty once the pupil has chosen their own


@never_cache
@login_required
def class_batch_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    if request.method == "POST":
        messages.success(request, _("The one-time passwords are forgotten."))
        response = redirect(classroom)
        slips.sheet_forget(request, response, classroom)
        return response
    passwords = slips.sheet_passwords(request, classroom)
    users = (
        User.objects.filter(
            pk__in=list(passwords),
            created_by=request.user,
            memberships__classroom=classroom,
        )
        .only("id", "username", "display_name", "must_change_password")
        .order_by("display_name", "username")
    )
    sheet = [
        Slip(user=u, password=passwords[u.pk] if u.must_change_password else "") for u in users
    ]
    return render(
        request,
        "quizzes/class_batch_sheet.html",
        {
            "classroom": classroom,
            "slips": sheet,
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
            "sheet_minutes": int(slips.SHEET_LIFETIME.total_seconds()) // 60,
            "password_days": settings.ONE_TIME_PASSWORD_DAYS,
        },
    )


@never_cache
@login_required
def class_reset_password(
    request: AuthenticatedHttpRequest, pk: int, student_pk: int
) -> HttpResponse:
    """A new one-time password for a pupil account this teacher created: while the pupil still
    has one, or with the pupil's consent once they chose their own (otherwise only a site
    administrator can)."""
    classroom = _get_class_for_teacher(request, pk)
    membership, label = _member_or_404(classroom, student_pk)
    student = membership.student
    if student.created_by_id != request.user.pk:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            issued = services.account_reset_password(teacher=request.user, account=student)
        except PermissionDenied:
            student.refresh_from_db()
            status = 403
        else:
            messages.success(
                request,
                _("%(name)s has a new one-time password; it is on the sheet below.")
                % {"name": label},
            )
            response = redirect("quizzes:class-batch-sheet", pk=classroom.pk)
            slips.sheet_remember(request, response, classroom, {student.pk: issued.password})
            return response
    return render(
        request,
        "quizzes/class_reset_password.html",
        {
            "classroom": classroom,
            "label": label,
            "student": student,
            "password_days": settings.ONE_TIME_PASSWORD_DAYS,
        },
        status=status,
    )


# --- exports ---------------------------------------------------------------------------


@login_required
def class_export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    results = classroom_results(classroom, details=False)
    sort_rows(results, "name")
    return csv_export.results_csv(results)


@login_required
def class_export_answers_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    classroom = _get_class_for_teacher(request, pk)
    return csv_export.answers_csv(classroom.pk, classroom_answers(classroom))


# --- the student's side ----------------------------------------------------------------


def _join_page(
    request: AuthenticatedHttpRequest, form: forms.Form, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "quizzes/join.html",
        {"form": form, "memberships": student_classrooms(request.user)},
        status=status,
    )


def _join_confirm_page(
    request: HttpRequest, classroom: Classroom, form: forms.Form, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "quizzes/join_confirm.html",
        {"classroom": classroom, "form": form},
        status=status,
    )


# Wrong join codes allowed per 10 minutes: per account, and per address (a class of 40 behind
# one school address makes a few typos; a guesser makes thousands). See JOIN_CODE_LENGTH.
JOIN_WINDOW = 600
JOIN_WRONG_PER_USER = 10
JOIN_WRONG_PER_ADDRESS = 30


def _join_throttled(request: AuthenticatedHttpRequest) -> bool:
    return throttle_exceeded(
        "join-user", str(request.user.pk), limit=JOIN_WRONG_PER_USER, window=JOIN_WINDOW
    ) or throttle_exceeded(
        "join-ip", client_ip(request), limit=JOIN_WRONG_PER_ADDRESS, window=JOIN_WINDOW
    )


def _join_wrong_code(request: AuthenticatedHttpRequest) -> None:
    throttle_hit("join-user", str(request.user.pk), window=JOIN_WINDOW)
    throttle_hit("join-ip", client_ip(request), window=JOIN_WINDOW)


@login_required
def join(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: the code (typed, or from a ?code= link); step 2: confirm, knowing what the
    teacher will see; then the class is joined."""
    if not request.user.is_student:
        return render(request, "quizzes/join_not_student.html", status=403)
    if request.method == "POST":
        data, error_status = request.POST, 400
    elif "code" in request.GET:
        data, error_status = request.GET, 200
    else:
        return _join_page(request, JoinCodeForm())
    code_form = JoinCodeForm(data)
    if not code_form.is_valid():
        return _join_page(request, code_form, status=error_status)
    if _join_throttled(request):
        return too_many_requests(
            request,
            _("Too many wrong join codes were tried."),
            retry_after=JOIN_WINDOW,
        )
    try:
        classroom = services.classroom_for_code(code_form.cleaned_data["code"])
    except services.JoinError as error:
        _join_wrong_code(request)
        code_form.add_error("code", str(error))
        return _join_page(request, code_form, status=error_status)
    if request.method != "POST" or "display_name" not in request.POST:
        confirm = JoinConfirmForm(
            initial={"code": classroom.join_code, "display_name": request.user.display_name}
        )
        return _join_confirm_page(request, classroom, confirm)
    confirm = JoinConfirmForm(request.POST)
    if not confirm.is_valid():
        return _join_confirm_page(request, classroom, confirm, status=400)
    try:
        services.classroom_join(
            student=request.user,
            code=classroom.join_code,
            display_name=confirm.cleaned_data["display_name"],
        )
    except (services.JoinError, ValidationError) as error:
        code_form.add_error("code", " ".join(getattr(error, "messages", [str(error)])))
        return _join_page(request, code_form, status=400)
    messages.success(request, _("You joined “%(name)s”.") % {"name": classroom.name})
    return redirect("quizzes:join")


@login_required
def leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("classroom"), classroom_id=pk, student=request.user
    )
    if response := _post_only(request):
        return response
    services.classroom_leave(student=request.user, classroom=membership.classroom)
    messages.success(
        request,
        _("You left “%(name)s”. Your teacher no longer sees your results.")
        % {"name": membership.classroom.name},
    )
    return redirect("quizzes:join")


@never_cache
@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@login_required
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    can_delete = not (user.is_staff or user.is_superuser)
    form = AccountDeleteForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and can_delete and form.is_valid():
        visitor_id = request.session.get(VISITOR_SESSION_KEY, "")
        try:
            delete_account(user=user, visitor_id=visitor_id)
        except PermissionDenied:
            raise Http404 from None
        logout(request)
        messages.success(request, _("Your account and all its data have been deleted."))
        return redirect("awareness:home")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "quizzes/account_delete.html",
        {"form": form, "can_delete": can_delete},
        status=status if can_delete else 403,
    )
