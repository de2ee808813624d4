"""Class results at scale: the same queries at two sizes, and the cached results, which change as
soon as their inputs do."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from awareness.models import User
from quizzes.classes.selectors import classroom_results
from quizzes.classes.stamps import class_stamps
from quizzes.models import Attempt, CheckSession, Membership
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps
from tests.factories import (
    BRANCHING_STEPS,
    add_student,
    assign,
    bulk_attempts,
    bulk_checks,
    make_branching_scenario,
    make_check_items,
    make_class,
    play,
    take_check,
    tomorrow,
)
from tests.quizzes.classes.test_results import check_table, read_csv, without_tokens

pytestmark = pytest.mark.django_db


# --- query counts --------------------------------------------------------------------------


def _class_of(n_students: int, n_scenarios: int):
    classroom = make_class()
    scenarios = [make_branching_scenario() for _ in range(n_scenarios)]
    for scenario in scenarios:
        assign(classroom, scenario)
    students = [add_student(classroom, display_name=f"S{i}") for i in range(n_students)]
    bulk_attempts(scenarios, students)
    bulk_checks(students)
    return classroom


@pytest.mark.parametrize(
    ("url_name", "cold", "warm"),
    [
        # user, class, the stamps of the page's three cached parts (stamps.class_stamps:
        # members with names and booster rounds; assignments; the count and last change of
        # the members' attempts; their checks finished and answered; the last change of any
        # scenario: five queries); on a miss of the results also memberships with students,
        # assignments with scenarios, attempts, the students' latest before/after check
        # scores (one aggregate), the answers of their measured checks (d′ and what the
        # class learned), the versions involved and the answers that count.
        # Boosters: the last one sent (on a miss of their own cache also the members, their
        # answers, practice answers, versions, check answers, rounds, answers of finished
        # rounds, boosters sent); what to teach next, on a miss of its cached section: the
        # answers counted by choice, the versions, the check answers by tactic. The class's
        # live sessions with their scenarios (class_live.html).
        ("classes:detail", 27, 9),
        # user, class; memberships+students, assignments+scenarios, attempts, check scores,
        # the answers of the measured checks.
        ("classes:export-csv", 7, 7),
        # user, class; memberships, assignments, attempts, versions, answers.
        ("classes:export-answers-csv", 7, 7),
    ],
)
def test_results_pages_use_the_same_queries_at_any_size(
    client, django_assert_num_queries, url_name, cold, warm
):
    small = _class_of(1, 1)
    big = _class_of(40, 20)
    assert Attempt.objects.filter(scenario__assignments__classroom=big).count() > 800
    for classroom in (small, big):
        client.force_login(classroom.teacher)
        url = reverse(url_name, args=[classroom.pk])
        cache.clear()
        client.get(reverse("classes:list"))  # the session back in the cache
        with django_assert_num_queries(cold):
            cold_response = client.get(url)
        with django_assert_num_queries(warm):
            warm_response = client.get(url)
        assert cold_response.status_code == warm_response.status_code == 200
        assert without_tokens(cold_response.content) == without_tokens(warm_response.content)
    rows = read_csv(client.get(reverse("classes:export-csv", args=[big.pk])))
    assert len(rows) == 1 + 40 * 20
    # The check columns are filled for everyone (all took "before"), "after" for every other.
    assert all(row[14] for row in rows[1:])
    assert sum(bool(row[17]) for row in rows[1:]) == 20 * 20


def test_the_student_page_uses_the_same_queries_at_any_size(client, django_assert_num_queries):
    small = _class_of(1, 1)
    big = _class_of(40, 20)
    for classroom in (small, big):
        client.force_login(classroom.teacher)
        student = classroom.memberships.first().student
        url = reverse("classes:student", args=[classroom.pk, student.pk])
        client.get(url)
        # user, class; memberships, assignments, attempts (the student's row, without the
        # check scores, which this page does not show); the student's attempts with
        # versions; their answers.
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200


# --- the cached results --------------------------------------------------------------------


def matrix_text(client, classroom) -> str:
    return without_tokens(client.get(classroom.get_absolute_url()).content)


def test_the_cached_results_change_as_soon_as_their_inputs_do(client, lesson):
    from quizzes.classes.services import assignment_save

    classroom, scenario, students = lesson
    client.force_login(classroom.teacher)
    eve = add_student(classroom, display_name="Eve")
    page = matrix_text(client, classroom)
    assert "Eve" in page and matrix_text(client, classroom) == page  # served from the cache

    play(scenario, eve, "harmed")  # a student answers
    page = matrix_text(client, classroom)
    assert client.get(classroom.get_absolute_url()).context["results"] is None  # cached
    assert [r.cells[0].outcome for r in classroom_results(classroom).rows if r.label == "Eve"] == [
        "harmed"
    ]
    eve_row = next(line for line in page.split("<tr>") if "Eve</bdi>" in line)
    assert "Harmed" in eve_row

    User.objects.filter(pk=eve.pk).update(display_name="Evelyn")  # renamed elsewhere
    assert "Evelyn" in matrix_text(client, classroom)

    assignment_save(
        classroom=classroom, teacher=classroom.teacher, scenario=scenario, due_date=tomorrow()
    )
    assert "due " in matrix_text(client, classroom)

    Membership.objects.filter(student=eve).delete()  # removed by any means
    assert "Evelyn" not in matrix_text(client, classroom)

    steps = [dict(step) for step in BRANCHING_STEPS]
    steps[1] = {**steps[1], "prompt": "A brand-new question?"}
    scenario_replace_steps(scenario=scenario, steps=steps)
    scenario_publish(scenario=scenario)  # republished
    assert "A brand-new question?" in matrix_text(client, classroom)


def test_a_newly_finished_check_changes_the_cached_results(client, lesson):
    classroom, scenario, students = lesson
    make_check_items()
    client.force_login(classroom.teacher)
    matrix_text(client, classroom)
    assert client.get(classroom.get_absolute_url()).context["results"] is None  # cached
    before = class_stamps(classroom).results

    session = take_check(students["Ana"], missed=1, finish=False)  # halfway: nothing to show
    assert class_stamps(classroom).results == before
    assert check_table(matrix_text(client, classroom)) == {}

    session = take_check(students["Ana"], missed=1)  # the same check, now finished
    assert session.finished_at is not None and session.kind == "pre"
    stamp = class_stamps(classroom).results
    assert stamp != before
    assert check_table(matrix_text(client, classroom))["Ana"].startswith("90% right")

    take_check(students["Ana"], false_alarms=1)  # the "after" check
    assert class_stamps(classroom).results != stamp
    assert check_table(matrix_text(client, classroom))["Ana"].endswith(
        "90% right 5 of 5 scams caught 1 of 5 real messages flagged as scams no change"
    )

    stamp = class_stamps(classroom).results
    CheckSession.objects.filter(user=students["Ana"], kind="post").delete()  # by any means
    assert class_stamps(classroom).results != stamp
    assert "not taken" in check_table(matrix_text(client, classroom))["Ana"]


def test_each_language_and_sort_has_its_own_cached_page(client, lesson):
    classroom = lesson[0]
    client.force_login(classroom.teacher)
    by_name = matrix_text(client, classroom)
    reverse_page = client.get(classroom.get_absolute_url(), {"sort": "-name"}).content.decode()
    assert by_name != reverse_page
    client.cookies.load({"django_language": "zh-hans"})
    chinese = matrix_text(client, classroom)
    assert '<html lang="zh-hans">' in chinese and chinese != by_name


def test_a_retry_finished_after_an_abandoned_attempt_counts_as_finished(client):
    from quizzes.classes.assigned import student_assignments

    classroom = make_class()
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    student = add_student(classroom, display_name="Ana")
    play(scenario, student, "in-progress")  # left halfway
    play(scenario, student, "safe")  # started again and finished
    play(scenario, student, "started")  # and once more, not yet answered
    results = classroom_results(classroom)
    cell = results.rows[0].cells[0]
    assert (cell.status, cell.outcome, cell.attempts) == ("completed", "safe", 3)
    stats = results.scenarios[0]
    assert (stats.completed, stats.in_progress, stats.not_started) == (1, 0, 0)
    assert [(a.status, a.outcome) for a in student_assignments(student)] == [("completed", "safe")]
