"""My mistakes (quizzes/play/mistakes.py, practice_views): the list from a known history, trying
a step again as practice (never touching the attempt), and the page's queries."""

import pytest

from quizzes.models import Answer, Attempt, PracticeAnswer
from quizzes.play.mastery import marks_of
from quizzes.play.mistakes import mistakes_of
from tests.factories import make_scenario, make_student
from tests.quizzes.play.test_views import answer, start

pytestmark = pytest.mark.django_db

HEADERS = {"en": "en", "zh-hans": "zh-Hans"}


def play_risky(client, slug="likes-for-money"):
    """Risky at d1, tick only the harmless phrase at s1 (a flag missed, one wrongly ticked)."""
    url = start(client, slug)
    answer(client, url, step="d1", choice="b")
    answer(client, url, step="s1", options=["o2"])
    answer(client, url, step="d2", choice="stop")
    return url


@pytest.fixture
def student(client):
    user = make_student("oops-kid")
    client.force_login(user)
    return user


def test_mistakes_from_a_known_history(client, student):
    make_scenario()
    play_risky(client)
    found = mistakes_of(student)
    assert found.total == 2
    spot, decision = found.items  # newest first
    assert decision.step["key"] == "d1" and decision.chosen["key"] == "b"
    assert [c["key"] for c in decision.safe_choices] == ["a"]
    assert [o["key"] for o in spot.missed] == ["o1"] and [o["key"] for o in spot.wrong] == ["o2"]
    assert "Top up 500 first" in spot.message and "spot-missed" in spot.message
    assert not decision.fixed and decision.retry is None


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_try_a_decision_again_is_practice_and_leaves_the_attempt(client, student, language):
    make_scenario(language=language)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = HEADERS[language]
    play_risky(client)
    attempt = Attempt.objects.get(user=student)
    before = (attempt.safe_decisions, attempt.outcome, list(attempt.path))
    mistake = Answer.objects.get(attempt=attempt, step_key="d1")
    page = client.get(f"/progress/mistakes/{mistake.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="choice" id="choice-a"' in html and 'name="choice" id="choice-b"' in html
    response = client.post(f"/progress/mistakes/{mistake.pk}/", {"step": "d1", "choice": "a"})
    retry = PracticeAnswer.objects.get(user=student)
    assert response.status_code == 302
    assert response["Location"] == f"/progress/mistakes/{mistake.pk}/tried/{retry.pk}/"
    assert retry.is_safe and retry.source == "mistake" and retry.booster is None
    result = client.get(response["Location"]).content.decode()
    assert "feedback-safe" in result
    attempt.refresh_from_db()
    assert (attempt.safe_decisions, attempt.outcome, list(attempt.path)) == before
    assert Answer.objects.get(pk=mistake.pk).choice_key == "b"  # never overwritten
    listing = client.get("/progress/mistakes/").content.decode()
    assert "text-bg-success" in listing
    # The try again counts as evidence for mastery, as the newest mark on its tactic.
    newest = max(
        (m for m in marks_of(student) if m.tactic == "too-good-to-be-true"), key=lambda m: m.at
    )
    assert newest.right


def test_try_a_spot_step_again(client, student):
    make_scenario()
    play_risky(client)
    mistake = Answer.objects.get(attempt__user=student, step_key="s1")
    response = client.post(f"/progress/mistakes/{mistake.pk}/", {"step": "s1", "options": ["o1"]})
    assert response.status_code == 302
    retry = PracticeAnswer.objects.get(user=student)
    assert retry.is_safe and retry.flags_found == 1 and retry.wrongly_flagged == 0


def test_bad_input_is_refused_plainly(client, student):
    make_scenario()
    play_risky(client)
    mistake = Answer.objects.get(attempt__user=student, step_key="d1")
    url = f"/progress/mistakes/{mistake.pk}/"
    assert client.post(url, {"step": "d1", "choice": "zzz"}).status_code == 400
    assert client.post(url, {"step": "s1", "options": ["o1"]}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert PracticeAnswer.objects.count() == 0
    # Somebody else's mistake, a safe answer and an unknown id are not found.
    other = make_student("other-kid")
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(student)
    safe = Answer.objects.get(attempt__user=student, step_key="d2")
    assert client.get(f"/progress/mistakes/{safe.pk}/").status_code == 404
    assert client.get("/progress/mistakes/999999/").status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client):
    assert client.get("/progress/mistakes/").status_code == 302


@pytest.mark.parametrize("plays", [1, 4])
def test_the_mistakes_page_queries_do_not_grow_with_answers(
    client, student, plays, django_assert_num_queries
):
    for index in range(2):
        make_scenario(f"story-{index}")
    for _ in range(plays):
        for index in range(2):
            play_risky(client, f"story-{index}")
    first = Answer.objects.filter(attempt__user=student, is_safe=False).first()
    url = f"/progress/mistakes/{first.pk}/"
    client.post(url, {"step": "d1", "choice": "a"})
    # the user, the unsafe answers, the tries again, the versions
    with django_assert_num_queries(4):
        response = client.get("/progress/mistakes/")
    assert response.status_code == 200
    assert len(mistakes_of(student).items) == 4 * plays
