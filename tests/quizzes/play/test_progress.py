"""The progress page: rates, suggestions, fraud types to read again, what the class assigned, and
scenarios completed or in progress."""

import pytest

from quizzes.models import Attempt
from quizzes.play import start_throttle
from tests.factories import make_scenario, make_student
from tests.quizzes.play.test_views import answer, start

pytestmark = pytest.mark.django_db


def test_progress_shows_rates_per_channel_and_suggestions(student_client, scenario):
    make_scenario("by-phone", channel="call")
    play = start(student_client)
    answer(student_client, play, step="d1", choice="b")
    answer(student_client, play, step="s1", options=["o1"])
    answer(student_client, play, step="d2", choice="pay")
    html = student_client.get("/progress/").content.decode()
    assert "Safe choices: 0% (0 of 2)" in html
    assert "Chat" in html
    assert "By phone" in html  # suggested next
    assert "Completed: harmed" in html


def test_progress_points_to_the_fraud_types_to_read_again(student_client, scenario):
    from tests.factories import make_topic

    make_scenario("safe-topic-one", topic=make_topic("fake-police", title="Fake police"))
    make_scenario("fooled-again", topic=scenario.topic)
    make_scenario("bank-call", title="A call from the bank", topic=make_topic("fake-police"))
    # Fooled on the phishing scenario (0 of 2 safe), safe on the fake-police one (1 of 1).
    play = start(student_client)
    answer(student_client, play, step="d1", choice="b")
    answer(student_client, play, step="s1", options=["o1"])
    answer(student_client, play, step="d2", choice="pay")
    play = start(student_client, "safe-topic-one")
    answer(student_client, play, step="d1", choice="a")
    html = student_client.get("/progress/").content.decode()
    review = html[
        html.index('id="review-title"') : html.index("</section>", html.index('id="review-title"'))
    ]
    assert '<a href="/learn/phishing/">Phishing</a> — 0 of 2 choices were safe' in review
    assert "Fake police" not in review
    # Of the unplayed scenarios, the one on the weak fraud type is suggested first (before
    # one that would come first by title).
    suggestions = html[html.index('id="next-title"') :]
    assert suggestions.index("Fooled again") < suggestions.index("A call from the bank")


def test_progress_has_nothing_to_read_again_when_every_choice_was_safe(student_client, scenario):
    play = start(student_client)
    answer(student_client, play, step="d1", choice="a")
    assert 'id="review-title"' not in student_client.get("/progress/").content.decode()


def test_progress_needs_login(client):
    response = client.get("/progress/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_progress_query_count_is_constant(student_client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(start_throttle, "STARTS_PER_PLAYER", 100)  # 50 starts in a second
    scenario = make_scenario()
    play = start(student_client)
    answer(student_client, play, step="d1", choice="a")
    # user, the student's attempts with scenarios, published scenarios (to suggest and, with
    # the finished ones known from the attempts, for what to practise), the class assignments
    # (none here, so their attempts are not looked up), the check summary; mastery: the
    # answers, the practice answers, the versions they were played on, the check answers;
    # boosters: the student's rounds, the answers of finished ones, and the last booster a
    # teacher sent; badges: attempts, measured check answers, finished boosters, mistakes
    # tried again right
    with django_assert_num_queries(16) as first:
        student_client.get("/progress/")
    expected = len(first.captured_queries)
    for _ in range(49):
        play = start(student_client)
        answer(student_client, play, step="d1", choice="a")
    assert Attempt.objects.count() == 50
    with django_assert_num_queries(expected):
        student_client.get("/progress/")
    assert scenario


def test_home_and_progress_show_what_the_class_assigned(client):
    from datetime import date

    from quizzes.models import Assignment, Classroom, Membership
    from tests.factories import make_teacher

    scenario = make_scenario()
    student = make_student("pupil")
    classroom = Classroom.objects.create(teacher=make_teacher(), name="7B", join_code="ABCDEF")
    Membership.objects.create(classroom=classroom, student=student)
    Assignment.objects.create(classroom=classroom, scenario=scenario, due_date=date(2030, 1, 31))
    client.force_login(student)
    for url in ("/", "/progress/"):
        html = client.get(url).content.decode()
        assert "Assigned to you" in html and "Likes for money" in html and "7B" in html
    client.force_login(make_student("loner"))
    assert "Assigned to you" not in client.get("/").content.decode()


def section(html, heading_id):
    """The part of the page from the heading with ``heading_id`` to the end of its section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_a_scenario_finished_after_starting_again_counts_as_completed(student_client, scenario):
    abandoned = start(student_client)
    answer(student_client, abandoned, step="d1", choice="b")  # left halfway
    again = start(student_client)  # "Start again" on the intro
    answer(student_client, again, step="d1", choice="a")
    html = student_client.get("/progress/").content.decode()
    assert "Nothing completed yet" not in html
    assert 'id="open-title"' not in html and abandoned not in html
    done = section(html, "done-title")
    assert "Likes for money" in done and "Completed: stayed safe" in done
    assert "(2 attempts)" in done
    cards = student_client.get("/scenarios/").content.decode()
    assert "Completed: stayed safe" in cards and "text-bg-info" not in cards
    intro = student_client.get("/scenarios/likes-for-money/").content.decode()
    assert "Resume where you left off" not in intro and abandoned not in intro


def test_playing_a_finished_scenario_again_shows_it_completed_and_in_progress(
    student_client, scenario
):
    finished = start(student_client)
    answer(student_client, finished, step="d1", choice="a")
    again = start(student_client)
    html = student_client.get("/progress/").content.decode()
    assert again in section(html, "open-title")
    done = section(html, "done-title")
    assert "Likes for money" in done and "Completed: stayed safe" in done
    cards = student_client.get("/scenarios/").content.decode()
    assert "In progress" in cards and "Completed: stayed safe" in cards
    intro = student_client.get("/scenarios/likes-for-money/").content.decode()
    assert "Resume where you left off" in intro and again in intro
