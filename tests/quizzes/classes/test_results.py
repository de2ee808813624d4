"""Class results: the matrix, per-scenario distributions, one student's answers and the
before/after check.

Also holds the helpers that test_results_csv.py and test_results_cache.py import; the fixtures
(lesson, checks) are in conftest.py.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quizzes.check.selectors import classroom_check_scores
from quizzes.check.services import check_session_start
from quizzes.classes.results import sort_rows
from quizzes.classes.selectors import classroom_results
from quizzes.models import CheckSession, Membership
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps
from tests.factories import (
    BRANCHING_STEPS,
    add_student,
    assign,
    bulk_checks,
    make_branching_scenario,
    make_class,
    make_student,
    play,
    take_check,
)

pytestmark = pytest.mark.django_db


def without_tokens(content: bytes) -> str:
    """The page without its CSRF tokens (masked differently in every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode("utf-8-sig"))


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode()), "CSV must start with a UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_matrix_shows_status_outcome_and_safe_choice_rate(client, lesson):
    classroom, scenario, students = lesson
    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    results = response.context["results"]
    cells = {row.label: row.cells[0] for row in results.rows}
    assert {k: (c.status, c.outcome, c.safe_percent) for k, c in cells.items()} == {
        "Ana": ("completed", "safe", 100),
        "Bo": ("completed", "partly-harmed", 50),
        "Cy": ("completed", "harmed", 0),
        "Di": ("in-progress", "", 0),
    }
    assert cells["Cy"].attempts == 2
    page = response.content.decode()
    assert "Partly harmed" in page and "(2 attempts)" in page and "In progress" in page


def test_a_student_who_has_not_started_shows_as_not_started(client, lesson):
    classroom, scenario, students = lesson
    add_student(classroom, display_name="Eve")
    client.force_login(classroom.teacher)
    results = client.get(classroom.get_absolute_url()).context["results"]
    [eve] = [r for r in results.rows if r.label == "Eve"]
    assert eve.cells[0].status == "not-started" and eve.safe_rate is None
    assert "Not started" in client.get(classroom.get_absolute_url()).content.decode()


def test_per_scenario_completion_outcomes_and_choice_distribution(client, lesson):
    classroom, scenario, students = lesson
    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    [stats] = response.context["results"].scenarios
    assert (stats.students, stats.completed, stats.in_progress, stats.not_started) == (4, 3, 1, 0)
    assert dict(stats.outcomes) == {"safe": 1, "partly-harmed": 1, "harmed": 1}
    d1, s1, d2 = stats.steps
    assert [(o.key, o.count) for o in d1.options] == [("a", 1), ("b", 2), ("c", 1)]
    assert d1.answered == 4
    # "b" (Bo, Di) is the most-picked unsafe choice; Cy's retry does not count twice.
    assert d1.top_unsafe.key == "b" and d1.top_unsafe.text == "Tell me more!"
    assert [(o.key, o.count) for o in d2.options] == [("a", 1), ("b", 1)]
    assert s1.kind == "spot" and [(o.key, o.count) for o in s1.options] == [("f1", 1), ("n1", 0)]
    page = response.content.decode()
    assert "Most-picked unsafe choice" in page
    assert "Tell me more!" in page and "answered by 4 students" in page
    # Text equivalents of the bars for screen readers: the counts are in the page as text,
    # the SVG drawings are hidden from assistive technology.
    assert "Safe: 1" in page and "Harmed: 1" in page and "In progress: 1" in page
    assert page.count('<svg class="dist-bar"') == 3 + 2 + 2
    for svg in page.split("<svg")[1:]:
        assert 'aria-hidden="true"' in svg.split(">")[0]


def test_no_unsafe_choice_is_pointed_out_when_nobody_picked_one(client):
    classroom = make_class()
    scenario = make_branching_scenario()
    assign(classroom, scenario)
    play(scenario, add_student(classroom, display_name="Ana"), "safe")
    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    assert response.context["results"].scenarios[0].steps[0].top_unsafe is None
    assert "Most-picked unsafe choice" not in response.content.decode()


def test_answers_on_an_older_version_are_labelled_from_that_version(client):
    classroom = make_class()
    scenario = make_branching_scenario()
    assign(classroom, scenario)
    student = add_student(classroom, display_name="Ana")
    play(scenario, student, "harmed")  # picked "c" on version 1
    steps = [dict(step) for step in BRANCHING_STEPS]
    steps[1] = {**steps[1], "choices": [c for c in steps[1]["choices"] if c["key"] != "c"]}
    scenario_replace_steps(scenario=scenario, steps=steps)
    scenario_publish(scenario=scenario)
    client.force_login(classroom.teacher)
    [stats] = client.get(classroom.get_absolute_url()).context["results"].scenarios
    d1 = stats.steps[0]
    assert [(o.key, o.text, o.count) for o in d1.options] == [
        ("a", "Ignore and block.", 0),
        ("b", "Tell me more!", 0),
        ("c", "Send my ID card.", 1),
    ]


def test_sorting_the_matrix(lesson):
    classroom, scenario, students = lesson
    results = classroom_results(classroom)
    column = f"a{results.assignments[0].pk}"
    assert sort_rows(results, "-name") == ("name", True)
    assert [r.label for r in results.rows] == ["Di", "Cy", "Bo", "Ana"]
    sort_rows(results, column)
    assert [r.label for r in results.rows] == ["Di", "Cy", "Bo", "Ana"]
    sort_rows(results, f"-{column}")
    assert [r.label for r in results.rows] == ["Ana", "Bo", "Cy", "Di"]
    sort_rows(results, "rate")
    assert [r.label for r in results.rows][-1] == "Ana"
    sort_rows(results, "-completed")
    assert [r.label for r in results.rows][-1] == "Di"
    assert sort_rows(results, "nonsense") == ("name", False)


@pytest.mark.parametrize("sort", ["name", "-name", "rate", "-completed", "a1", "-a999", "💥", ""])
def test_sort_links_mark_the_sorted_column(client, lesson, sort):
    classroom = lesson[0]
    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url(), {"sort": sort})
    assert response.status_code == 200
    assert response.content.decode().count("aria-sort=") == 1


def test_the_student_page_lists_each_attempt_and_answer(client, lesson):
    classroom, scenario, students = lesson
    client.force_login(classroom.teacher)
    url = reverse("classes:student", args=[classroom.pk, students["Cy"].pk])
    response = client.get(url)
    page = response.content.decode()
    attempts = response.context["attempts"]
    assert [(d.number, d.attempt.outcome) for d in attempts] == [(1, "harmed"), (2, "safe")]
    assert [a.text for a in attempts[0].answers] == ["Send my ID card.", "Pay the deposit."]
    assert [a.text for a in attempts[1].answers] == ["Ignore and block.", "Pay 500 now"]
    assert "She asks for a 500 deposit. What now?" in page
    assert "Send my ID card." in page and "attempt 2" in page


def test_the_student_page_leaves_out_unassigned_scenarios(client, lesson):
    classroom, scenario, students = lesson
    private = make_branching_scenario("Played at home")
    play(private, students["Ana"], "harmed")
    client.force_login(classroom.teacher)
    url = reverse("classes:student", args=[classroom.pk, students["Ana"].pk])
    assert "Played at home" not in client.get(url).content.decode()
    csv_text = client.get(reverse("classes:export-answers-csv", args=[classroom.pk]))
    assert "Played at home" not in csv_text.content.decode("utf-8-sig")


def test_a_student_of_another_class_has_no_page_here(client, lesson):
    classroom = lesson[0]
    outsider = add_student(make_class())
    client.force_login(classroom.teacher)
    url = reverse("classes:student", args=[classroom.pk, outsider.pk])
    assert client.get(url).status_code == 404


# --- the spot-the-scam check ----------------------------------------------------------------


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def check_table(page: str) -> dict[str, str]:
    """The rows of the check table as text, by their first cell (the student, or "Class
    average")."""
    section = page.split('<section class="mb-4" aria-labelledby="check-title"', 1)[1]
    section = section.split("</section>", 1)[0].split('aria-labelledby="impact-title"', 1)[0]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", section, flags=re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', tr, flags=re.S)
        if head:
            rows[text_of(head.group(1))] = text_of(tr[head.end() :])
    return rows


def test_each_students_check_before_and_after_is_shown_to_the_teacher(client, checks):
    classroom, scenario, students = checks
    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    rows = {row.label: row for row in response.context["results"].rows}
    assert (rows["Ana"].check_pre.accuracy, rows["Ana"].check_post.accuracy) == (70, 100)
    assert rows["Ana"].check_change == 30
    table = check_table(response.content.decode())
    assert table["Ana"] == (
        "70% right 4 of 5 scams caught 2 of 5 real messages flagged as scams "
        "100% right 5 of 5 scams caught 0 of 5 real messages flagged as scams "
        "+30 points"
    )
    assert table["Bo"] == (
        "80% right 3 of 5 scams caught 0 of 5 real messages flagged as scams "
        "not taken – needs both checks"
    )
    # Averages over the students who took each check; the change over those who took both.
    assert table["Class average"] == (
        "75% right 3.5 of 5 scams caught 1 of 5 real messages flagged as scams "
        "2 students took it "
        "100% right 5 of 5 scams caught 0 of 5 real messages flagged as scams "
        "1 student took it "
        "+30 points 1 student took both"
    )
    # The bars only repeat the text, hidden from assistive technology.
    assert 'class="rate-bar" aria-hidden="true"><span class="rate-fill rate-70">' in (
        response.content.decode()
    )


def test_a_student_without_a_finished_check_shows_not_taken(client, checks):
    classroom, scenario, students = checks
    client.force_login(classroom.teacher)
    table = check_table(client.get(classroom.get_absolute_url()).content.decode())
    assert table["Cy"] == "not taken not taken – needs both checks"
    assert table["Di"] == "not taken not taken – needs both checks"  # still halfway through


def test_a_class_where_nobody_has_taken_the_check_says_so(client, lesson):
    classroom = lesson[0]
    client.force_login(classroom.teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "No student has taken the check yet." in page
    assert check_table(page) == {}  # no table of "not taken" rows
    assert 'class="table table-sm align-middle check-class"' not in page


def test_only_the_before_and_after_measures_count_as_before_and_after(client, checks):
    classroom, scenario, students = checks
    CheckSession.objects.filter(user=students["Ana"], kind="post").update(
        finished_at=timezone.now() - timedelta(days=settings.LATER_CHECK_DAYS)
    )
    later = take_check(students["Ana"], missed=5)  # the "later" check: not an "after" one
    practice = take_check(students["Ana"], finish=False)  # practice, unfinished
    assert (later.kind, practice.kind) == ("later", "practice")
    visitor = check_session_start(user=None, visitor_id="v-1", language="en")
    assert visitor.kind == "pre"
    scores = classroom_check_scores([s.pk for s in students.values()])
    ana = scores[students["Ana"].pk]
    assert (ana["pre"].hits, ana["pre"].false_alarms, ana["pre"].accuracy) == (4, 2, 70)
    assert (ana["post"].hits, ana["post"].false_alarms, ana["post"].accuracy) == (5, 0, 100)
    assert scores[students["Cy"].pk] == {"pre": None, "post": None}
    assert scores[students["Di"].pk] == {"pre": None, "post": None}
    client.force_login(classroom.teacher)
    table = check_table(client.get(classroom.get_absolute_url()).content.decode())
    assert table["Ana"].startswith("70% right") and table["Ana"].endswith("+30 points")


def test_check_scores_of_many_students_take_one_query(django_assert_num_queries):
    classroom = make_class()
    students = [add_student(classroom, display_name=f"S{i}") for i in range(12)]
    bulk_checks(students)
    with django_assert_num_queries(1):
        scores = classroom_check_scores([s.pk for s in students])
    assert sum(v["pre"] is not None for v in scores.values()) == 12
    assert sum(v["post"] is not None for v in scores.values()) == 6  # the rest unfinished
    assert {v["pre"].accuracy for v in scores.values()} == {100, 90, 80, 70}


def test_checks_of_students_outside_the_class_are_not_shown(client, checks):
    classroom, scenario, students = checks
    other = make_class(classroom.teacher, name="8C")  # the same teacher's other class
    zed = add_student(other, display_name="Zed")
    take_check(zed, missed=5, false_alarms=5)
    stranger = make_student(display_name="Yan")  # in nobody's class
    take_check(stranger, missed=5)
    Membership.objects.filter(classroom=classroom, student=students["Bo"]).delete()  # left
    client.force_login(classroom.teacher)
    table = check_table(client.get(classroom.get_absolute_url()).content.decode())
    assert set(table) == {"Ana", "Cy", "Di", "Class average"}
    assert table["Class average"].startswith("70% right 4 of 5 scams caught")
    assert "1 student took it" in table["Class average"]
    other_table = check_table(client.get(other.get_absolute_url()).content.decode())
    assert set(other_table) == {"Zed", "Class average"}
    assert other_table["Zed"].startswith("0% right 0 of 5 scams caught 5 of 5 real")
