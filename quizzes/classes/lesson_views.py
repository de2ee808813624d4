"""A topic's printable lesson plan for the teacher of a class (the class page links to it from
"what to teach next")."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from awareness.typing import AuthenticatedHttpRequest
from quizzes.classes.guards import class_for_teacher
from quizzes.classes.teach_next import topic_lesson_plan


@login_required
def class_lesson_plan(request: AuthenticatedHttpRequest, pk: int, slug: str) -> HttpResponse:
    classroom = class_for_teacher(request, pk)
    plan = topic_lesson_plan(slug=slug, language=get_language())
    if plan is None:
        raise Http404
    return render(
        request, "quizzes/classes/lesson_plan.html", {"classroom": classroom, "plan": plan}
    )
