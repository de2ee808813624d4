"""Writes for playing: start an attempt, answer its current step, move visitors' attempts to
their new account. The server alone decides what is safe."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.models import User
from quizzes.models import Answer, Attempt, Scenario
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content

# The session key under which a visitor's random id lives (see quizzes.play.views.visitor_id).
VISITOR_SESSION_KEY = "visitor_id"


class PlayError(Exception):
    """An answer that cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@transaction.atomic
def attempt_start(*, scenario: Scenario, user: User | None, visitor_id: str = "") -> Attempt:
    """Start a new play-through on the scenario's published version."""
    if scenario.published_version_id is None:
        raise PlayError(_("This scenario is not published."), status=404)
    if user is None and not visitor_id:
        raise PlayError(_("Playing needs an account or a browser session."), status=400)
    content = version_content(scenario.published_version_id)
    path = engine.run_to_stop(content, content["start"])
    attempt = Attempt(
        user=user,
        visitor_id="" if user else visitor_id,
        scenario=scenario,
        version_id=scenario.published_version_id,
        current_key=path[-1],
        path=path,
        option_order=engine.shuffled_order(content),
    )
    _finish_if_ending(attempt)
    attempt.save()
    return attempt


def refused(exc: engine.InvalidAnswer) -> PlayError:
    """The 400 for an answer that does not fit its step (attempts and practice alike)."""
    message = {
        "choice": _("Choose one of the options."),
        "options": _("Tick at least one of the phrases shown."),
    }.get(str(exc), _("There is nothing to answer on this step."))
    return PlayError(message, status=400)


def _finish_if_ending(attempt: Attempt) -> None:
    step = engine.steps_by_key(version_content(attempt.version_id))[attempt.current_key]
    if step["kind"] == "ending":
        attempt.status = Attempt.Status.COMPLETED
        attempt.outcome = step["outcome"]
        attempt.finished_at = timezone.now()


def attempt_answer(
    *,
    attempt: Attempt,
    step_key: str,
    choice_key: str = "",
    selected: list[str] | None = None,
) -> Answer:
    """Answer the attempt's current decision or spot step and move on to the next stop.

    Sending the same answer again returns the stored one and changes nothing.
    """
    if not _is_first(attempt, step_key):
        # A repeat (double tap, back button) is answered from a plain read, without taking the
        # write lock. An answer to the current step cannot exist yet (answering moves the
        # attempt on, and no path comes back to a step), so a first answer skips this read.
        existing = Answer.objects.filter(attempt=attempt, step_key=step_key).first()
        if existing is not None:
            _check_repeat(existing, choice_key, selected)
            return existing
    try:
        with transaction.atomic():
            return _attempt_answer(
                attempt=attempt, step_key=step_key, choice_key=choice_key, selected=selected
            )
    except IntegrityError:
        # Two identical submissions raced; the other one won. Answer as for a repeat.
        existing = Answer.objects.filter(attempt=attempt, step_key=step_key).first()
        if existing is None:
            raise
        _check_repeat(existing, choice_key, selected)
        return existing


def _is_first(attempt: Attempt, step_key: str) -> bool:
    """Whether ``step_key`` is where the attempt stands, unanswered."""
    return attempt.status != Attempt.Status.COMPLETED and step_key == attempt.current_key


def _check_repeat(existing: Answer, choice_key: str, selected: list[str] | None) -> None:
    same = (
        existing.choice_key == choice_key
        if existing.kind == "decision"
        else sorted(existing.selected) == sorted(set(selected or []))
    )
    if not same:
        raise PlayError(_("You have already answered this step."), status=409)


# What answering changes on the attempt (updated_at included: auto_now needs naming here).
ANSWER_CHANGES = (
    "decisions",
    "safe_decisions",
    "flags_found",
    "flags_total",
    "path",
    "current_key",
    "status",
    "outcome",
    "finished_at",
    "updated_at",
)


def _attempt_answer(
    *, attempt: Attempt, step_key: str, choice_key: str, selected: list[str] | None
) -> Answer:
    # The version's content comes from quizzes.scenarios.versions (kept in memory), not this row.
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not _is_first(attempt, step_key):
        # Another request may have answered this step since the attempt was read: a repeat.
        existing = Answer.objects.filter(attempt=attempt, step_key=step_key).first()
        if existing is not None:
            _check_repeat(existing, choice_key, selected)
            return existing
    if attempt.status == Attempt.Status.COMPLETED:
        raise PlayError(_("This play-through is already finished."), status=409)
    if step_key != attempt.current_key:
        raise PlayError(_("That is not the step you are on."), status=409)

    content = version_content(attempt.version_id)
    try:
        judged = engine.judge(content, step_key, choice_key, selected or [])
    except engine.InvalidAnswer as exc:
        raise refused(exc) from exc
    answer = Answer.objects.create(
        attempt=attempt,
        step_key=step_key,
        kind=judged.kind,
        choice_key=judged.choice_key,
        selected=judged.selected,
        is_safe=judged.is_safe,
        flags_found=judged.found,
        flags_missed=judged.missed,
        wrongly_flagged=judged.wrong,
    )
    if judged.kind == "decision":
        attempt.decisions += 1
        attempt.safe_decisions += int(judged.is_safe)
    attempt.flags_found += judged.found
    attempt.flags_total += judged.found + judged.missed
    attempt.path = [*attempt.path, *judged.next_path]
    attempt.current_key = judged.next_path[-1]
    _finish_if_ending(attempt)
    attempt.save(update_fields=ANSWER_CHANGES)
    return answer


@transaction.atomic
def attempts_claim(*, user: User, visitor_id: str) -> int:
    """Move a visitor's attempts (kept by session) to the account they signed up or in with."""
    if not visitor_id:
        return 0
    return Attempt.objects.filter(user__isnull=True, visitor_id=visitor_id).update(
        user=user, visitor_id=""
    )
