"""The spot-the-scam check, one message at a time: the page, answering, and answers refused."""

import pytest
from django.db import IntegrityError, transaction
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from awareness.models import User
from quizzes.check.services import CheckError, check_answer, check_session_start
from quizzes.models import CheckAnswer, CheckItem, CheckSession
from tests.factories import make_student
from tests.quizzes.check.test_check import (
    item_at,
    item_url,
    make_items,
    past_measures,
    session_of,
    start,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- one message


def test_practice_hides_the_verdict_and_explanation_until_answered(student_client, items):
    past_measures(User.objects.get())
    url = start(student_client)
    session = session_of(url)
    for position in range(1, 11):
        item = item_at(session, position)
        page = item_url(session, position)
        html = student_client.get(page).content.decode()
        assert escape(item.text) in html and escape(item.sender) in html
        assert escape(item.explanation) not in html
        assert item.key not in html  # keys end in "-scam" / "-real"
        assert "feedback" not in html and "This message is" not in html
        assert 'name="verdict"' in html and 'name="confidence"' in html
        says = "scam" if position % 2 else "genuine"
        response = student_client.post(page, {"verdict": says, "confidence": "1"})
        assert response.status_code == 302 and response["Location"] == page
        html = student_client.get(page).content.decode()
        assert escape(item.explanation) in html
        assert ("This message is a scam." in html) is item.is_scam
        assert ("Right!" in html) is ((says == "scam") is item.is_scam)
        assert 'name="verdict"' not in html
        if item.is_scam:
            assert "Tricks used:" in html
        else:
            assert "Tricks used:" not in html
        next_link = (
            f"/check/{session.pk}/result/" if position == 10 else item_url(session, position + 1)
        )
        assert f'href="{next_link}"' in html


def test_feedback_names_the_tactics_of_a_scam(student_client):
    make_items(scams=1, genuine=1)
    CheckItem.objects.filter(is_scam=True).update(tactics=["pay-to-unlock", "urgency"])
    past_measures(User.objects.get())
    session = session_of(start(student_client))
    position = next(p for p in (1, 2) if item_at(session, p).is_scam)
    if position == 2:
        student_client.post(item_url(session, 1), {"verdict": "genuine", "confidence": "3"})
    student_client.post(item_url(session, position), {"verdict": "genuine", "confidence": "3"})
    html = student_client.get(item_url(session, position)).content.decode()
    assert "Not quite." in html and "Pay to unlock" in html and "Urgency" in html
    assert "You said:</span> Not a scam · Certain" in html


def test_answering_twice_changes_nothing(student_client, items):
    url = start(student_client)
    session = session_of(url)
    assert student_client.post(url, {"verdict": "scam", "confidence": "3"}).status_code == 302
    stored = CheckAnswer.objects.get()
    for data in ({"verdict": "scam", "confidence": "3"}, {"verdict": "genuine", "confidence": "1"}):
        response = student_client.post(url, data)
        assert response.status_code == 409
        assert "You have already answered this message." in response.content.decode()
    again = CheckAnswer.objects.get()
    assert (again.pk, again.says_scam, again.confidence) == (stored.pk, True, 3)
    with pytest.raises(CheckError) as exc:
        check_answer(session=session, position=1, says_scam=False, confidence=1)
    assert exc.value.status == 409


def test_the_database_allows_one_answer_per_message(items):
    session = check_session_start(user=make_student(), language="en")
    check_answer(session=session, position=1, says_scam=True, confidence=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckAnswer.objects.create(
            session=session,
            item=item_at(session, 1),
            position=5,
            says_scam=False,
            confidence=2,
            is_correct=False,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckAnswer.objects.create(
            session=session,
            item=item_at(session, 2),
            position=2,
            says_scam=False,
            confidence=4,
            is_correct=False,
        )


def test_answering_out_of_order_is_refused(student_client, items):
    url = start(student_client)
    session = session_of(url)
    response = student_client.post(item_url(session, 3), {"verdict": "scam", "confidence": "2"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Please answer the messages in order." in html
    assert escape(item_at(session, 3).text) not in html  # a later message is not shown early
    assert f'href="{item_url(session, 1)}"' in html
    assert not CheckAnswer.objects.exists()
    # Looking ahead just leads back to the message you are on.
    response = student_client.get(item_url(session, 3))
    assert response.status_code == 302 and response["Location"] == item_url(session, 1)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"verdict": "scam"},
        {"confidence": "2"},
        {"verdict": "maybe", "confidence": "2"},
        {"verdict": "scam", "confidence": "4"},
        {"verdict": "scam", "confidence": "0"},
        {"verdict": "scam", "confidence": "-1"},
        {"verdict": "scam", "confidence": "1.5"},
        {"verdict": "scam", "confidence": "9" * 5000},
        {"verdict": "x" * 100_000, "confidence": "2"},
        {"verdict": "<script>alert(1)</script>", "confidence": "2"},
        {"verdict": ["scam", "genuine"], "confidence": ["1", "3"], "is_correct": "1"},
    ],
)
def test_bad_answers_get_400_and_store_nothing(student_client, items, data):
    url = start(student_client)
    response = student_client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer both questions" in html and "Choose" in html
    assert "<script>alert(1)" not in html and "x" * 1000 not in html
    assert not CheckAnswer.objects.exists()


@pytest.mark.parametrize("index", ["0", "11", "99999999999999999999999"])
def test_positions_outside_the_check_are_404(student_client, items, index):
    session = session_of(start(student_client))
    assert student_client.get(f"/check/{session.pk}/{index}/").status_code == 404
    response = student_client.post(
        f"/check/{session.pk}/{index}/", {"verdict": "scam", "confidence": "2"}
    )
    assert response.status_code == 404
    assert not CheckAnswer.objects.exists()


@pytest.mark.parametrize("path", ["/check/99999999999999999999999/1/", "/check/abc/1/"])
def test_unknown_or_malformed_session_ids_are_404(student_client, items, path):
    assert student_client.get(path).status_code == 404
    assert student_client.post(path, {"verdict": "scam", "confidence": "2"}).status_code == 404


def test_wrong_methods_are_405(student_client, items):
    url = start(student_client)
    session = session_of(url)
    assert student_client.get("/check/start/").status_code == 405
    assert student_client.post("/check/").status_code == 405
    assert student_client.post(f"/check/{session.pk}/result/").status_code == 405
    assert student_client.put(url).status_code == 405


@given(
    st.dictionaries(
        st.sampled_from(["verdict", "confidence", "index", "session"]),
        st.one_of(st.text(max_size=300), st.sampled_from(["scam", "genuine", "1", "2", "3"])),
        max_size=4,
    )
)
@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_answer_form_gets_a_redirect_or_a_4xx(student_client, items, data):
    session = CheckSession.objects.filter(user__username="checker").first()
    if session is None:
        session = session_of(start(student_client))
    CheckAnswer.objects.filter(session=session).delete()
    response = student_client.post(item_url(session, 1), data)
    valid = data.get("verdict") in {"scam", "genuine"} and data.get("confidence") in {
        "1",
        "2",
        "3",
    }
    assert response.status_code == (302 if valid else 400)
    assert CheckAnswer.objects.filter(session=session).count() == int(valid)
