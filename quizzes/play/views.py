"""Scenario list, intro, the play flow (plain forms, post/redirect/get) and progress.

Attempts and editor previews share the same pages through a small "player" interface: a
database attempt for students and visitors, a session copy of the draft for editors.
"""

import secrets
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awareness.models import Topic, User
from awareness.page_cache import cache_public_page
from awareness.typing import AuthenticatedHttpRequest
from quizzes.check.selectors import student_check_summary
from quizzes.classes.assigned import student_assignments
from quizzes.models import Attempt, Channel, Difficulty, Scenario
from quizzes.play import boosters, selectors
from quizzes.play.badges import badges_of
from quizzes.play.feedback import answer_feedback
from quizzes.play.forms import ScenarioFilterForm, parse_answer
from quizzes.play.mastery import marks_of, mastery_from, practice_for
from quizzes.play.recap import recap
from quizzes.play.services import (
    VISITOR_SESSION_KEY,
    PlayError,
    attempt_answer,
    attempt_start,
)
from quizzes.play.simulation import simulation_html, spot_message_html
from quizzes.play.start_throttle import start_allowed, start_refused
from quizzes.scenarios import engine
from quizzes.scenarios.publishing import scenario_to_dict, scenario_validate
from quizzes.scenarios.versions import version_content


def visitor_id(request: HttpRequest, *, create: bool = False) -> str:
    """The random id that ties a visitor's attempts to their session."""
    value = request.session.get(VISITOR_SESSION_KEY, "")
    if not value and create:
        value = request.session[VISITOR_SESSION_KEY] = secrets.token_urlsafe(16)
    return value


def _player_user(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def _get_attempt_for_player(request: HttpRequest, attempt_id: int) -> Attempt:
    """The attempt if it belongs to this user (or this visitor's session); 404 otherwise."""
    attempts = Attempt.objects.select_related("scenario__published_topic")
    if request.user.is_authenticated:
        return get_object_or_404(attempts, pk=attempt_id, user=request.user)
    vid = visitor_id(request)
    if not vid:
        raise Http404
    return get_object_or_404(attempts, pk=attempt_id, user__isnull=True, visitor_id=vid)


@dataclass
class AttemptPlayer:
    attempt: Attempt
    preview = False

    @property
    def scenario(self) -> Scenario:
        return self.attempt.scenario

    @property
    def topic(self) -> Topic | None:
        # The topic students find the scenario listed under. The version names its topic by
        # slug only; looking the row up would cost a query per page, and the two differ only
        # if the scenario was moved and published again while this attempt was open.
        return self.attempt.scenario.published_topic

    @property
    def content(self) -> dict[str, Any]:
        return version_content(self.attempt.version_id)

    def __getattr__(self, name: str) -> Any:
        # path, current_key, decisions, safe_decisions, flags_found, flags_total, outcome...
        return getattr(self.attempt, name)

    @property
    def finished(self) -> bool:
        return self.attempt.is_finished

    @property
    def answers(self) -> dict[str, Any]:
        return {a.step_key: a for a in self.attempt.answers.all()}

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"play:attempt-{name}", args=[self.scenario.slug, self.attempt.pk, *args])

    def answer(self, step_key: str, choice_key: str, selected: list[str]) -> None:
        attempt_answer(
            attempt=self.attempt, step_key=step_key, choice_key=choice_key, selected=selected
        )


class PreviewPlayer:
    """An editor's play-through of a draft, kept in the session: no progress is stored."""

    preview = True
    version_id = None  # a draft: nothing frozen to cache against

    def __init__(self, request: HttpRequest, scenario: Scenario) -> None:
        self.scenario = scenario
        self.topic = scenario.topic  # the draft's, as everything in a preview
        self.session = request.session
        self.key = f"preview-{scenario.pk}"
        state = self.session.get(self.key)
        if state is None:
            raise Http404
        self.state: dict[str, Any] = state

    @classmethod
    def start(cls, request: HttpRequest, scenario: Scenario) -> None:
        content = scenario_to_dict(scenario)
        path = engine.run_to_stop(content, content["start"])
        request.session[f"preview-{scenario.pk}"] = {
            "content": content,
            "path": path,
            "option_order": engine.shuffled_order(content),
            "answers": {},
            "decisions": 0,
            "safe_decisions": 0,
            "flags_found": 0,
            "flags_total": 0,
        }

    def __getattr__(self, name: str) -> Any:
        return self.state[name]

    @property
    def current_key(self) -> str:
        return self.state["path"][-1]

    @property
    def option_order(self) -> dict[str, list[str]]:
        return self.state.get("option_order", {})  # previews started before orders existed

    @property
    def finished(self) -> bool:
        return engine.steps_by_key(self.content)[self.current_key]["kind"] == "ending"

    @property
    def outcome(self) -> str:
        step = engine.steps_by_key(self.content)[self.current_key]
        return step.get("outcome", "") if self.finished else ""

    @property
    def answers(self) -> dict[str, Any]:
        return {k: SimpleNamespace(**v) for k, v in self.state["answers"].items()}

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"play:preview-{name}", args=[self.scenario.pk, *args])

    def answer(self, step_key: str, choice_key: str, selected: list[str]) -> None:
        # The same checks as quizzes.play.services, on the session copy.
        if step_key in self.state["answers"]:
            return
        if self.finished or step_key != self.current_key:
            raise PlayError(_("That is not the step you are on."), status=409)
        try:
            judged = engine.judge(self.content, step_key, choice_key, selected)
        except engine.InvalidAnswer as exc:
            raise PlayError(_("Choose one of the options."), status=400) from exc
        state = self.state
        state["answers"][step_key] = {
            "step_key": step_key,
            "kind": judged.kind,
            "choice_key": judged.choice_key,
            "selected": judged.selected,
            "is_safe": judged.is_safe,
            "flags_found": judged.found,
            "flags_missed": judged.missed,
            "wrongly_flagged": judged.wrong,
        }
        if judged.kind == "decision":
            state["decisions"] += 1
            state["safe_decisions"] += int(judged.is_safe)
        state["flags_found"] += judged.found
        state["flags_total"] += judged.found + judged.missed
        state["path"] = [*state["path"], *judged.next_path]
        self.session.modified = True


# ---------------------------------------------------------------- list, intro, start


@require_GET
@cache_public_page
def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = selectors.published_scenarios(get_language())
    form = ScenarioFilterForm(request.GET or None, scenarios=scenarios)
    scenarios = form.filter(scenarios)
    states = selectors.scenario_states(_player_user(request), visitor_id(request))
    rows = [(s, states.get(s.pk)) for s in scenarios]
    return render(request, "quizzes/play/scenario_list.html", {"form": form, "rows": rows})


@require_GET
@cache_public_page
def scenario_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = selectors.scenario_for_slug(slug, get_language())
    if scenario is None:
        raise Http404
    player = _player_user(request), visitor_id(request)
    state = selectors.scenario_states(*player, scenario=scenario).get(scenario.pk)
    content = version_content(scenario.published_version_id)
    return render(
        request,
        "quizzes/play/scenario_detail.html",
        {
            "scenario": scenario,
            "state": state,
            "decision_total": engine.decisions_remaining(content, content["start"]),
        },
    )


@require_POST
def scenario_start(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = selectors.scenario_for_slug(slug, get_language())
    if scenario is None:
        raise Http404
    user = _player_user(request)
    visitor = "" if user else visitor_id(request, create=True)
    if not start_allowed(request, visitor_id=visitor):
        return start_refused(request)
    attempt = attempt_start(scenario=scenario, user=user, visitor_id=visitor)
    return redirect("play:attempt-play", scenario.slug, attempt.pk)


# ---------------------------------------------------------------- the play flow


def _shown(player: AttemptPlayer | PreviewPlayer, content: dict[str, Any]) -> dict[str, Any]:
    """The scenario's title, channel, difficulty and topic as the play pages show them: from
    the content being played (an attempt's frozen version, or the draft in an editor's
    preview) and the player's topic, never from the draft row, whose edits students must not
    see before they are published."""
    return {
        "scenario_title": content["title"],
        "channel": Channel(content["channel"]),
        "difficulty": Difficulty(content["difficulty"]),
        "topic": player.topic,
    }


def _render_play(
    request: HttpRequest,
    player: AttemptPlayer | PreviewPlayer,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    content = player.content
    steps = engine.steps_by_key(content)
    current = steps[player.current_key]
    history_keys = player.path[:-1]
    context = {
        "player": player,
        "scenario": player.scenario,
        **_shown(player, content),
        "content": content,
        "simulation": simulation_html(
            content,
            history_keys,
            with_flags=False,
        ),
        "step": current,
        "spot_message": spot_message_html(content, current) if current["kind"] == "spot" else "",
        "options": engine.in_shown_order(current, player.option_order),
        "answered": engine.answered_count(content, player.path),
        "remaining": engine.decisions_remaining(content, player.current_key),
        "error": error,
        "answer_url": player.url("answer"),
    }
    if player.finished:
        context["next_scenario"] = _next_scenario(request, player.scenario)
        context["recap"] = recap(content, player.path, player.answers)
        template = "quizzes/play/attempt_ending.html"
    else:
        template = "quizzes/play/attempt_play.html"
    return render(request, template, context, status=status)


def _next_scenario(request: HttpRequest, scenario: Scenario) -> Scenario | None:
    return selectors.next_unplayed_scenario(scenario, _player_user(request), visitor_id(request))


def _answer(request: HttpRequest, player: AttemptPlayer | PreviewPlayer) -> HttpResponse:
    try:
        step_key, choice_key, selected = parse_answer(request.POST)
        if step_key not in engine.steps_by_key(player.content):
            raise PlayError(_("That step is not part of this scenario."), status=400)
        player.answer(step_key, choice_key, selected)
    except PlayError as exc:
        return _render_play(request, player, error=exc.message, status=exc.status)
    return redirect(player.url("feedback", step_key))


def _render_feedback(
    request: HttpRequest, player: AttemptPlayer | PreviewPlayer, step_key: str
) -> HttpResponse:
    answer = player.answers.get(step_key)
    if answer is None:
        raise Http404
    content = player.content
    step = engine.steps_by_key(content)[step_key]
    context = {
        "player": player,
        "scenario": player.scenario,
        **_shown(player, content),
        "step": step,
        "answer": answer,
        "play_url": player.url("play"),
        "answered": engine.answered_count(content, player.path),
        "remaining": engine.decisions_remaining(content, player.current_key),
        "simulation": simulation_html(
            content,
            selectors.messages_before(content, player.path, step_key),
            with_flags=True,
        ),
    }
    context.update(answer_feedback(content, step, answer, player.option_order))
    return render(request, "quizzes/play/attempt_feedback.html", context)


@require_GET
def attempt_play(request: HttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    attempt = _get_attempt_for_player(request, attempt_id)
    if attempt.scenario.slug != slug:
        return redirect("play:attempt-play", attempt.scenario.slug, attempt.pk)
    return _render_play(request, AttemptPlayer(attempt))


@require_POST
def attempt_answer_view(request: HttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    return _answer(request, AttemptPlayer(_get_attempt_for_player(request, attempt_id)))


@require_GET
def attempt_feedback(
    request: HttpRequest, slug: str, attempt_id: int, step_key: str
) -> HttpResponse:
    return _render_feedback(
        request, AttemptPlayer(_get_attempt_for_player(request, attempt_id)), step_key
    )


# ---------------------------------------------------------------- editor preview


def _get_draft_for_editor(request: HttpRequest, pk: int) -> Scenario:
    if not request.user.has_perm("quizzes.change_scenario"):
        raise PermissionDenied
    return get_object_or_404(Scenario.objects.select_related("topic"), pk=pk)


@login_required
def preview_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scenario = _get_draft_for_editor(request, pk)
    errors = scenario_validate(scenario)
    if errors:
        return render(
            request, "quizzes/play/preview_errors.html", {"scenario": scenario, "errors": errors}
        )
    PreviewPlayer.start(request, scenario)
    return redirect("play:preview-play", scenario.pk)


@login_required
@require_GET
def preview_play(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_play(request, PreviewPlayer(request, _get_draft_for_editor(request, pk)))


@login_required
@require_POST
def preview_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(request, PreviewPlayer(request, _get_draft_for_editor(request, pk)))


@login_required
@require_GET
def preview_feedback(request: AuthenticatedHttpRequest, pk: int, step_key: str) -> HttpResponse:
    player = PreviewPlayer(request, _get_draft_for_editor(request, pk))
    return _render_feedback(request, player, step_key)


# ---------------------------------------------------------------- progress


@login_required
@require_GET
def progress(request: AuthenticatedHttpRequest) -> HttpResponse:
    summary = selectors.student_progress(request.user, get_language())
    marks = marks_of(request.user)
    mastery = mastery_from(marks)
    context = {
        "summary": summary,
        "mastery": mastery,
        "booster": boosters.status_of(request.user, marks),
        "badges": badges_of(request.user, marks),
        "practice": practice_for(mastery, summary.published, summary.finished),
        "assignments": student_assignments(request.user),
        "check": student_check_summary(request.user),
    }
    return render(request, "quizzes/play/progress.html", context)
