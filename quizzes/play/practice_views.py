"""Practice pages: my mistakes (and trying one again) and booster rounds. Plain forms with
post/redirect/get, like the play flow; nothing here changes an attempt."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awareness.typing import AuthenticatedHttpRequest
from quizzes.models import Booster, PracticeAnswer
from quizzes.play import boosters, practice
from quizzes.play.feedback import answer_feedback
from quizzes.play.forms import parse_answer
from quizzes.play.mastery import marks_of, mastery_from
from quizzes.play.mistakes import mistake_of, mistakes_of
from quizzes.play.selectors import messages_before
from quizzes.play.services import PlayError
from quizzes.play.simulation import simulation_html, spot_message_html
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content


def _question(
    content: dict[str, Any], step: dict[str, Any], lead_up: list[str], order: dict
) -> dict[str, Any]:
    """Context for asking one decision or spot step outside an attempt."""
    return {
        "scenario_title": content["title"],
        "content": content,
        "step": step,
        "simulation": simulation_html(content, lead_up, with_flags=False),
        "spot_message": spot_message_html(content, step) if step["kind"] == "spot" else "",
        "options": engine.in_shown_order(step, order),
    }


def _fresh_order(step: dict[str, Any]) -> dict[str, list[str]]:
    """A new order for this one step's options, drawn as an attempt draws its orders."""
    return engine.shuffled_order({"steps": [step]})


# ---------------------------------------------------------------- my mistakes


@login_required
@require_GET
def mistakes(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "quizzes/play/mistakes.html", {"mistakes": mistakes_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def mistake_retry(request: AuthenticatedHttpRequest, answer_id: int) -> HttpResponse:
    found = mistake_of(request.user, answer_id)
    if found is None:
        raise Http404
    answer, content = found
    step = engine.steps_by_key(content).get(answer.step_key)
    if step is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        try:
            step_key, choice_key, selected = parse_answer(request.POST)
            if step_key != step["key"]:
                raise PlayError("", status=400)
            retry = practice.mistake_retry(
                user=request.user,
                version_id=answer.attempt.version_id,
                step_key=step_key,
                choice_key=choice_key,
                selected=selected,
            )
        except PlayError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("play:mistake-result", answer.pk, retry.pk)
    path = answer.attempt.path
    lead_up = messages_before(content, path, step["key"]) if step["key"] in path else []
    context = _question(content, step, lead_up, _fresh_order(step))
    context |= {"mistake": answer, "error": error}
    return render(request, "quizzes/play/mistake_retry.html", context, status=status)


@login_required
@require_GET
def mistake_result(
    request: AuthenticatedHttpRequest, answer_id: int, retry_id: int
) -> HttpResponse:
    found = mistake_of(request.user, answer_id)
    if found is None:
        raise Http404
    answer, content = found
    retry = get_object_or_404(
        PracticeAnswer,
        pk=retry_id,
        user=request.user,
        source=PracticeAnswer.Source.MISTAKE,
        version_id=answer.attempt.version_id,
        step_key=answer.step_key,
    )
    step = engine.steps_by_key(content)[answer.step_key]
    context = {
        "scenario_title": content["title"],
        "step": step,
        "answer": retry,
        "mistake": answer,
        **answer_feedback(content, step, retry, {}),
    }
    return render(request, "quizzes/play/mistake_result.html", context)


# ---------------------------------------------------------------- boosters


@login_required
@require_POST
def booster_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Resume the open round, or draw a new one from the due and weak tactics."""
    marks = marks_of(request.user)
    status = boosters.status_of(request.user, marks)
    if status.open_booster is not None:
        return redirect("play:booster", status.open_booster.pk)
    wanted = boosters.wanted_tactics(status, mastery_from(marks))
    items = boosters.draw(request.user, get_language(), wanted)
    try:
        booster = practice.booster_start(user=request.user, items=items)
    except PlayError as exc:
        return render(
            request, "quizzes/play/booster_empty.html", {"message": exc.message}, status=exc.status
        )
    return redirect("play:booster", booster.pk)


def _own_booster(request: AuthenticatedHttpRequest, booster_id: int) -> Booster:
    return get_object_or_404(Booster, pk=booster_id, user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def booster_play(request: AuthenticatedHttpRequest, booster_id: int) -> HttpResponse:
    booster = _own_booster(request, booster_id)
    if booster.is_finished:
        return render(request, "quizzes/play/booster_done.html", {"booster": booster})
    item = booster.items[booster.position]
    content = version_content(item["version"])
    step = engine.steps_by_key(content)[item["step"]]
    error, status = "", 200
    if request.method == "POST":
        try:
            step_key, choice_key, selected = parse_answer(request.POST)
            if step_key != step["key"]:
                raise PlayError("", status=409)
            practice.booster_answer(booster=booster, choice_key=choice_key, selected=selected)
        except PlayError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("play:booster-feedback", booster.pk, booster.position + 1)
    lead_up = engine.path_to(content, step["key"])[:-1]
    context = _question(content, step, lead_up, _fresh_order(step))
    context |= {"booster": booster, "number": booster.position + 1, "error": error}
    return render(request, "quizzes/play/booster_step.html", context, status=status)


@login_required
@require_GET
def booster_feedback(
    request: AuthenticatedHttpRequest, booster_id: int, number: int
) -> HttpResponse:
    booster = _own_booster(request, booster_id)
    if not 1 <= number <= len(booster.items):
        raise Http404
    item = booster.items[number - 1]
    answer = PracticeAnswer.objects.filter(
        booster=booster, version_id=item["version"], step_key=item["step"]
    ).first()
    if answer is None:
        raise Http404
    content = version_content(item["version"])
    step = engine.steps_by_key(content)[item["step"]]
    context = {
        "booster": booster,
        "number": number,
        "scenario_title": content["title"],
        "step": step,
        "answer": answer,
        **answer_feedback(content, step, answer, {}),
    }
    return render(request, "quizzes/play/booster_feedback.html", context)
