"""The spot-the-scam check at /check/: parallel forms, before/after, answers, results."""

import io
import json
import random
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from quizzes.check.selectors import check_result, student_check_summary
from quizzes.check.services import (
    CheckError,
    check_answer,
    check_forms_split,
    check_session_start,
    check_sessions_claim,
)
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


@pytest.fixture
def items():
    return load_items("en")


@pytest.fixture
def student_client(client):
    client.force_login(make_student("checker"))
    return client


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


# ---------------------------------------------------------------- one message


def test_the_page_hides_the_verdict_and_explanation_until_answered(student_client, items):
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


# ---------------------------------------------------------------- scoring and results


def test_hits_false_alarms_misses_and_correct_rejections_are_counted_apart(student_client, items):
    session = session_of(start(student_client))
    wrong_scam = next(p for p in range(1, 11) if item_at(session, p).is_scam)
    wrong_genuine = next(p for p in range(1, 11) if not item_at(session, p).is_scam)
    for position in range(1, 11):
        is_scam = item_at(session, position).is_scam
        says_scam = (not is_scam) if position in {wrong_scam, wrong_genuine} else is_scam
        student_client.post(
            item_url(session, position),
            {"verdict": "scam" if says_scam else "genuine", "confidence": "2"},
        )
    session.refresh_from_db()
    assert session.finished_at is not None
    score = check_result(session).score
    assert (score.hits, score.misses, score.false_alarms, score.correct_rejections) == (4, 1, 1, 4)
    assert (score.hit_rate, score.false_alarm_rate, score.accuracy) == (80, 20, 80)
    html = student_client.get(f"/check/{session.pk}/result/").content.decode()
    assert "You caught 4 of 5 scams and trusted 4 of 5 real messages." in html
    assert "1 of 5 (20%)" in html and "4 of 5 (80%)" in html and "8 of 10 (80%)" in html
    assert 'class="rate-fill rate-fill-warn rate-20"' in html
    assert 'class="rate-fill rate-80"' in html
    assert "style=" not in html
    assert "Before and after" not in html  # only one check so far


def test_calling_everything_a_scam_is_not_a_perfect_score(student_client, items):
    session = session_of(start(student_client))
    for position in range(1, 11):
        student_client.post(item_url(session, position), {"verdict": "scam", "confidence": "3"})
    score = check_result(session).score
    assert (score.hits, score.false_alarms, score.accuracy) == (5, 5, 50)
    html = student_client.get(f"/check/{session.pk}/result/").content.decode()
    assert "You caught 5 of 5 scams and trusted 0 of 5 real messages." in html
    assert "You called some real messages scams." in html


def test_the_result_of_an_unfinished_check_leads_back_to_it(student_client, items):
    url = start(student_client)
    session = session_of(url)
    response = student_client.get(f"/check/{session.pk}/result/")
    assert response.status_code == 302 and response["Location"] == url


def test_results_show_before_and_after_side_by_side(student_client, items):
    pre = session_of(start(student_client))
    answer_all(student_client, pre, right=5)
    summary = student_check_summary(pre.user)
    assert summary["pre"].accuracy == 50 and summary["post"] is None and summary["change"] is None
    post = session_of(start(student_client))
    answer_all(student_client, post, right=9)
    summary = student_check_summary(pre.user)
    assert (summary["pre"].session_id, summary["post"].session_id) == (pre.pk, post.pk)
    assert summary["change"] == 40 and summary["change_size"] == 40
    html = student_client.get(f"/check/{post.pk}/result/").content.decode()
    assert "Before and after" in html
    assert "After playing you got 40 percentage points more answers right than before." in html
    assert f'href="/check/{pre.pk}/result/">Before</a>' in html
    assert f'href="/check/{post.pk}/result/">After</a>' in html
    html = student_client.get("/check/").content.decode()
    assert "Your latest results" in html and "Take the check again" in html


def test_the_summary_is_none_without_a_finished_check_and_ignores_others(items):
    user = make_student()
    assert student_check_summary(user) is None
    check_session_start(user=user, language="en")  # unfinished
    assert student_check_summary(user) is None
    other = make_student()
    session = check_session_start(user=other, language="en")
    for position in range(1, 11):
        check_answer(session=session, position=position, says_scam=True, confidence=1)
    assert student_check_summary(user) is None
    assert student_check_summary(other)["pre"].hits == 5


def test_later_edits_to_an_item_do_not_change_a_stored_result(items):
    session = check_session_start(user=make_student(), language="en")
    for position in range(1, 11):
        check_answer(session=session, position=position, says_scam=True, confidence=1)
    CheckItem.objects.update(is_scam=False)
    score = check_result(session).score
    assert (score.hits, score.false_alarms) == (5, 5)


def test_an_answered_item_cannot_be_deleted(items):
    session = check_session_start(user=make_student(), language="en")
    check_answer(session=session, position=1, says_scam=True, confidence=1)
    with pytest.raises(ProtectedError):
        item_at(session, 1).delete()


def test_deleting_the_student_deletes_their_checks(items):
    user = make_student()
    session = check_session_start(user=user, language="en")
    check_answer(session=session, position=1, says_scam=True, confidence=1)
    user.delete()
    assert not CheckSession.objects.exists() and not CheckAnswer.objects.exists()


def test_the_shipped_packs_import_and_play_through(student_client):
    call_command("import_content", str(CONTENT / "en.json"), stdout=io.StringIO())
    assert CheckItem.objects.filter(language="en").count() == 44
    session = session_of(start(student_client))
    answer_all(student_client, session)
    html = student_client.get(f"/check/{session.pk}/result/").content.decode()
    assert "Every answer was right" in html
    assert len(re.findall(r"you were right", html)) == 10


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("pool", ["small", "shipped"])
def test_check_pages_use_a_constant_number_of_queries(
    student_client, django_assert_num_queries, pool
):
    if pool == "small":
        make_items(scams=10, genuine=10)  # each form: exactly 5 + 5
    else:
        load_items("en")  # 44 items
    url = start(student_client)
    session = session_of(url)
    assert len(session.item_keys) == 10
    # user, check session, its answers, the item
    with django_assert_num_queries(4):
        assert student_client.get(url).status_code == 200
    # user, check session, its answers, the item; savepoint, locked session, answer count,
    # item, insert answer, release savepoint
    with django_assert_num_queries(10):
        response = student_client.post(url, {"verdict": "scam", "confidence": "2"})
        assert response.status_code == 302
    # user, check session, its answers, the item
    with django_assert_num_queries(4):
        assert "This message is" in student_client.get(url).content.decode()
    answer_all_from(student_client, session, 2)
    # user, check session, answers joined with their items, the latest before/after scores
    with django_assert_num_queries(4):
        html = student_client.get(f"/check/{session.pk}/result/").content.decode()
    assert "You caught" in html
    # user, unfinished check, the latest before/after scores
    with django_assert_num_queries(3):
        assert student_client.get("/check/").status_code == 200


def answer_all_from(client, session: CheckSession, first: int) -> None:
    for position in range(first, 11):
        client.post(item_url(session, position), {"verdict": "genuine", "confidence": "1"})


def test_a_visitor_and_the_start_page_without_a_session(client, django_assert_num_queries):
    # No visitor id yet: nothing to look up.
    with django_assert_num_queries(0):
        html = client.get("/check/").content.decode()
    assert "Start the check" in html and "kept in this browser only" in html


def test_check_results_appear_on_progress_and_in_the_data_download(client, items):
    import json as _json

    from quizzes.models import CheckAnswer, CheckSession
    from quizzes.privacy.services import account_delete

    student = make_student("checker")
    client.force_login(student)
    html = client.get("/progress/").content.decode()
    assert "Go to the spot-the-scam check" in html
    session = CheckSession.objects.filter(user=student).first()
    assert session is None
    session = session_of(start(client))
    answer_all(client, session)
    assert "Your spot-the-scam results" in client.get("/progress/").content.decode()
    exported = _json.loads(client.get("/account/my-data.json").content)
    assert len(exported["checks"]) == 1
    assert len(exported["checks"][0]["answers"]) == CheckAnswer.objects.count() > 0
    account_delete(user=student)
    assert not CheckSession.objects.exists() and not CheckAnswer.objects.exists()


def test_a_visitors_check_moves_to_the_account_at_sign_up(client, items):
    from tests.factories import PASSWORD

    session = session_of(start(client))
    assert session.user is None and session.visitor_id
    client.post(
        "/accounts/signup/",
        {"username": "late-joiner", "password1": PASSWORD, "password2": PASSWORD},
    )
    session.refresh_from_db()
    assert session.user.username == "late-joiner" and session.visitor_id == ""
