"""Shared by the benchmark scripts (import after django.setup()): play a scenario part-way
through the real services, with choices that vary by student so results differ."""

from awareness.models import User
from quizzes.models import Scenario
from quizzes.play.services import attempt_answer, attempt_start
from quizzes.scenarios import engine


def play_some(scenario: Scenario, user: User, depth: int) -> None:
    """Start an attempt and answer up to ``depth`` steps (stops early at an ending)."""
    attempt = attempt_start(scenario=scenario, user=user)
    for _ in range(depth):
        attempt.refresh_from_db()
        if attempt.is_finished:
            return
        step = engine.steps_by_key(attempt.version.content)[attempt.current_key]
        if step["kind"] == "decision":
            choice = step["choices"][(user.pk + len(step["key"])) % len(step["choices"])]
            attempt_answer(attempt=attempt, step_key=step["key"], choice_key=choice["key"])
        else:
            attempt_answer(
                attempt=attempt, step_key=step["key"], selected=[step["options"][0]["key"]]
            )
