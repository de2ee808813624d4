"""The spot-the-scam check at /check/: the measures (before, after, later) on parallel forms,
practice after them, and whose session it is.

Also holds the helpers that test_check_answers.py and test_check_results.py import; the fixtures
(items, student_client) are in conftest.py.
"""

import json
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from quizzes.check.bank import FORMS, ORDERS, build_forms, form_items, item_dict, rotation
from quizzes.check.services import check_session_start, check_sessions_claim
from quizzes.models import Attempt, CheckAnswer, CheckItem, CheckSession
from tests.factories import make_check_items, make_scenario, make_student

pytestmark = pytest.mark.django_db

CONTENT = settings.BASE_DIR / "content"


def load_items(language: str = "en") -> list[CheckItem]:
    """The check items of a shipped pack, as rows (fast; import_content is tested once)."""
    pack = json.loads((CONTENT / f"{language}.json").read_text(encoding="utf-8"))
    return CheckItem.objects.bulk_create(
        CheckItem(
            language=language,
            key=i["key"],
            pair=i.get("pair", ""),
            topic=i.get("topic", ""),
            channel=i["channel"],
            sender=i["from"],
            address=i.get("address", ""),
            subject=i.get("subject", ""),
            url=i.get("url", ""),
            verified=i.get("verified", False),
            text=i["text"],
            is_scam=i["is_scam"],
            explanation=i["explanation"],
            tactics=i["tactics"],
        )
        for i in pack["check_items"]
    )


def make_items(scams: int, genuine: int, language: str = "en", prefix: str = "") -> None:
    """Scams and genuine messages; the first min(scams, genuine) of each are matched pairs."""
    CheckItem.objects.bulk_create(
        CheckItem(
            language=language,
            key=f"{prefix}{'s' if is_scam else 'g'}{n:02d}",
            pair=f"{prefix}{'g' if is_scam else 's'}{n:02d}" if n < min(scams, genuine) else "",
            topic="phishing",
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


def past_measures(user) -> None:
    """Before, after and later, finished long ago: the next check is practice."""
    for kind, form in (("pre", "a"), ("post", "b"), ("later", "c")):
        CheckSession.objects.create(
            user=user, language="en", kind=kind, form=form, item_keys=[],
            finished_at=timezone.now() - timedelta(days=60),
        )  # fmt: skip


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


def test_a_measure_shows_its_whole_form_in_a_stored_order_twins_apart(items):
    user = make_student()
    session = check_session_start(user=user, language="en", rng=random.Random(1))
    forms = build_forms(map(item_dict, items))
    wanted = {i["key"] for i in form_items(forms, session.form)}
    assert sorted(session.item_keys) == sorted(wanted) and len(wanted) == 10
    twin = {i.key: i.pair for i in items}
    assert all(twin[a] != b for a, b in zip(session.item_keys, session.item_keys[1:], strict=False))
    session.refresh_from_db()
    assert session.item_keys == check_session_start(user=user, language="en").item_keys


def test_the_order_is_shuffled_not_scams_first(items):
    orders = set()
    for seed in range(8):
        session = check_session_start(user=make_student(), language="en", rng=random.Random(seed))
        orders.add(tuple(item_at(session, p).is_scam for p in range(1, 11)))
    assert len(orders) > 1  # without the shuffle every order is five scams, then five genuine


def test_practice_draws_as_many_of_each_kind_as_both_allow():
    make_items(scams=4, genuine=8)
    student = make_student()
    past_measures(student)
    session = check_session_start(user=student, language="en")
    kinds = [item_at(session, p).is_scam for p in range(1, len(session.item_keys) + 1)]
    assert session.kind == "practice" and session.form == "x"
    assert sorted(kinds) == [False] * 4 + [True] * 4


def test_without_items_the_check_is_not_available(student_client):
    response = student_client.post("/check/start/")
    assert response.status_code == 404
    assert "not available yet" in response.content.decode()
    assert not CheckSession.objects.exists()


# ---------------------------------------------------------------- before, then after


def finish_after(session: CheckSession, days_ago: int) -> None:
    CheckSession.objects.filter(pk=session.pk).update(
        finished_at=timezone.now() - timedelta(days=days_ago)
    )


def test_before_after_later_follow_a_latin_square_row_and_never_repeat(student_client, items):
    seen: list[set[str]] = []
    forms = []
    for kind in ("pre", "post", "later"):
        session = session_of(start(student_client))
        assert session.kind == kind
        forms.append(session.form)
        seen.append(set(session.item_keys))
        answer_all(student_client, session)
        if kind == "post":
            finish_after(session, days_ago=settings.LATER_CHECK_DAYS)
    assert tuple(forms) in ORDERS
    assert not seen[0] & seen[1] and not seen[1] & seen[2] and not seen[0] & seen[2]
    practice = session_of(start(student_client))
    assert (practice.kind, practice.form, len(practice.item_keys)) == ("practice", "x", 10)


def test_the_rotation_gives_every_form_order_equally_across_a_class(items):
    orders = Counter()
    for number in range(30):
        student = make_student(f"rota-{number}")
        first = check_session_start(user=student, language="en")
        orders[rotation(FORMS.index(first.form))] += 1
    assert orders == {order: 10 for order in ORDERS}


def test_the_after_check_opens_once_enough_scenarios_are_finished(student_client, items, settings):
    settings.AFTER_CHECK_SCENARIOS = 2
    answer_all(student_client, session_of(start(student_client)))
    response = student_client.post("/check/start/")
    assert response.status_code == 403
    assert "2 more scenarios" in response.content.decode()
    assert "finished 2 more scenarios" in student_client.get("/check/").content.decode()
    student = CheckSession.objects.get().user
    for slug in ("one", "two"):
        scenario = make_scenario(slug)
        Attempt.objects.create(
            user=student, scenario=scenario, version=scenario.published_version,
            status="completed", outcome="safe", current_key="end", finished_at=timezone.now(),
        )  # fmt: skip
    assert session_of(start(student_client)).kind == "post"


def test_the_later_check_opens_only_after_its_delay(student_client, items, settings):
    settings.LATER_CHECK_DAYS = 14
    for _ in ("pre", "post"):
        answer_all(student_client, session_of(start(student_client)))
    after = CheckSession.objects.get(kind="post")
    finish_after(after, days_ago=13)  # the clock moved 13 days on
    assert student_client.post("/check/start/").status_code == 403
    page = student_client.get("/check/").content.decode()
    assert "Your last check opens on" in page
    finish_after(after, days_ago=14)
    assert session_of(start(student_client)).kind == "later"


def test_a_measure_shows_no_verdict_until_its_end_and_practice_does(student_client, items):
    session = session_of(start(student_client))
    first = item_at(session, 1)
    response = student_client.post(item_url(session, 1), {"verdict": "scam", "confidence": "2"})
    assert response["Location"] == item_url(session, 2)  # straight on to the next message
    page = student_client.get(item_url(session, 1)).content.decode()
    assert "Your answer is saved" in page
    assert "This message is a scam" not in page and "This message is genuine" not in page
    assert escape(first.explanation) not in page
    CheckSession.objects.filter(pk=session.pk).update(kind="practice", form="x")
    page = student_client.get(item_url(session, 1)).content.decode()
    assert "This message is a scam" in page or "This message is genuine" in page


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
    make_check_items("en")
    client.force_login(make_student())
    session = session_of(start(client))
    assert session.language == "en"
    CheckSession.objects.all().delete()
    make_check_items("zh-hans")
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


def test_the_teacher_can_open_the_after_check_for_the_whole_class(client, items, settings):
    from tests.factories import add_student, make_class

    settings.AFTER_CHECK_SCENARIOS = 3
    classroom = make_class()
    student = add_student(classroom, make_student("lesson-kid"))
    client.force_login(student)
    answer_all(client, session_of(start(client)))
    assert client.post("/check/start/").status_code == 403  # no scenario finished yet

    other_teacher = Client()
    other_teacher.force_login(make_student("not-the-teacher"))
    url = f"/classes/{classroom.pk}/open-after-check/"
    assert other_teacher.post(url).status_code in (403, 404)
    teacher = Client()
    teacher.force_login(classroom.teacher)
    assert teacher.post(url).status_code == 302
    assert (
        "Open to every student of the class now."
        in teacher.get(classroom.get_absolute_url()).content.decode()
    )
    assert session_of(start(client)).kind == "post"

    teacher.post(url, {"action": "close"})
    classroom.refresh_from_db()
    assert classroom.after_check_open is False


def test_the_split_into_forms_is_kept_in_the_shared_cache_per_bank(items, monkeypatch):
    from quizzes.check import services

    calls = []
    real = services.build_forms
    monkeypatch.setattr(services, "build_forms", lambda i: calls.append(1) or real(i))
    first = check_session_start(user=make_student(), language="en")
    second = check_session_start(user=make_student(), language="en")
    assert len(calls) == 1 and first.form != second.form  # split once, for every student
    CheckItem.objects.filter(key="scam-00").update(text="Edited scam message 0")
    check_session_start(user=make_student(), language="en")
    assert len(calls) == 2  # an edited bank is split again
