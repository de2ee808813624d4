"""The assign page: several scenarios at once in the reader's language, grouped by topic with
their channel, difficulty, age mark and a preview; those already assigned ticked and
disabled; one due date; duplicates ignored; bad input answered with a 400."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from quizzes.classes import services
from quizzes.models import Assignment
from tests.factories import (
    assign,
    make_branching_scenario,
    make_class,
    make_scenario,
    make_teacher,
    make_topic,
    tomorrow,
)

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _checkbox(html: str, scenario) -> str:
    match = re.search(rf'<input [^>]*value="{scenario.pk}" id="scenario-{scenario.pk}"[^>]*>', html)
    assert match, scenario
    return match.group(0)


def test_three_scenarios_are_assigned_at_once_with_one_due_date(client):
    classroom = make_class()
    first, second, third = (make_branching_scenario(t) for t in ("One", "Two", "Three"))
    client.force_login(classroom.teacher)
    url = reverse("classes:assign", args=[classroom.pk])
    response = client.post(
        url,
        {"scenario": [first.pk, second.pk, third.pk], "due_date": tomorrow().isoformat()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == classroom.get_absolute_url()
    assigned = Assignment.objects.filter(classroom=classroom)
    assert {a.scenario_id for a in assigned} == {first.pk, second.pk, third.pk}
    assert {a.due_date for a in assigned} == {tomorrow()}
    assert "3 scenarios are assigned to the class: “One”, “Two”, “Three”." in (
        response.content.decode()
    )


def test_assigning_again_ignores_what_is_already_assigned(client):
    classroom = make_class()
    old, new = make_branching_scenario("Old"), make_branching_scenario("New")
    kept = assign(classroom, old, tomorrow())
    client.force_login(classroom.teacher)
    url = reverse("classes:assign", args=[classroom.pk])
    response = client.post(url, {"scenario": [old.pk, new.pk, new.pk], "due_date": ""}, follow=True)
    assert "1 scenario is assigned to the class: “New”." in response.content.decode()
    kept.refresh_from_db()
    assert kept.due_date == tomorrow()  # not cleared by the empty date of the new ones
    assert Assignment.objects.filter(classroom=classroom).count() == 2
    response = client.post(url, {"scenario": [old.pk]}, follow=True)
    assert "These scenarios were assigned already: nothing changed." in response.content.decode()
    assert Assignment.objects.filter(classroom=classroom).count() == 2


def test_the_service_checks_the_teacher_and_the_choice():
    classroom = make_class()
    scenario = make_branching_scenario()
    with pytest.raises(PermissionDenied):
        services.assignments_add(classroom=classroom, teacher=make_teacher(), scenarios=[scenario])
    with pytest.raises(ValidationError):
        services.assignments_add(classroom=classroom, teacher=classroom.teacher, scenarios=[])
    added = services.assignments_add(
        classroom=classroom, teacher=classroom.teacher, scenarios=[scenario, scenario]
    )
    assert [a.scenario_id for a in added] == [scenario.pk] and added[0].pk


def test_the_list_shows_topic_channel_difficulty_age_and_a_preview_by_topic(client):
    classroom = make_class()
    jobs = make_topic("fake-part-time-jobs", title="Fake part-time jobs", position=1)
    threats = make_topic("sextortion", title="Photo threats", position=2)
    likes = make_scenario("likes-for-money", title="Likes for money", topic=jobs, channel="sms")
    photo = make_scenario(
        "photo-threat", title="A photo threat", topic=threats, difficulty="hard", min_age=15
    )
    assigned = make_scenario("hotel-ratings", title="Hotel ratings", topic=jobs, channel="web")
    assign(classroom, assigned, tomorrow())
    client.force_login(classroom.teacher)
    html = client.get(reverse("classes:assign", args=[classroom.pk])).content.decode()

    legends = re.findall(r"<legend[^>]*>([^<]+)</legend>", html)
    assert legends == ["Fake part-time jobs", "Photo threats"]
    assert "Fake part-time jobs · Text message · Easy" in html
    assert "Photo threats · Social media" not in html and "Photo threats · Chat · Hard" in html
    assert '<span class="badge text-bg-secondary">15+</span>' in html
    assert f'href="{likes.get_absolute_url()}" target="_blank" rel="noopener"' in html
    assert f'href="{photo.get_absolute_url()}"' in html
    # Already assigned: ticked, disabled, and said in words.
    box = _checkbox(html, assigned)
    assert "disabled" in box and "checked" in box
    assert "disabled" not in _checkbox(html, likes)
    assert "Already assigned" in html
    # One submit button for the whole list.
    form = html[html.index('<form method="post" novalidate class="assign-form">') :]
    form = form[: form.index("</form>")]
    assert form.count('type="submit"') == 1 and form.count('type="date"') == 1


def test_the_list_follows_the_readers_language_and_offers_the_other(client):
    classroom = make_class()
    english = make_scenario("likes-for-money", title="Likes for money")
    chinese = make_scenario("shuadan-likes", title="刷单点赞", language="zh-hans")
    client.force_login(classroom.teacher)
    url = reverse("classes:assign", args=[classroom.pk])

    html = client.get(url).content.decode()
    assert "Likes for money" in html and "刷单点赞" not in html
    assert 'name="language" value="zh-hans"' in html  # the switch to the other language
    assert f'name="next" value="{url}"' in html

    html = client.get(url, **ZH).content.decode()
    assert "刷单点赞" in html and "Likes for money" not in html
    assert 'name="language" value="en"' in html

    # A scenario of the other language posted anyway is refused, not assigned.
    response = client.post(url, {"scenario": [english.pk, chinese.pk]}, **ZH)
    assert response.status_code == 400
    assert response.context["form"].errors["scenario"]
    assert not Assignment.objects.exists()


def test_ticks_are_kept_when_the_form_comes_back_with_an_error(client):
    classroom = make_class()
    one, two = make_branching_scenario("One"), make_branching_scenario("Two")
    client.force_login(classroom.teacher)
    response = client.post(
        reverse("classes:assign", args=[classroom.pk]),
        {"scenario": [one.pk], "due_date": "2020-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "checked" in _checkbox(html, one) and "checked" not in _checkbox(html, two)
    assert "The due date is in the past." in html


def test_nothing_published_in_the_language_says_so(client):
    classroom = make_class()
    make_scenario("likes-for-money")
    client.force_login(classroom.teacher)
    html = client.get(reverse("classes:assign", args=[classroom.pk]), **ZH).content.decode()
    assert 'class="assign-form"' not in html
    assert 'name="language" value="en"' in html


def test_an_assignment_date_of_another_class_cannot_be_changed(client):
    mine, theirs = make_class(), make_class()
    assignment = assign(theirs, make_branching_scenario(), tomorrow())
    client.force_login(mine.teacher)
    url = reverse("classes:assignment-due", args=[mine.pk, assignment.pk])
    assert client.post(url, {"due_date": ""}).status_code == 404
    client.force_login(theirs.teacher)
    url = reverse("classes:assignment-due", args=[theirs.pk, assignment.pk])
    assert client.get(url).status_code == 405
    assignment.refresh_from_db()
    assert assignment.due_date == tomorrow()


@pytest.mark.parametrize("size", [2, 12])
def test_the_assign_page_takes_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    classroom = make_class()
    for n in range(size):
        scenario = make_branching_scenario(f"Scenario {n}")
        if n % 2:
            assign(classroom, scenario, tomorrow())
    client.force_login(classroom.teacher)
    url = reverse("classes:assign", args=[classroom.pk])
    # The user, the class, the class's assignments, the scenarios with their topics.
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.content.decode().count('type="checkbox"') == size
