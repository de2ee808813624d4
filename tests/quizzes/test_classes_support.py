"""Helpers shared by the class tests: published scenarios, classes with students, and
attempts played through the real services (or built in bulk for the query-count tests)."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from awareness.models import Topic, User
from quizzes.models import Answer, Attempt, Classroom, Membership, Scenario
from quizzes.services.attempts import attempt_answer, attempt_start
from quizzes.services.classes import assignment_save, classroom_create
from quizzes.services.publishing import scenario_publish, scenario_replace_steps
from tests.factories import make_student, make_teacher

_seq = count(1)

# d1: "a" is safe (on to the spot step), "b" and "c" are not (on to d2).
STEPS = [
    {
        "key": "m1",
        "kind": "message",
        "from": "Amy (recruiter)",
        "text": "Earn 300 a day just by liking videos!",
        "red_flags": [
            {
                "quote": "Earn 300 a day",
                "why": "Too good to be true.",
                "tactic": "too-good-to-be-true",
            }
        ],
        "next": "d1",
    },
    {
        "key": "d1",
        "kind": "decision",
        "prompt": "What do you reply?",
        "choices": [
            {
                "key": "a",
                "text": "Ignore and block.",
                "safe": True,
                "feedback": "Right.",
                "next": "s1",
            },
            {
                "key": "b",
                "text": "Tell me more!",
                "safe": False,
                "feedback": "Risky.",
                "next": "d2",
            },
            {
                "key": "c",
                "text": "Send my ID card.",
                "safe": False,
                "feedback": "No!",
                "next": "d2",
            },
        ],
    },
    {
        "key": "s1",
        "kind": "spot",
        "prompt": "Tick everything suspicious.",
        "from": "Amy (recruiter)",
        "text": "Pay 500 now to unlock tasks. Our office is in town.",
        "options": [
            {
                "key": "f1",
                "quote": "Pay 500 now",
                "is_flag": True,
                "why": "Pay to unlock.",
                "tactic": "pay-to-unlock",
            },
            {"key": "n1", "quote": "Our office is in town", "is_flag": False, "why": "Harmless."},
        ],
        "next": "end-safe",
    },
    {
        "key": "d2",
        "kind": "decision",
        "prompt": "She asks for a 500 deposit. What now?",
        "choices": [
            {
                "key": "a",
                "text": "Stop and tell a parent.",
                "safe": True,
                "feedback": "Good.",
                "next": "end-partly",
            },
            {
                "key": "b",
                "text": "Pay the deposit.",
                "safe": False,
                "feedback": "Gone.",
                "next": "end-harm",
            },
        ],
    },
    {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "You kept your money."},
    {"key": "end-partly", "kind": "ending", "outcome": "partly-harmed", "text": "Your ID is out."},
    {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "The deposit is gone."},
]


def make_topic(language: str = "en") -> Topic:
    slug = f"topic-{next(_seq)}"
    topic, _ = Topic.objects.get_or_create(
        language=language,
        slug=slug,
        defaults={"title": "Task scams", "summary": "Easy money.", "body_markdown": "How."},
    )
    return topic


def make_scenario(title: str | None = None, *, language: str = "en", topic=None) -> Scenario:
    """A published scenario with two decisions, a spot step and three endings."""
    n = next(_seq)
    scenario = Scenario.objects.create(
        language=language,
        slug=f"scenario-{n}",
        title=title or f"Scenario {n}",
        summary="A stranger offers easy money.",
        topic=topic or make_topic(language),
        channel="chat",
        difficulty="easy",
        start_key="m1",
    )
    scenario_replace_steps(scenario=scenario, steps=STEPS)
    scenario_publish(scenario=scenario)
    scenario.refresh_from_db()
    return scenario


def make_class(teacher: User | None = None, name: str = "7B") -> Classroom:
    return classroom_create(teacher=teacher or make_teacher(), name=name)


def add_student(classroom: Classroom, student: User | None = None, **extra) -> User:
    student = student or make_student(**extra)
    Membership.objects.create(classroom=classroom, student=student)
    return student


def assign(classroom: Classroom, scenario: Scenario, due_date=None):
    return assignment_save(
        classroom=classroom, teacher=classroom.teacher, scenario=scenario, due_date=due_date
    )


# Answers that lead to each ending: the choice for d1, then d2's choice or s1's ticks.
PLAYS = {
    "safe": [("d1", "a", None), ("s1", "", ["f1"])],
    "partly-harmed": [("d1", "b", None), ("d2", "a", None)],
    "harmed": [("d1", "c", None), ("d2", "b", None)],
    "in-progress": [("d1", "b", None)],
    "started": [],
}


def play(scenario: Scenario, user: User, plan: str = "safe") -> Attempt:
    """Play ``scenario`` through the real services, following one of PLAYS."""
    attempt = attempt_start(scenario=scenario, user=user)
    for step_key, choice_key, selected in PLAYS[plan]:
        attempt_answer(attempt=attempt, step_key=step_key, choice_key=choice_key, selected=selected)
    attempt.refresh_from_db()
    return attempt


def bulk_attempts(scenarios: list[Scenario], students: list[User]) -> None:
    """A finished attempt (two answers) for every student on every scenario, plus an open
    retry for some, written in bulk: fast enough for 40 × 20."""
    now = timezone.now()
    attempts = []
    plans = ["safe", "partly-harmed", "harmed"]
    for i, student in enumerate(students):
        for j, scenario in enumerate(scenarios):
            plan = plans[(i + j) % 3]
            decisions, safe = {"safe": (1, 1), "partly-harmed": (2, 1), "harmed": (2, 0)}[plan]
            attempts.append(
                Attempt(
                    user=student,
                    scenario=scenario,
                    version_id=scenario.published_version_id,
                    status="completed",
                    current_key="end",
                    outcome=plan,
                    decisions=decisions,
                    safe_decisions=safe,
                    finished_at=now,
                )
            )
            if (i + j) % 5 == 0:
                attempts.append(
                    Attempt(
                        user=student,
                        scenario=scenario,
                        version_id=scenario.published_version_id,
                        current_key="d1",
                    )
                )
    attempts = Attempt.objects.bulk_create(attempts)
    answers = []
    for attempt in attempts:
        if attempt.status != "completed":
            continue
        for step_key, choice_key, selected in PLAYS[attempt.outcome]:
            step_kind = "spot" if step_key == "s1" else "decision"
            answers.append(
                Answer(
                    attempt=attempt,
                    step_key=step_key,
                    kind=step_kind,
                    choice_key=choice_key,
                    selected=selected or [],
                    is_safe=(step_key, choice_key) in {("d1", "a"), ("d2", "a")}
                    or step_kind == "spot",
                )
            )
    Answer.objects.bulk_create(answers)


def tomorrow():
    return timezone.localdate() + timedelta(days=1)
