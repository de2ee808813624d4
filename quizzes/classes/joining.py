"""The student's side of a class: joining with the code (then confirming) and leaving."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from awareness.throttle import (
    client_ip,
    throttle_exceeded,
    throttle_hit,
    too_many_requests,
)
from awareness.typing import AuthenticatedHttpRequest
from quizzes.classes import services
from quizzes.classes.assigned import student_classrooms
from quizzes.classes.forms import (
    JoinCodeForm,
    JoinConfirmForm,
)
from quizzes.classes.guards import post_only
from quizzes.models import Classroom, Membership

# --- the student's side ----------------------------------------------------------------


def _join_page(
    request: AuthenticatedHttpRequest, form: forms.Form, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "quizzes/classes/join.html",
        {"form": form, "memberships": student_classrooms(request.user)},
        status=status,
    )


def _join_confirm_page(
    request: HttpRequest, classroom: Classroom, form: forms.Form, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "quizzes/classes/join_confirm.html",
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
        return render(request, "quizzes/classes/join_not_student.html", status=403)
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
    return redirect("classes:join")


@login_required
def leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("classroom"), classroom_id=pk, student=request.user
    )
    if response := post_only(request):
        return response
    services.classroom_leave(student=request.user, classroom=membership.classroom)
    messages.success(
        request,
        _("You left “%(name)s”. Your teacher no longer sees your results.")
        % {"name": membership.classroom.name},
    )
    return redirect("classes:join")
