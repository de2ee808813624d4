"""Classes with students, and attempts and spot-the-scam checks taken through the real
services (or built in bulk for the query-count tests)."""

import random
from datetime import timedelta

from django.utils import timezone

from awareness.models import User
from quizzes.check.services import check_answer, check_session_start
from quizzes.classes.services import assignment_save, classroom_create
from quizzes.models import (
    Answer,
    Attempt,
    CheckAnswer,
    CheckItem,
    CheckSession,
    Classroom,
    Membership,
    Scenario,
)
from quizzes.play.services import attempt_answer, attempt_start
from tests.factories.users import make_student, make_teacher


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
PLAYS: dict[str, list[tuple[str, str, list[str] | None]]] = {
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
            version_id = scenario.published_version_id
            assert version_id is not None  # make_branching_scenario publishes
            decisions, safe = {"safe": (1, 1), "partly-harmed": (2, 1), "harmed": (2, 0)}[plan]
            attempts.append(
                Attempt(
                    user=student,
                    scenario=scenario,
                    version_id=version_id,
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
                        version_id=version_id,
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


# --- the spot-the-scam check ---------------------------------------------------------------


def make_check_items(language: str = "en") -> list[CheckItem]:
    """Fifteen matched pairs (a scam and its real twin) over five topics and three channels:
    the bank splits them into forms A, B and C of five pairs, so each check shows five scams
    and five real messages."""
    topics = ["phishing", "money-mules", "fake-loans", "gaming-scams", "fake-police"]
    channels = ["sms", "chat", "email"]
    CheckItem.objects.bulk_create(
        [
            CheckItem(
                language=language,
                key=f"{'scam' if is_scam else 'real'}-{n:02d}",
                pair=f"{'real' if is_scam else 'scam'}-{n:02d}",
                topic=topics[n % 5],
                channel=channels[n // 5],
                sender=f"Sender {n}",
                text=f"{'Scam' if is_scam else 'Real'} message {n}",
                is_scam=is_scam,
                explanation="Why.",
                tactics=["urgency"] if is_scam else [],
            )
            for is_scam in (True, False)
            for n in range(15)
        ],
        ignore_conflicts=True,
    )
    return list(CheckItem.objects.filter(language=language))


def take_check(
    student: User, *, missed: int = 0, false_alarms: int = 0, finish: bool = True
) -> CheckSession:
    """Take the student's next check (before, then after) through the real services, or go on
    with their unfinished one: miss ``missed`` of the scams, call ``false_alarms`` real
    messages scams, get the rest right; without ``finish``, leave the last message
    unanswered."""
    session = check_session_start(user=student, language="en", rng=random.Random(3))
    answered = session.answers.count()
    items = {
        i.key: i
        for i in CheckItem.objects.filter(language=session.language, key__in=session.item_keys)
    }
    scams_seen = real_seen = 0
    last = len(session.item_keys) if finish else len(session.item_keys) - 1
    for position, key in enumerate(session.item_keys[:last], start=1):
        if items[key].is_scam:
            scams_seen += 1
            says_scam = scams_seen > missed
        else:
            real_seen += 1
            says_scam = real_seen <= false_alarms
        if position > answered:
            check_answer(session=session, position=position, says_scam=says_scam, confidence=2)
    session.refresh_from_db()
    return session


def bulk_checks(students: list[User]) -> None:
    """Checks written in bulk, fast enough for 40 students: every student a finished "before"
    check, every other one a finished "after" check, the rest an unfinished "after" one."""
    items = make_check_items()
    scams = [i for i in items if i.is_scam][:5]
    real = [i for i in items if not i.is_scam][:5]
    now = timezone.now()
    sessions = []
    for i, student in enumerate(students):
        sessions.append(
            CheckSession(user=student, language="en", kind="pre", form="a", finished_at=now)
        )
        sessions.append(
            CheckSession(
                user=student,
                language="en",
                kind="post",
                form="b",
                finished_at=now if i % 2 == 0 else None,
            )
        )
    sessions = CheckSession.objects.bulk_create(sessions)
    answers = []
    for index, session in enumerate(sessions):
        student_index, is_post = divmod(index, 2)
        wrong = (student_index + is_post) % 4  # a spread of scores, "after" one step on
        for position, item in enumerate(scams + real, start=1):
            if session.finished_at is None and position > 5:
                break
            correct = position > wrong
            answers.append(
                CheckAnswer(
                    session=session,
                    item=item,
                    position=position,
                    says_scam=item.is_scam == correct,
                    confidence=2,
                    is_correct=correct,
                )
            )
    CheckAnswer.objects.bulk_create(answers)
