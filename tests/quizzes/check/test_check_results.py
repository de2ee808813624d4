"""The spot-the-scam check's scores and results: counting, before beside after, stored results,
query counts, progress, the data download, and a visitor's check moving to a new account."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError

from quizzes.check.selectors import check_result, student_check_summary
from quizzes.check.services import check_answer, check_session_start
from quizzes.models import CheckAnswer, CheckItem, CheckSession
from tests.factories import make_student
from tests.quizzes.check.test_check import (
    CONTENT,
    answer_all,
    item_at,
    item_url,
    load_items,
    make_items,
    session_of,
    start,
)

pytestmark = pytest.mark.django_db


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
    assert "Your latest results" in html and "Your last check opens on" in html


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
    assert CheckItem.objects.filter(language="en").count() >= 64
    session = session_of(start(student_client))
    assert len(session.item_keys) >= 20  # a whole form: ten or more matched pairs
    answer_all(student_client, session)
    html = student_client.get(f"/check/{session.pk}/result/").content.decode()
    assert "Every answer was right" in html
    assert len(re.findall(r"you were right", html)) == len(session.item_keys)


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("pool", ["small", "shipped"])
def test_check_pages_use_a_constant_number_of_queries(
    student_client, django_assert_num_queries, pool
):
    if pool == "small":
        make_items(scams=15, genuine=15)  # each form: exactly 5 pairs
    else:
        load_items("en")  # the shipped bank
    url = start(student_client)
    session = session_of(url)
    assert len(session.item_keys) == 10 if pool == "small" else len(session.item_keys) >= 20
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
        assert "Your answer is saved" in student_client.get(url).content.decode()
    answer_all_from(student_client, session, 2)
    # user, check session, answers joined with their items, the latest before/after scores
    with django_assert_num_queries(4):
        html = student_client.get(f"/check/{session.pk}/result/").content.decode()
    assert "You caught" in html
    # user, unfinished check, the latest before/after scores, the measures taken, whether a
    # class of theirs opened the after check, the scenarios finished (what comes next)
    with django_assert_num_queries(6):
        assert student_client.get("/check/").status_code == 200


def answer_all_from(client, session: CheckSession, first: int) -> None:
    for position in range(first, len(session.item_keys) + 1):
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
