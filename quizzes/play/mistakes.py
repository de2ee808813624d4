"""The student's mistakes: each unsafe choice and each spot step with a missed or wrong flag,
newest first, with what was missed and why, and how the latest try again went."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.safestring import SafeString

from awareness.models import User
from quizzes.models import Answer, PracticeAnswer, ScenarioVersion
from quizzes.play.selectors import messages_before
from quizzes.play.simulation import Mark, simulation_html, spot_message_html
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content

SHOWN = 50  # the newest mistakes listed; older ones are still counted


@dataclass
class Mistake:
    answer_id: int
    version_id: int
    scenario_title: str
    step: dict[str, Any]
    at: datetime
    chosen: dict[str, Any] | None = None  # the unsafe choice of a decision
    safe_choices: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)  # flags not ticked
    wrong: list[dict[str, Any]] = field(default_factory=list)  # harmless phrases ticked
    message: SafeString = SafeString("")
    retry: PracticeAnswer | None = None  # the latest try again

    @property
    def fixed(self) -> bool:
        return self.retry is not None and self.retry.is_safe


@dataclass
class Mistakes:
    items: list[Mistake]
    total: int

    @property
    def fixed(self) -> int:
        return sum(1 for m in self.items if m.fixed)


def _mistake(answer: Answer, content: dict[str, Any]) -> Mistake | None:
    step = engine.steps_by_key(content).get(answer.step_key)
    if step is None or step["kind"] not in {"decision", "spot"}:
        return None
    mistake = Mistake(
        answer.pk, answer.attempt.version_id, content["title"], step, answer.created_at
    )
    path = answer.attempt.path
    if step["kind"] == "decision":
        mistake.chosen = engine.find_choice(step, answer.choice_key)
        mistake.safe_choices = [c for c in step["choices"] if c["safe"]]
        lead_up = messages_before(content, path, step["key"]) if step["key"] in path else []
        mistake.message = simulation_html(content, lead_up, with_flags=True)
    else:
        selected = set(answer.selected)
        marks = []
        for option in step["options"]:
            if option["is_flag"] and option["key"] not in selected:
                mistake.missed.append(option)
                marks.append((option["quote"], option.get("field", ""), Mark("spot-missed")))
            elif not option["is_flag"] and option["key"] in selected:
                mistake.wrong.append(option)
                marks.append((option["quote"], option.get("field", ""), Mark("spot-wrong")))
        mistake.message = spot_message_html(content, step, marks)
    return mistake


def mistakes_of(user: User) -> Mistakes:
    """At most four queries however many answers the student has: their unsafe answers
    (newest SHOWN, with the attempt's version and path), their count when there are more,
    the versions they were given on, and the tries again."""
    unsafe = Answer.objects.filter(attempt__user=user, is_safe=False)
    answers = list(
        unsafe.select_related("attempt")
        .only(
            *("step_key", "kind", "choice_key", "selected", "created_at"),
            *("attempt__version_id", "attempt__path"),
        )
        .order_by("-created_at", "-id")[:SHOWN]
    )
    total = len(answers) if len(answers) < SHOWN else unsafe.count()
    retries: dict[tuple[int, str], PracticeAnswer] = {}
    for retry in PracticeAnswer.objects.filter(
        user=user, source=PracticeAnswer.Source.MISTAKE
    ).order_by("created_at", "id"):
        retries[(retry.version_id, retry.step_key)] = retry  # the latest wins
    versions = dict(
        ScenarioVersion.objects.filter(pk__in={a.attempt.version_id for a in answers})
        .values_list("pk", "content")
        .order_by()
    )
    items = []
    for answer in answers:
        mistake = _mistake(answer, versions[answer.attempt.version_id])
        if mistake is not None:
            mistake.retry = retries.get((mistake.version_id, answer.step_key))
            items.append(mistake)
    return Mistakes(items, total)


def mistake_of(user: User, answer_id: int) -> tuple[Answer, dict[str, Any]] | None:
    """One of the student's unsafe answers and the content it was given on, or None."""
    answer = (
        Answer.objects.filter(pk=answer_id, attempt__user=user, is_safe=False)
        .select_related("attempt")
        .first()
    )
    if answer is None:
        return None
    return answer, version_content(answer.attempt.version_id)
