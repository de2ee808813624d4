"""What every class page checks first: the signed-in teacher owns the class, the student is
in it, the method is POST. Anyone but the owning teacher gets a 404, whatever the method."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from awareness.models import User
from quizzes.classes.selectors import student_label
from quizzes.models import Classroom, Membership


def require_teacher(request: HttpRequest) -> User:
    if not request.user.is_authenticated or not request.user.is_teacher:
        raise Http404
    return request.user


def class_for_teacher(request: HttpRequest, pk: int) -> Classroom:
    """The class ``pk`` if the signed-in user is the teacher who owns it; 404 for anyone else."""
    teacher = require_teacher(request)
    classroom = get_object_or_404(Classroom, pk=pk, teacher=teacher)
    classroom.teacher = teacher  # no second query for the owner
    return classroom


def post_only(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def member_or_404(classroom: Classroom, student_pk: int) -> tuple[Membership, str]:
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


def form_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)
