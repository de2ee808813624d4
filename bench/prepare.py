"""Build the benchmark's data set and print what the load runs need (JSON on stdout).

Run by bench/run.sh against a throwaway SQLite file: imports the shipped packs, creates a
student mid-scenario and a teacher whose class has 40 students and 20 assigned scenarios, all
with attempts, and makes logged-in session cookies for both.
"""

import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awareness.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret  # type: ignore[attr-defined]  # private  # noqa: E402

from awareness.accounts.services import account_create  # noqa: E402
from awareness.models import User  # noqa: E402
from bench.playing import play_some  # noqa: E402
from quizzes.models import Assignment, Classroom, Membership, Scenario  # noqa: E402
from quizzes.play.services import attempt_start  # noqa: E402
from quizzes.scenarios import engine  # noqa: E402

PASSWORD = "bench-password-not-secret-1"  # noqa: S105


def session_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


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
