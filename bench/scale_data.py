"""The other schools for bench/scale.py (import after django.setup()): fill the large database
with classes, students, assignments, attempts and answers judged by the real engine, run
ANALYZE, and count the rows.
"""

import random
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from awareness.models import User
from quizzes.models import (
    Answer,
    Assignment,
    Attempt,
    Classroom,
    Membership,
    Scenario,
    ScenarioVersion,
)
from quizzes.scenarios import engine

# Filler accounts cannot log in.
UNUSABLE = make_password(None)

# The other schools: classes of 30, 20 assigned scenarios each (one class in five in
# Chinese); a student plays most of what is assigned, sometimes twice, and leaves one
# play-through in five unfinished.
CLASS_SIZE = 30
CLASSES_PER_BATCH = 10
ASSIGNED = 20
PLAYS = 0.85
RETRIES = 0.15
UNFINISHED = 0.2


def walk(content: dict, rng: random.Random, finish: bool) -> tuple[list[str], list]:
    """A random play-through judged by the real engine: the path and the judged answers."""
    steps = engine.steps_by_key(content)
    path = engine.run_to_stop(content, content["start"])
    judged: list[tuple[str, engine.Judged]] = []
    limit = None if finish else rng.randrange(0, 4)
    while steps[path[-1]]["kind"] != "ending" and (limit is None or len(judged) < limit):
        step = steps[path[-1]]
        if step["kind"] == "decision":
            choice = rng.choice(step["choices"])["key"]
            result = engine.judge(content, step["key"], choice, [])
        else:
            keys = [o["key"] for o in step["options"]]
            result = engine.judge(content, step["key"], "", rng.sample(keys, rng.randint(1, 2)))
        judged.append((step["key"], result))
        path += result.next_path
    return path, judged


def attempt_rows(student_id: int, scenario: Scenario, content: dict, rng: random.Random):
    finish = rng.random() >= UNFINISHED
    path, judged = walk(content, rng, finish)
    end = engine.steps_by_key(content)[path[-1]]
    done = end["kind"] == "ending"
    decisions = [r for _key, r in judged if r.kind == "decision"]
    assert scenario.published_version_id is not None
    attempt = Attempt(
        user_id=student_id,
        scenario_id=scenario.pk,
        version_id=scenario.published_version_id,
        status=Attempt.Status.COMPLETED if done else Attempt.Status.IN_PROGRESS,
        outcome=end["outcome"] if done else "",
        finished_at=timezone.now() if done else None,
        current_key=path[-1],
        path=path,
        decisions=len(decisions),
        safe_decisions=sum(r.is_safe for r in decisions),
        flags_found=sum(r.found for _key, r in judged),
        flags_total=sum(r.found + r.missed for _key, r in judged),
    )
    answers = [
        Answer(
            step_key=key,
            kind=r.kind,
            choice_key=r.choice_key,
            selected=r.selected,
            is_safe=r.is_safe,
            flags_found=r.found,
            flags_missed=r.missed,
            wrongly_flagged=r.wrong,
        )
        for key, r in judged
    ]
    return attempt, answers


@transaction.atomic
def fill_batch(batch: int, by_language: dict[str, list[Scenario]], rng: random.Random) -> int:
    """Ten classes of another school with their teachers, students, assignments, attempts
    and answers; returns the number of answers added."""
    teachers = User.objects.bulk_create(
        User(username=f"filler-t{batch}-{c}", password=UNUSABLE, role=User.Role.TEACHER)
        for c in range(CLASSES_PER_BATCH)
    )
    classes = Classroom.objects.bulk_create(
        Classroom(teacher=t, name=f"Class {batch}-{c}", join_code=f"F{batch:04d}{c:03d}")
        for c, t in enumerate(teachers)
    )
    students = User.objects.bulk_create(
        User(username=f"filler-s{batch}-{c}-{s}", password=UNUSABLE)
        for c in range(CLASSES_PER_BATCH)
        for s in range(CLASS_SIZE)
    )
    memberships, assignments, attempts, answers = [], [], [], []
    for c, classroom in enumerate(classes):
        language = "zh-hans" if c % 5 == 4 else "en"
        assigned = rng.sample(by_language[language], ASSIGNED)
        assignments += [Assignment(classroom=classroom, scenario=s) for s in assigned]
        for student in students[c * CLASS_SIZE : (c + 1) * CLASS_SIZE]:
            memberships.append(Membership(classroom=classroom, student=student))
            for scenario in assigned:
                if rng.random() >= PLAYS:
                    continue
                assert scenario.published_version is not None
                for _ in range(2 if rng.random() < RETRIES else 1):
                    attempt, rows = attempt_rows(
                        student.pk, scenario, scenario.published_version.content, rng
                    )
                    attempts.append(attempt)
                    answers.append(rows)
    Membership.objects.bulk_create(memberships)
    Assignment.objects.bulk_create(assignments)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    flat = []
    for attempt, rows in zip(attempts, answers, strict=True):
        for row in rows:
            row.attempt_id = attempt.pk
            flat.append(row)
    Answer.objects.bulk_create(flat, batch_size=2000)
    return len(flat)


def fill(answers_wanted: int, rng: random.Random) -> None:
    scenarios = Scenario.objects.published().select_related("published_version")
    by_language: dict[str, list[Scenario]] = {}
    for scenario in scenarios.order_by("pk"):
        by_language.setdefault(scenario.language, []).append(scenario)
    total = Answer.objects.count()
    batch = 0
    start = time.perf_counter()
    while total < answers_wanted:
        total += fill_batch(batch, by_language, rng)
        batch += 1
        if batch % 10 == 0:
            print(f"  {total:,} answers after {time.perf_counter() - start:.0f} s", flush=True)


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def sizes() -> dict[str, int]:
    return {
        "answers": Answer.objects.count(),
        "attempts": Attempt.objects.count(),
        "users": User.objects.count(),
        "classes": Classroom.objects.count(),
        "versions": ScenarioVersion.objects.count(),
    }
