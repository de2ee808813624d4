"""Writes for practice outside an attempt: a mistake tried again, a booster round started and
its steps answered. Practice never touches an attempt or its answers."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.models import User
from quizzes.models import Booster, PracticeAnswer
from quizzes.play.services import PlayError, refused
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content


def _judge(version_id: int, step_key: str, choice_key: str, selected: list[str]) -> engine.Judged:
    content = version_content(version_id)
    if engine.steps_by_key(content).get(step_key, {}).get("kind") not in {"decision", "spot"}:
        raise PlayError(_("There is nothing to answer on this step."), status=400)
    try:
        return engine.judge(content, step_key, choice_key, selected)
    except engine.InvalidAnswer as exc:
        raise refused(exc) from exc


def _record(
    *,
    user: User,
    version_id: int,
    step_key: str,
    judged: engine.Judged,
    source: str,
    booster: Booster | None = None,
) -> PracticeAnswer:
    return PracticeAnswer.objects.create(
        user=user,
        version_id=version_id,
        step_key=step_key,
        kind=judged.kind,
        choice_key=judged.choice_key,
        selected=judged.selected,
        is_safe=judged.is_safe,
        flags_found=judged.found,
        flags_missed=judged.missed,
        wrongly_flagged=judged.wrong,
        source=source,
        booster=booster,
    )


def mistake_retry(
    *,
    user: User,
    version_id: int,
    step_key: str,
    choice_key: str = "",
    selected: list[str] | None = None,
) -> PracticeAnswer:
    """Answer a step the student once got wrong, again, as practice: each try is kept (the
    mistakes page shows the latest), and the attempt stays as it was."""
    judged = _judge(version_id, step_key, choice_key, selected or [])
    return _record(
        user=user,
        version_id=version_id,
        step_key=step_key,
        judged=judged,
        source=PracticeAnswer.Source.MISTAKE,
    )


def booster_start(*, user: User, items: list[dict]) -> Booster:
    """Start a booster round on the steps drawn for it (quizzes.play.boosters.draw)."""
    if not items:
        raise PlayError(_("There is nothing to practise yet."), status=409)
    return Booster.objects.create(user=user, items=items)


def booster_answer(
    *, booster: Booster, choice_key: str = "", selected: list[str] | None = None
) -> PracticeAnswer:
    """Answer the booster's current step and move on; the last answer finishes the round."""
    try:
        with transaction.atomic():
            booster = Booster.objects.select_for_update().get(pk=booster.pk)
            if booster.is_finished or booster.position >= len(booster.items):
                raise PlayError(_("This booster is already finished."), status=409)
            item = booster.items[booster.position]
            judged = _judge(item["version"], item["step"], choice_key, selected or [])
            answer = _record(
                user=booster.user,
                version_id=item["version"],
                step_key=item["step"],
                judged=judged,
                source=PracticeAnswer.Source.BOOSTER,
                booster=booster,
            )
            booster.position += 1
            booster.right += int(judged.is_safe)
            if booster.position >= len(booster.items):
                booster.finished_at = timezone.now()
            booster.save(update_fields=["position", "right", "finished_at"])
            return answer
    except IntegrityError as exc:  # two answers to the same step raced; the other won
        raise PlayError(_("You have already answered this step."), status=409) from exc
