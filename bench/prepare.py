"""Build the benchmark's data set and print what the load runs need (JSON on stdout).

Run by bench/run.sh against a throwaway database: imports the shipped packs, creates
ROTATING students (each with some play history, a scenario under way and signed in) and a
teacher whose class has 40 students and 20 assigned scenarios, all with attempts. Besides the
JSON, it writes the request lines bench/rotate.lua sends, one student after another, into the
directory given as the first argument:

- ``play.txt``, ``intro.txt``, ``progress.txt``: each student's own page;
- ``answers.txt``: first answers only, each on a fresh attempt (ANSWERS of them, more than a
  run sends; the report counts any repeat);
- ``class-answers.txt``: first answers from the class's students, one a second during the
  class page's "while answers arrive" run.
"""

import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awareness.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret  # type: ignore[attr-defined]  # private  # noqa: E402

from awareness.accounts.services import account_create  # noqa: E402
from awareness.models import User  # noqa: E402
from bench.playing import play_some  # noqa: E402
from bench.servers import session_for  # noqa: E402
from quizzes.models import Assignment, Attempt, Classroom, Membership, Scenario  # noqa: E402
from quizzes.play.services import attempt_start  # noqa: E402
from quizzes.scenarios import engine  # noqa: E402
from quizzes.scenarios.versions import version_content  # noqa: E402

PASSWORD = "bench-password-not-secret-1"  # noqa: S105
ROTATING = int(os.environ.get("BENCH_STUDENTS", "200"))
ANSWERS = int(os.environ.get("BENCH_ANSWERS", "6000"))


def first_answer(attempt: Attempt) -> str:
    """The form body of an answer to the attempt's first step (the first choice or option)."""
    step = engine.steps_by_key(version_content(attempt.version_id))[attempt.current_key]
    fields = [("step", step["key"])]
    if step["kind"] == "decision":
        fields.append(("choice", step["choices"][0]["key"]))
    else:
        fields.append(("options", step["options"][0]["key"]))
    return urlencode(fields)


def write_lines(directory: Path, name: str, lines: Sequence[tuple[str, ...]]) -> None:
    text = "".join("\t".join(line) + "\n" for line in lines)
    (directory / name).write_text(text, encoding="utf-8")


def rotating_students(directory: Path, scenarios: list[Scenario], csrf: tuple[str, str]) -> None:
    """ROTATING students, each signed in, with a few scenarios played and one under way, and
    ANSWERS fresh attempts spread over them for first answers."""
    secret, token = csrf
    pages: dict[str, list[tuple[str, ...]]] = {"play": [], "intro": [], "progress": []}
    students = []
    for i in range(ROTATING):
        # No password: hashing one costs 0.3 s, and these sign in through a made session.
        student = User.objects.create_user(username=f"bench-rotating-{i}", password=None)
        for scenario in scenarios[i % 7 : i % 7 + 3]:
            play_some(scenario, student, depth=(i % 4) + 2)
        current = attempt_start(scenario=scenarios[i % len(scenarios)], user=student)
        cookie = f"sessionid={session_for(student)}; csrftoken={secret}"
        students.append(cookie)
        slug = current.scenario.slug
        pages["play"].append((cookie, f"/scenarios/{slug}/play/{current.pk}/"))
        pages["intro"].append((cookie, f"/scenarios/{slug}/"))
        pages["progress"].append((cookie, "/progress/"))
    for name, lines in pages.items():
        write_lines(directory, f"{name}.txt", lines)
    answers = []
    for n in range(ANSWERS):
        scenario = scenarios[n % len(scenarios)]
        attempt = attempt_start(scenario=scenario, user=User.objects.get(
            username=f"bench-rotating-{n % ROTATING}"))  # fmt: skip
        body = f"csrfmiddlewaretoken={token}&{first_answer(attempt)}"
        path = f"/scenarios/{scenario.slug}/play/{attempt.pk}/answer/"
        answers.append((students[n % ROTATING], path, body))
    write_lines(directory, "answers.txt", answers)


def class_answers(
    directory: Path,
    classroom: Classroom,
    scenarios: list[Scenario],
    csrf: tuple[str, str],
    count: int = 600,
) -> None:
    """Fresh attempts of the class's students on assigned scenarios, to answer one a second
    (``count``: ten minutes' worth)."""
    secret, token = csrf
    lines = []
    pupils = list(User.objects.filter(memberships__classroom=classroom).order_by("pk"))
    for n in range(count):
        pupil, scenario = pupils[n % len(pupils)], scenarios[n % len(scenarios)]
        attempt = attempt_start(scenario=scenario, user=pupil)
        cookie = f"sessionid={session_for(pupil)}; csrftoken={secret}"
        body = f"csrfmiddlewaretoken={token}&{first_answer(attempt)}"
        lines.append((cookie, f"/scenarios/{scenario.slug}/play/{attempt.pk}/answer/", body))
    write_lines(directory, "class-answers.txt", lines)


def main() -> None:
    for pack in sorted((settings.BASE_DIR / "content").glob("*.json")):
        call_command("import_content", str(pack), verbosity=0, stdout=io.StringIO())
    scenarios = list(Scenario.objects.published().filter(language="en").order_by("pk")[:20])

    student = account_create(username="bench-student", password=PASSWORD)
    for scenario in scenarios[:5]:
        play_some(scenario, student, depth=9)
    current = attempt_start(scenario=scenarios[0], user=student)

    teacher = account_create(username="bench-teacher", password=PASSWORD, role="teacher")
    classroom = Classroom.objects.create(teacher=teacher, name="Bench class", join_code="BNCH2345")
    Assignment.objects.bulk_create(Assignment(classroom=classroom, scenario=s) for s in scenarios)
    for i in range(40):
        pupil = account_create(username=f"bench-pupil-{i}", password=PASSWORD)
        Membership.objects.create(classroom=classroom, student=pupil)
        for j, scenario in enumerate(scenarios):
            if (i + j) % 4:
                play_some(scenario, pupil, depth=(i + j) % 5 + 1)

    csrf_secret = _get_new_csrf_string()
    csrf = (csrf_secret, _mask_cipher_secret(csrf_secret))
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if directory is not None:
        rotating_students(directory, scenarios, csrf)
        class_answers(directory, classroom, scenarios, csrf)
    step = engine.steps_by_key(current.version.content)[current.current_key]
    first_choice = step["choices"][0]["key"] if step["kind"] == "decision" else ""
    json.dump(
        {
            "student_session": session_for(student),
            "teacher_session": session_for(teacher),
            "csrf_cookie": csrf_secret,
            "csrf_token": _mask_cipher_secret(csrf_secret),
            "scenario": scenarios[0].slug,
            "topic": scenarios[0].topic.slug,
            "play_url": f"/scenarios/{scenarios[0].slug}/play/{current.pk}/",
            "answer_step": current.current_key,
            "answer_choice": first_choice,
            "class_url": f"/classes/{classroom.pk}/",
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
