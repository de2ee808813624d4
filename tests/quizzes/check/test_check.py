"""The spot-the-scam check at /check/: parallel forms and drawing, before then after, and whose
session it is.

Also holds the helpers that test_check_answers.py and test_check_results.py import; the fixtures
(items, student_client) are in conftest.py.
"""

import json
import random

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from quizzes.check.services import check_forms_split, check_session_start, check_sessions_claim
from quizzes.models import CheckAnswer, CheckItem, CheckSession
from tests.factories import make_student

pytestmark = pytest.mark.django_db

CONTENT = settings.BASE_DIR / "content"


def load_items(language: str = "en") -> list[CheckItem]:
    """The check items of a shipped pack, as rows (fast; import_content is tested once)."""
    pack = json.loads((CONTENT / f"{language}.json").read_text(encoding="utf-8"))
    return CheckItem.objects.bulk_create(
        CheckItem(
            language=language,
            key=i["key"],
            channel=i["channel"],
            sender=i["from"],
            text=i["text"],
            is_scam=i["is_scam"],
            explanation=i["explanation"],
            tactics=i["tactics"],
        )
        for i in pack["check_items"]
    )


def make_items(scams: int, genuine: int, language: str = "en", prefix: str = "") -> None:
    CheckItem.objects.bulk_create(
        CheckItem(
            language=language,
            key=f"{prefix}{'s' if is_scam else 'g'}{n:02d}",
            channel="sms",
            sender=f"Sender {prefix}{n} {'S' if is_scam else 'G'}",
            text=f"Message text {prefix}{n} {'S' if is_scam else 'G'}",
            is_scam=is_scam,
            explanation=f"Explanation {prefix}{n} {'S' if is_scam else 'G'}",
            tactics=["urgency"] if is_scam else [],
        )
        for is_scam, total in ((True, scams), (False, genuine))
        for n in range(total)
    )


def start(client) -> str:
    """Start (or resume) a check; returns the URL of the message to answer."""
    response = client.post("/check/start/")
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def session_of(url: str) -> CheckSession:
    return CheckSession.objects.get(pk=int(url.strip("/").split("/")[1]))


def item_url(session: CheckSession, position: int) -> str:
    return f"/check/{session.pk}/{position}/"


def item_at(session: CheckSession, position: int) -> CheckItem:
    return CheckItem.objects.get(language=session.language, key=session.item_keys[position - 1])


def answer_all(client, session: CheckSession, *, right: int | None = None) -> None:
    """Answer every message: all right, or only the first ``right`` ones."""
    for position in range(1, len(session.item_keys) + 1):
        is_scam = item_at(session, position).is_scam
        correct = right is None or position <= right
        says_scam = is_scam if correct else not is_scam
        response = client.post(
            item_url(session, position),
            {"verdict": "scam" if says_scam else "genuine", "confidence": "2"},
        )
        assert response.status_code == 302


# ---------------------------------------------------------------- forms and drawing


def test_the_shipped_pack_splits_into_two_balanced_disjoint_forms(items):
    forms = check_forms_split(items)
    a, b = forms["a"], forms["b"]
    assert sum(i.is_scam for i in a) == sum(not i.is_scam for i in a) == 11
    assert sum(i.is_scam for i in b) == sum(not i.is_scam for i in b) == 11
    assert not {i.key for i in a} & {i.key for i in b}
    assert {i.key for i in a} | {i.key for i in b} == {i.key for i in items}


def test_the_split_does_not_depend_on_the_order_items_come_in(items):
    shuffled = list(items)
    random.Random(7).shuffle(shuffled)
    keys = {name: [i.key for i in form] for name, form in check_forms_split(items).items()}
    again = {name: [i.key for i in form] for name, form in check_forms_split(shuffled).items()}
    assert keys == again


def test_a_session_draws_five_scams_and_five_genuine_from_its_form_in_a_stored_order(items):
    user = make_student()
    session = check_session_start(user=user, language="en", rng=random.Random(1))
    form_a = {i.key: i for i in check_forms_split(items)["a"]}
    assert len(session.item_keys) == len(set(session.item_keys)) == 10
    assert set(session.item_keys) <= set(form_a)
    assert sum(form_a[k].is_scam for k in session.item_keys) == 5
    session.refresh_from_db()
    assert session.item_keys == check_session_start(user=user, language="en").item_keys


def test_the_order_is_shuffled_not_scams_first(items):
    orders = set()
    for seed in range(8):
        session = check_session_start(user=make_student(), language="en", rng=random.Random(seed))
        orders.add(tuple(item_at(session, p).is_scam for p in range(1, 11)))
    assert len(orders) > 1  # without the shuffle every order is five scams, then five genuine


def test_a_small_pool_draws_as_many_of_each_kind_as_both_allow():
    make_items(scams=4, genuine=8)  # form A: 2 scams, 4 genuine
    session = check_session_start(user=make_student(), language="en")
    kinds = [item_at(session, p).is_scam for p in range(1, len(session.item_keys) + 1)]
    assert sorted(kinds) == [False, False, True, True]


def test_without_items_the_check_is_not_available(student_client):
    response = student_client.post("/check/start/")
    assert response.status_code == 404
    assert "not available yet" in response.content.decode()
    assert not CheckSession.objects.exists()


# ---------------------------------------------------------------- before, then after


def test_first_check_is_before_on_form_a_then_after_on_form_b_then_a_again(student_client, items):
    seen = []
    for expected_kind, expected_form in (("pre", "a"), ("post", "b"), ("post", "a")):
        session = session_of(start(student_client))
        assert (session.kind, session.form) == (expected_kind, expected_form)
        seen.append(set(session.item_keys))
        answer_all(student_client, session)
    assert not seen[0] & seen[1] and not seen[1] & seen[2]


def test_starting_again_resumes_the_unfinished_check(student_client, items):
    first = start(student_client)
    session = session_of(first)
    answer_all_but_last = item_at(session, 1)
    student_client.post(
        first, {"verdict": "scam" if answer_all_but_last.is_scam else "genuine", "confidence": 3}
    )
    assert start(student_client) == item_url(session, 2)
    assert CheckSession.objects.count() == 1
    html = student_client.get("/check/").content.decode()
    assert "You have a check in progress." in html and "Continue the check" in html


def test_check_content_follows_the_language_and_falls_back_to_english(client):
    load_items("en")
    client.force_login(make_student())
    session = session_of(start(client))
    assert session.language == "en"
    CheckSession.objects.all().delete()
    load_items("zh-hans")
    session = session_of(client.post("/check/start/", HTTP_ACCEPT_LANGUAGE="zh-Hans")["Location"])
    assert session.language == "zh-hans"
    html = client.get(item_url(session, 1), HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert (
        escape(item_at(session, 1).text) in html and 'lang="' not in html.split("sim-msg")[1][:20]
    )


def test_a_chinese_speaker_gets_english_items_marked_as_english_when_none_exist(client, items):
    client.force_login(make_student())
    url = client.post("/check/start/", HTTP_ACCEPT_LANGUAGE="zh-Hans")["Location"]
    session = session_of(url)
    assert session.language == "en"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert '<div class="sim-msg" lang="en">' in html


def test_visitors_take_the_check_in_their_browser_session(client, items):
    url = start(client)
    session = session_of(url)
    assert session.user is None and session.visitor_id
    answer_all(client, session)
    response = client.get(f"/check/{session.pk}/result/")
    assert response.status_code == 200
    assert "You caught 5 of 5 scams and trusted 5 of 5 real messages." in (
        response.content.decode()
    )


def test_a_visitors_sessions_move_to_a_new_account_only_if_it_has_none(items):
    user = make_student()
    visitor = check_session_start(user=None, visitor_id="v-1", language="en")
    assert check_sessions_claim(user=user, visitor_id="v-1") == 1
    visitor.refresh_from_db()
    assert visitor.user == user and visitor.visitor_id == ""
    check_session_start(user=None, visitor_id="v-2", language="en")
    assert check_sessions_claim(user=user, visitor_id="v-2") == 0
    assert check_sessions_claim(user=user, visitor_id="") == 0


# ---------------------------------------------------------------- whose session


def test_another_users_session_is_404(client, items):
    client.force_login(make_student("owner"))
    url = start(client)
    session = session_of(url)
    answer_all(client, session, right=10)
    result = f"/check/{session.pk}/result/"
    assert client.get(result).status_code == 200
    client.force_login(make_student("intruder"))
    for path in (url, item_url(session, 10), result):
        assert client.get(path).status_code == 404
    assert client.post(url, {"verdict": "scam", "confidence": "2"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(result).status_code == 404
    assert CheckAnswer.objects.count() == 10


def test_another_visitors_session_is_404(client, items):
    from django.test import Client

    url = start(client)
    other = Client()
    assert other.get(url).status_code == 404
    start(other)  # the other visitor has a browser session of their own now
    assert other.get(url).status_code == 404
    assert other.post(url, {"verdict": "scam", "confidence": "2"}).status_code == 404
    assert not CheckAnswer.objects.exists()


def test_a_visitors_session_is_not_a_students(client, items):
    url = start(client)
    other = Client()
    other.force_login(make_student())
    assert other.get(url).status_code == 404
    # Signing in in the visitor's own browser makes it theirs (claimed at login).
    client.force_login(make_student())
    assert client.get(url).status_code == 200
