"""Spaced boosters (quizzes/play/boosters.py, practice services and views): due dates from known
histories with the clock moved, a round drawn and played, and the teacher's booster."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from awareness.models import User
from quizzes.models import Attempt, Booster, ClassBooster, PracticeAnswer
from quizzes.play.boosters import (
    BOOSTER_STEPS,
    INTERVALS_DAYS,
    Review,
    schedule,
    status_of,
)
from quizzes.play.mastery import Mark
from tests.factories import add_student, make_class, make_scenario, make_student
from tests.quizzes.play.test_views import answer, start

NOW = timezone.now()


def ago(days: float):
    return NOW - timedelta(days=days)


def review(days_ago, right=(), wrong=()):
    return Review(ago(days_ago), frozenset(right), frozenset(wrong))


def test_a_tactic_is_due_one_week_after_it_was_last_met():
    plan = schedule(
        [Mark("urgency", "sms", True, ago(3)), Mark("urgency", "sms", True, ago(10))], []
    )
    assert plan["urgency"].due_at == ago(3) + timedelta(days=7)
    assert plan["urgency"].reviews == 0


def test_each_booster_answered_right_pushes_the_next_to_4_then_12_weeks_then_none():
    met = [Mark("threat", "call", True, ago(40))]
    first = [review(30, right={"threat"})]
    plan = schedule([*met, Mark("threat", "call", True, ago(30))], first)
    assert plan["threat"].reviews == 1
    assert plan["threat"].due_at == ago(30) + timedelta(days=INTERVALS_DAYS[1])
    second = [*first, review(2, right={"threat"})]
    plan = schedule([*met, Mark("threat", "call", True, ago(2))], second)
    assert plan["threat"].due_at == ago(2) + timedelta(days=84)
    third = [*second, review(1, right={"threat"})]
    assert schedule([*met, Mark("threat", "call", True, ago(1))], third)["threat"].due_at is None


def test_a_mistake_starts_the_ladder_again():
    reviews = [review(30, right={"threat"}), review(20, right={"threat"})]
    marks = [Mark("threat", "call", True, ago(30)), Mark("threat", "call", False, ago(5))]
    plan = schedule(marks, reviews)
    assert plan["threat"].reviews == 0
    assert plan["threat"].due_at == ago(5) + timedelta(days=7)
    # A booster round where the tactic came up wrong does not count as a review.
    plan = schedule(marks, [*reviews, review(1, right={"threat"}, wrong={"threat"})])
    assert plan["threat"].reviews == 0


pytestmark = pytest.mark.django_db


def play_risky(client):
    url = start(client)
    answer(client, url, step="d1", choice="b")
    answer(client, url, step="s1", options=["o2"])
    answer(client, url, step="d2", choice="stop")


def move_clock(monkeypatch, days):
    later = timezone.now() + timedelta(days=days)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_booster_is_due_after_a_week_and_is_played_as_practice(client, monkeypatch, language):
    header = "zh-Hans" if language == "zh-hans" else "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = header
    for index in range(BOOSTER_STEPS + 1):
        make_scenario(f"story-{index}" if index else "likes-for-money", language=language)
    student = make_student("booster-kid")
    client.force_login(student)
    play_risky(client)
    assert not status_of(student).due
    assert "booster-title" not in client.get("/progress/").content.decode()
    move_clock(monkeypatch, 8)
    status = status_of(student)
    assert status.due and set(status.due_tactics) == {"too-good-to-be-true", "pay-to-unlock"}
    page = client.get("/progress/").content.decode()
    assert 'id="booster-title"' in page and "/progress/booster/" in page
    home = client.get("/").content.decode()  # above the hero on the home page too
    assert home.index('id="booster-title"') < home.index('id="hero-title"')
    response = client.post("/progress/booster/")
    booster = Booster.objects.get(user=student)
    assert response["Location"] == f"/progress/booster/{booster.pk}/"
    assert len(booster.items) == BOOSTER_STEPS
    # Unplayed scenarios first, one step each; the played one is not drawn while others remain.
    played = Attempt.objects.get(user=student).version_id
    assert played not in {item["version"] for item in booster.items}
    assert len({item["version"] for item in booster.items}) == BOOSTER_STEPS
    # Starting again resumes the open round.
    assert client.post("/progress/booster/")["Location"] == response["Location"]
    for number, item in enumerate(booster.items, start=1):
        page = client.get(response["Location"])
        assert page.status_code == 200
        data = (
            {"step": item["step"], "choice": "a"}
            if item["step"].startswith("d")
            else {"step": item["step"], "options": ["o1"]}
        )
        done = client.post(response["Location"], data)
        assert done["Location"] == f"/progress/booster/{booster.pk}/{number}/"
        assert client.get(done["Location"]).status_code == 200
    booster.refresh_from_db()
    assert booster.is_finished and booster.position == BOOSTER_STEPS
    assert PracticeAnswer.objects.filter(booster=booster, source="booster").count() == BOOSTER_STEPS
    assert client.get(response["Location"]).status_code == 200  # the summary
    assert client.post(response["Location"], {"step": "d1", "choice": "a"}).status_code == 200
    assert Attempt.objects.get(user=student).safe_decisions == 1  # the attempt is untouched
    # Answered right in the round: the tactics it covered move to the 4-week interval.
    status = status_of(student)
    assert "too-good-to-be-true" not in status.due_tactics
    move_clock(monkeypatch, 8 + 29)
    assert "too-good-to-be-true" in status_of(student).due_tactics


def test_a_booster_refuses_bad_answers_and_other_students(client):
    make_scenario()
    make_scenario("story-1")
    student = make_student("b-kid")
    client.force_login(student)
    client.post("/progress/booster/")
    booster = Booster.objects.get(user=student)
    url = f"/progress/booster/{booster.pk}/"
    step = booster.items[0]["step"]
    assert client.post(url, {"step": step, "choice": "nope"}).status_code == 400
    assert client.post(url, {"step": "zzz", "choice": "a"}).status_code == 409
    assert client.post(url, {}).status_code == 400
    assert client.get(f"{url}9/").status_code == 404
    assert client.get(f"{url}1/").status_code == 404  # not answered yet
    booster.refresh_from_db()
    assert booster.position == 0 and not PracticeAnswer.objects.exists()
    client.force_login(make_student("someone-else"))
    assert client.get(url).status_code == 404
    assert client.get("/progress/booster/").status_code == 405


def test_with_nothing_published_the_booster_says_so(client):
    client.force_login(make_student("early-kid"))
    response = client.post("/progress/booster/")
    assert response.status_code == 409 and not Booster.objects.exists()


def due_names(page: str) -> list[str]:
    """The names in the class page's list of students with a booster due."""
    listed = page.split('<ul class="boosters-due">', 1)[1].split("</ul>", 1)[0]
    items = [item.split("</li>")[0] for item in listed.split("<li>")[1:]]
    return [re.sub(r"\s+", " ", item).split(" — ")[0].strip() for item in items]


def test_the_teacher_sees_who_is_due_and_sends_the_class_a_booster(client, monkeypatch):
    make_scenario()
    make_scenario("story-1")
    classroom = make_class()
    fresh = add_student(classroom, make_student("fresh-kid"))
    played = add_student(classroom, make_student("played-kid"))
    client.force_login(played)
    play_risky(client)
    client.force_login(classroom.teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "No student has a booster due." in page
    move_clock(monkeypatch, 8)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "1 of 2 students has a booster due" in page
    # Named as on the rest of the class page: a username only to the teacher who created the
    # account, so a student who joined by code with no display name is "Student <n>".
    assert due_names(page) == ["Student 2"] and "played-kid" not in page
    User.objects.filter(pk=played.pk).update(created_by=classroom.teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert due_names(page) == ["played-kid"]
    response = client.post(f"/classes/{classroom.pk}/booster/")
    assert response.status_code == 302
    client.post(f"/classes/{classroom.pk}/booster/")  # a double press sends one booster
    assert ClassBooster.objects.filter(classroom=classroom).count() == 1
    assert status_of(fresh).sent and status_of(fresh).due
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "2 of 2 students have a booster due" in page
    client.force_login(fresh)
    assert "Your teacher sent your class a booster." in client.get("/progress/").content.decode()
    client.post("/progress/booster/")
    assert not status_of(fresh).sent  # started since it was sent
    # Another teacher, a student, and a GET cannot send one.
    assert client.post(f"/classes/{classroom.pk}/booster/").status_code in {403, 404}
    client.force_login(make_student("x"))
    client.force_login(make_class(name="other").teacher)
    assert client.post(f"/classes/{classroom.pk}/booster/").status_code == 404
    client.force_login(classroom.teacher)
    assert client.get(f"/classes/{classroom.pk}/booster/").status_code == 405
