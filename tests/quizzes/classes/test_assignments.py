"""Class assignments: assigning and unassigning scenarios with due dates, what students see as
assigned and due, and the age mark of sensitive scenarios."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quizzes.classes import services
from quizzes.classes.assigned import student_assignments
from quizzes.models import Assignment, Scenario
from quizzes.scenarios.publishing import scenario_unpublish
from tests.factories import (
    add_student,
    assign,
    make_branching_scenario,
    make_class,
    make_student,
    play,
    tomorrow,
)

pytestmark = pytest.mark.django_db


# --- assignments ---------------------------------------------------------------------------


def test_teacher_assigns_a_scenario_with_a_due_date_and_changes_it(client):
    classroom = make_class()
    scenario = make_branching_scenario("Likes for money")
    client.force_login(classroom.teacher)
    url = reverse("classes:assign", args=[classroom.pk])
    assert "Likes for money" in client.get(url).content.decode()
    due = tomorrow()
    response = client.post(url, {"scenario": scenario.pk, "due_date": due.isoformat()})
    assert response.status_code == 302
    assignment = Assignment.objects.get(classroom=classroom)
    assert (assignment.scenario, assignment.due_date) == (scenario, due)
    # Assigning it again changes nothing; its own form changes the date.
    client.post(url, {"scenario": scenario.pk, "due_date": ""})
    assignment.refresh_from_db()
    assert Assignment.objects.count() == 1 and assignment.due_date == due
    due_url = reverse("classes:assignment-due", args=[classroom.pk, assignment.pk])
    assert client.post(due_url, {"due_date": ""}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_date is None


@pytest.mark.parametrize(
    "due_date", ["yesterday", "2020-01-01", "99999-01-01", "2026-02-30", "<b>", "x" * 5000]
)
def test_bad_due_dates_get_a_form_error(client, due_date):
    classroom = make_class()
    scenario = make_branching_scenario()
    client.force_login(classroom.teacher)
    if due_date == "yesterday":
        due_date = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("classes:assign", args=[classroom.pk]),
        {"scenario": scenario.pk, "due_date": due_date},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"]
    assert not Assignment.objects.exists()
    # The same dates, given to an assignment's own date form.
    assignment = assign(classroom, scenario, tomorrow())
    response = client.post(
        reverse("classes:assignment-due", args=[classroom.pk, assignment.pk]),
        {"due_date": due_date},
    )
    assert response.status_code == 400
    assignment.refresh_from_db()
    assert assignment.due_date == tomorrow()


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
def test_bad_scenario_choices_get_a_form_error(client, value):
    classroom = make_class()
    client.force_login(classroom.teacher)
    response = client.post(reverse("classes:assign", args=[classroom.pk]), {"scenario": value})
    assert response.status_code == 400
    assert response.context["form"].errors["scenario"]


def test_a_draft_scenario_cannot_be_assigned(client):
    classroom = make_class()
    scenario = make_branching_scenario()
    scenario_unpublish(scenario=scenario)
    with pytest.raises(ValidationError):
        services.assignment_save(classroom=classroom, teacher=classroom.teacher, scenario=scenario)
    with pytest.raises(ValidationError):
        services.assignments_add(
            classroom=classroom, teacher=classroom.teacher, scenarios=[scenario]
        )
    client.force_login(classroom.teacher)
    response = client.post(
        reverse("classes:assign", args=[classroom.pk]), {"scenario": scenario.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["scenario"]


def test_unassigning_keeps_the_students_attempts(client):
    classroom = make_class()
    scenario = make_branching_scenario()
    assignment = assign(classroom, scenario)
    student = add_student(classroom)
    attempt = play(scenario, student)
    client.force_login(classroom.teacher)
    client.post(reverse("classes:unassign", args=[classroom.pk, assignment.pk]))
    assert not Assignment.objects.exists()
    attempt.refresh_from_db()  # still there


def test_an_assignment_of_another_class_cannot_be_removed(client):
    mine = make_class()
    theirs = make_class()
    assignment = assign(theirs, make_branching_scenario())
    client.force_login(mine.teacher)
    url = reverse("classes:unassign", args=[mine.pk, assignment.pk])
    assert client.post(url).status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_students_see_what_is_assigned_and_what_is_due():
    classroom = make_class(name="7B")
    other_class = make_class(name="Chess club")
    overdue, due_soon, later, done = (
        make_branching_scenario(t) for t in ("Old", "Soon", "Later", "Done")
    )
    assign(classroom, overdue)
    Assignment.objects.filter(scenario=overdue).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    assign(classroom, due_soon, tomorrow())
    assign(classroom, later)
    assign(classroom, done, tomorrow())
    assign(other_class, later, timezone.localdate() + timedelta(days=20))
    archived = make_class(name="Archived")
    assign(archived, make_branching_scenario("From an archived class"))
    student = add_student(classroom)
    add_student(other_class, student)
    add_student(archived, student)
    services.classroom_archive(classroom=archived, teacher=archived.teacher)
    play(done, student, "partly-harmed")
    play(due_soon, student, "in-progress")

    items = student_assignments(student)
    assert [i.scenario.title for i in items] == ["Old", "Soon", "Later", "Done"]
    old, soon, later_item, done_item = items
    assert old.is_overdue and old.status == "not-started"
    assert soon.is_due_soon and soon.status == "in-progress" and not soon.is_overdue
    assert later_item.classroom_names == ["7B", "Chess club"]
    assert later_item.due_date == timezone.localdate() + timedelta(days=20)
    assert done_item.status == "completed" and done_item.outcome == "partly-harmed"
    assert not done_item.is_due_soon  # finished work is never "due"
    assert student_assignments(make_student()) == []


def test_a_scenario_taken_off_the_site_disappears_from_the_students_list():
    classroom = make_class()
    scenario = make_branching_scenario()
    assign(classroom, scenario)
    student = add_student(classroom)
    scenario_unpublish(scenario=scenario)
    assert Scenario.objects.get(pk=scenario.pk).status == "draft"
    assert student_assignments(student) == []


def test_student_assignments_take_two_queries_at_any_size(django_assert_num_queries):
    small_class = make_class()
    small = add_student(small_class)
    assign(small_class, make_branching_scenario())
    play(small_class.assignments.first().scenario, small)
    big_class = make_class()
    big = add_student(big_class)
    for _ in range(12):
        scenario = make_branching_scenario()
        assign(big_class, scenario, tomorrow())
        play(scenario, big, "harmed")
        play(scenario, big, "in-progress")
    # 1: the assignments of the student's active classes with scenarios; 2: their attempts.
    with django_assert_num_queries(2):
        assert len(student_assignments(small)) == 1
    with django_assert_num_queries(2):
        assert len(student_assignments(big)) == 12


def test_the_assignments_include_renders_status_and_due_dates():
    from django.template.loader import render_to_string

    classroom = make_class()
    scenario = make_branching_scenario("Likes & <money>")
    assign(classroom, scenario, tomorrow())
    student = add_student(classroom)
    html = render_to_string(
        "quizzes/classes/includes/assignments.html", {"assignments": student_assignments(student)}
    )
    assert "Likes &amp; &lt;money&gt;" in html
    assert "due soon" in html and "To do" in html
    assert scenario.get_absolute_url() in html
    empty = render_to_string("quizzes/classes/includes/assignments.html", {"assignments": []})
    assert "Nothing is assigned to you right now." in empty
    assert re.search(r"<ul", html) and not re.search(r"<h\d", html)


def test_teachers_see_the_age_mark_of_sensitive_scenarios_when_assigning(client):
    from tests.factories import make_scenario as make_play_scenario

    classroom = make_class(name="Mark 8C")
    make_play_scenario("photo-threat", title="A photo threat", min_age=15)
    client.force_login(classroom.teacher)
    page = client.get(reverse("classes:assign", args=[classroom.pk])).content.decode()
    assert '<span class="badge text-bg-secondary">15+</span>' in page
    scenario = Scenario.objects.get(slug="photo-threat")
    client.post(reverse("classes:assign", args=[classroom.pk]), {"scenario": scenario.pk})
    page = client.get(reverse("classes:assign", args=[classroom.pk])).content.decode()
    assert "15+, sensitive theme</span>" in page
