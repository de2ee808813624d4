"""manage.py seed_demo: demo accounts and a class with varied results and before/after checks,
idempotently, and never with DEBUG off unless forced."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from awareness.models import User
from quizzes.management.commands import seed_demo
from quizzes.models import (
    Answer,
    Assignment,
    Attempt,
    CheckAnswer,
    CheckSession,
    Classroom,
    Membership,
    Scenario,
)
from tests.factories import PASSWORD, make_branching_scenario, make_check_items, make_student

pytestmark = pytest.mark.django_db


DEMO_USERNAMES = ["demo-teacher", "demo-editor", *[f"demo-student-{i}" for i in range(1, 6)]]


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Classroom,
            Membership,
            Assignment,
            Attempt,
            Answer,
            Scenario,
            CheckSession,
            CheckAnswer,
        )
    }


@pytest.fixture
def four_scenarios():
    return [make_branching_scenario(f"Demo scenario {i}") for i in range(4)]


def test_refuses_to_run_with_debug_off(settings, four_scenarios):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert counts() == before


def test_runs_with_debug_on_without_force(settings, four_scenarios):
    settings.DEBUG = True
    run()
    assert User.objects.filter(username="demo-teacher").exists()


def test_creates_demo_accounts_and_prints_the_logins(settings, four_scenarios, client):
    settings.DEBUG = False
    output = run("--force")
    for username in DEMO_USERNAMES:
        assert username in output
        user = User.objects.get(username=username)
        assert user.check_password(seed_demo.DEMO_PASSWORD)
        assert not user.must_change_password
    assert seed_demo.DEMO_PASSWORD in output
    teacher = User.objects.get(username="demo-teacher")
    assert teacher.is_teacher and teacher.groups.filter(name="Teachers").exists()
    editor = User.objects.get(username="demo-editor")
    assert editor.is_staff and editor.is_editor and not editor.is_superuser
    students = User.objects.filter(username__startswith="demo-student-")
    assert all(s.is_student and s.display_name and s.created_by == teacher for s in students)
    # The demo logins really work.
    response = client.post(
        reverse("accounts:login"),
        {"username": "demo-teacher", "password": seed_demo.DEMO_PASSWORD},
    )
    assert response.status_code == 302


def test_the_demo_class_has_assignments_and_varied_results(settings, four_scenarios, client):
    settings.DEBUG = False
    run("--force")
    classroom = Classroom.objects.get(name=seed_demo.CLASS_NAME)
    assert classroom.teacher.username == "demo-teacher"
    assert classroom.memberships.count() == 5
    assert 3 <= classroom.assignments.count() <= 4
    assert classroom.assignments.filter(due_date__isnull=False).exists()

    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    assert response.status_code == 200
    results = response.context["results"]
    statuses = {cell.status for row in results.rows for cell in row.cells}
    outcomes = {cell.outcome for row in results.rows for cell in row.cells} - {""}
    assert statuses == {"not-started", "in-progress", "completed"}
    assert {"safe", "harmed"} <= outcomes
    assert any(step.top_unsafe for stats in results.scenarios for step in stats.steps)
    # Every teacher page has something to show.
    student = results.rows[0].student
    for url in (
        reverse("classes:list"),
        reverse("classes:student", args=[classroom.pk, student.pk]),
        reverse("classes:export-csv", args=[classroom.pk]),
        reverse("classes:export-answers-csv", args=[classroom.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.content) > 200


def test_the_demo_class_shows_its_checks_before_and_after_from_the_first_run(
    settings, four_scenarios, client
):
    settings.DEBUG = True
    settings.AFTER_CHECK_SCENARIOS = 3  # as in production: most demo students finish fewer
    make_check_items()
    output = run()
    assert "9 new checks" in output
    sessions = CheckSession.objects.filter(user__username__startswith="demo-student-")
    assert sessions.filter(kind="pre", finished_at__isnull=False).count() == 5
    assert sessions.filter(kind="post", finished_at__isnull=False).count() == 4
    assert not sessions.filter(finished_at__isnull=True).exists()
    assert all(len(s.item_keys) == s.answers.count() for s in sessions)
    classroom = Classroom.objects.get(name=seed_demo.CLASS_NAME)
    assert not classroom.after_check_open  # opened only while the checks were written

    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    checks = response.context["results"].checks
    assert (checks.taken, checks.both) == (5, 4)
    assert checks.change > 0  # the class improved...
    changes = [row.check_change for row in response.context["results"].rows]
    assert any(c is not None and c < 0 for c in changes)  # ...though not every student did
    html = response.content.decode()
    assert 'id="check-title"' in html and "No student has taken the check yet" not in html
    assert "Each student's check results before and after playing" in html


def test_running_twice_changes_nothing(settings, four_scenarios):
    settings.DEBUG = False
    make_check_items()
    run("--force")
    first = counts()
    code = Classroom.objects.get(name=seed_demo.CLASS_NAME).join_code
    output = run("--force")
    assert counts() == first
    assert "0 new play-throughs, 0 new checks" in output
    assert Classroom.objects.get(name=seed_demo.CLASS_NAME).join_code == code


def test_dry_run_keeps_nothing(settings, four_scenarios):
    settings.DEBUG = True
    before = counts()
    output = run("--dry-run")
    assert "dry run" in output
    assert counts() == before


def test_imports_the_shipped_packs_when_nothing_is_published(settings):
    settings.DEBUG = True
    assert not Scenario.objects.exists()
    run()
    assert Scenario.objects.published().filter(language="en").count() >= 4
    assert Assignment.objects.count() == 4
    assert Attempt.objects.filter(user__username__startswith="demo-student-").exists()
    # The shipped packs hold check items: the before and after checks are there too.
    assert CheckSession.objects.filter(kind="post", finished_at__isnull=False).count() == 4


def test_refuses_to_take_over_or_sit_beside_a_lookalike_account(settings, four_scenarios):
    """Someone signed up as Demo-Teacher first: the demo teacher would pass for them (and
    their account must not get the public demo password)."""
    settings.DEBUG = True
    lookalike = make_student("Demo-Teacher")
    before = counts()
    with pytest.raises(CommandError, match="demo-teacher: That username is taken"):
        run()
    assert counts() == before
    assert not User.objects.filter(username="demo-teacher").exists()
    lookalike.refresh_from_db()
    assert lookalike.check_password(PASSWORD)
