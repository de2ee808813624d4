"""What a first-time teacher ran into: pupils of the same name created without a word, dates
written two ways on one page, and result cells that read "Safe 50 % safe"."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from awareness.models import User
from quizzes.classes.lookups import repeated_names
from quizzes.models import Assignment, Attempt, Membership
from tests.factories import (
    add_student,
    assign,
    make_branching_scenario,
    make_class,
    play,
)

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


# --- pupils of the same name ----------------------------------------------------------------


def test_repeated_names_are_those_in_the_class_or_twice_in_the_list():
    classroom = make_class()
    add_student(classroom, display_name="Ana")
    add_student(classroom, display_name="")
    names = ["ana ", "Bo", "王小明", "bo", "Cy", "王小明", "ＡＮＡ"]
    assert repeated_names(classroom, names) == ["ana", "Bo", "王小明"]
    assert repeated_names(classroom, ["Di", "Eli"]) == []
    assert repeated_names(make_class(), ["Ana"]) == []  # another class's Ana is no matter


def test_a_batch_with_repeated_names_is_held_back_with_a_warning(client):
    classroom = make_class()
    add_student(classroom, display_name="Ana")
    client.force_login(classroom.teacher)
    url = reverse("classes:batch-accounts", args=[classroom.pk])
    response = client.post(url, {"names": "Ana\nBo\nBo\nCy"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some pupils would have the same name" in html
    assert re.search(r"<li><bdi>Ana</bdi></li><li><bdi>Bo</bdi></li>", html)
    assert 'name="same_names" value="keep"' in html
    assert "Ana\nBo\nBo\nCy</textarea>" in html  # the list is kept to be changed
    assert User.objects.filter(created_by=classroom.teacher).count() == 0

    # Changed names go through; the same names go through once the teacher confirms.
    response = client.post(url, {"names": "Ana B.\nBo\nBo S.\nCy"})
    assert response.status_code == 302
    response = client.post(url, {"names": "Ana", "same_names": "keep"})
    assert response.status_code == 302
    names = Membership.objects.filter(classroom=classroom).values_list(
        "student__display_name", flat=True
    )
    assert sorted(names) == ["Ana", "Ana", "Ana B.", "Bo", "Bo S.", "Cy"]


def test_adding_one_pupil_of_a_name_in_the_class_warns_too(client):
    classroom = make_class()
    add_student(classroom, display_name="Kim")
    client.force_login(classroom.teacher)
    url = reverse("classes:batch-accounts", args=[classroom.pk])
    html = client.post(url, {"names": " kim "}).content.decode()
    assert "This name is already in the class or comes twice in your list:" in html
    assert client.post(url, {"count": 2}).status_code == 302  # unnamed accounts: no warning


def test_the_warning_in_chinese(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    url = reverse("classes:batch-accounts", args=[classroom.pk])
    response = client.post(url, {"names": "小明\n小明"}, **ZH)
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert response.context["repeated"] == ["小明"]


# --- dates in the reader's format -----------------------------------------------------------

JOINED = datetime(2026, 1, 12, 9, 30, tzinfo=UTC)
STARTED = datetime(2026, 1, 13, 14, 5, tzinfo=UTC)
DUE = date(2026, 12, 8)
# Django's formats: DATE_FORMAT "N j, Y" and "Y年n月j日"; DATETIME_FORMAT adds the time.
EXPECTED = {
    "en": {"joined": "Jan. 12, 2026", "due": "Dec. 8, 2026", "started": "Jan. 13, 2026, 2:05 p.m."},
    "zh-hans": {
        "joined": "2026年1月12日",
        "due": "2026年12月8日",
        "started": "2026年1月13日 14:05",
    },
}
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def dated_class():
    classroom = make_class(name="7B")
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    Assignment.objects.filter(classroom=classroom).update(due_date=DUE)
    student = add_student(classroom, display_name="Ana")
    Membership.objects.filter(classroom=classroom).update(joined_at=JOINED)
    play(scenario, student, "safe")
    Attempt.objects.filter(user=student).update(started_at=STARTED)
    return classroom, student


def _visible(html: str) -> str:
    """The page's text without its tags and without the values of date inputs."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_class_and_student_pages_write_dates_in_the_readers_format(
    client, dated_class, language
):
    classroom, student = dated_class
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    expected = EXPECTED[language]

    client.force_login(classroom.teacher)
    text = _visible(client.get(classroom.get_absolute_url(), **headers).content.decode())
    assert expected["joined"] in text and expected["due"] in text
    assert not NUMERIC_DATE.search(text), NUMERIC_DATE.search(text)

    url = reverse("classes:student", args=[classroom.pk, student.pk])
    text = _visible(client.get(url, **headers).content.decode())
    assert expected["started"] in text
    assert not NUMERIC_DATE.search(text)

    url = reverse("classes:assign", args=[classroom.pk])
    text = _visible(client.get(url, **headers).content.decode())
    assert expected["due"] in text
    assert not NUMERIC_DATE.search(text)

    # The student's own home page: the same due date, the same way.
    client.force_login(student)
    text = _visible(client.get("/", **headers).content.decode())
    assert expected["due"] in text
    assert not NUMERIC_DATE.search(text)


# --- result cells that say what they mean ---------------------------------------------------


def _cells(client, classroom) -> dict[str, str]:
    html = client.get(classroom.get_absolute_url()).content.decode()
    matrix = html[html.index('class="table table-sm table-bordered align-middle results-matrix"') :]
    matrix = matrix[: matrix.index("</table>")]
    rows = re.findall(r'<tr>\s*<th scope="row">.*?<bdi>(.*?)</bdi>.*?</th>(.*?)</tr>', matrix, re.S)
    return {name: " ".join(_visible(cells).split()) for name, cells in rows}


def test_result_cells_say_how_it_ended_and_how_many_choices_were_safe(client):
    classroom = make_class()
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    plans = {"Ana": "safe", "Bo": "partly-harmed", "Cy": "in-progress", "Di": "started"}
    for name, plan in plans.items():
        play(scenario, add_student(classroom, display_name=name), plan)
    add_student(classroom, display_name="Eli")
    client.force_login(classroom.teacher)
    cells = _cells(client, classroom)
    assert cells["Ana"].startswith("Safe ending · 1 of 1 choice safe")
    assert cells["Bo"].startswith("Partly harmed ending · 1 of 2 choices safe")
    assert cells["Cy"].startswith("In progress · 0 of 1 choice safe so far")
    assert cells["Di"].startswith("In progress · no choice made yet")
    assert cells["Eli"].startswith("Not started")
    assert not any("% safe" in cell for cell in cells.values())


def test_result_cells_in_chinese_keep_the_accessible_table(client):
    classroom = make_class()
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    play(scenario, add_student(classroom, display_name="Ana"), "harmed")
    client.force_login(classroom.teacher)
    html = client.get(classroom.get_absolute_url(), **ZH).content.decode()
    assert '<table class="table table-sm table-bordered align-middle results-matrix">' in html
    assert '<th scope="row">' in html and "<caption" in html
    assert '<b class="o o-harmed">' in html and "% safe" not in html
