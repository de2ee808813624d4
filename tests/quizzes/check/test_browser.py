"""The spot-the-scam check in the system Chromium: a student takes it to the result, and every
state of the flow has zero axe violations in English and Chinese."""

import pytest
from django.utils import timezone

from quizzes.check.services import check_answer
from quizzes.models import CheckAnswer, CheckItem, CheckSession
from tests.factories import PASSWORD, make_student
from tests.quizzes.check.test_check import load_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def current_item(page) -> CheckItem:
    session_id, position = page.url.rstrip("/").split("/")[-2:]
    session = CheckSession.objects.get(pk=session_id)
    return CheckItem.objects.get(
        language=session.language, key=session.item_keys[int(position) - 1]
    )


def answer_current(page, *, right: bool) -> None:
    """Tick the verdict (right or wrong) and a confidence, by their positions in the form."""
    item = current_item(page)
    says_scam = item.is_scam if right else not item.is_scam
    before = page.url
    page.locator("#id_verdict_0" if says_scam else "#id_verdict_1").check()
    page.locator("#id_confidence_2").check()
    page.locator("form.check-form button[type=submit]").click()
    page.wait_for_url(lambda url: url != before)  # a measure goes straight on


def answer_in_the_database(session: CheckSession, last: int, *, right: bool = True) -> None:
    """Answer positions up to ``last`` through the service, as the pages would (fast)."""
    session.refresh_from_db()
    for position in range(session.answers.count() + 1, last + 1):
        item = CheckItem.objects.get(language=session.language, key=session.item_keys[position - 1])
        check_answer(
            session=session, position=position, says_scam=item.is_scam == right, confidence=2
        )


def take_measure(page, *, wrong: int = 0) -> int:
    """Answer every message of the check in progress (the first ``wrong`` ones wrongly) up to
    the result page; returns how many messages there were."""
    page.locator("form.check-form").wait_for()
    total = len(CheckSession.objects.get(finished_at__isnull=True).item_keys)
    for position in range(1, total + 1):
        page.locator("form.check-form").wait_for()
        assert page.locator(".feedback").count() == 0  # no verdict until the end
        answer_current(page, right=position > wrong)
    page.wait_for_url("**/result/")
    return total


def test_student_takes_the_check_to_the_result(page, assert_accessible):
    load_items("en")
    make_student("checker")
    log_in(page, "checker")
    page.goto("/check/")
    assert_accessible(page, "check start")
    page.get_by_role("button", name="Start the check").click()

    page.get_by_role("group", name="Is this a scam?").wait_for()
    total = len(CheckSession.objects.get().item_keys)
    page.get_by_text(f"Message 1 of {total}").wait_for()
    assert total >= 20  # a whole form of matched pairs
    item = current_item(page)
    assert item.explanation not in page.locator("main").inner_text()
    assert_accessible(page, "item before answering")
    assert take_measure(page, wrong=1) == total
    summary = page.locator("p.lead").inner_text()
    assert "You caught" in summary and "real messages" in summary
    assert "Spotting score" in page.locator("main").inner_text()
    assert_accessible(page, "result")
    assert CheckAnswer.objects.filter(is_correct=True).count() == total - 1
    assert CheckSession.objects.get().finished_at is not None


def test_the_check_works_without_javascript(browser, live_server):
    load_items("en")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/check/")
        page.get_by_role("button", name="Start the check").click()
        page.locator("form.check-form").wait_for()
        answer_current(page, right=True)
        answer_current(page, right=True)
        # The middle of the check through the service; the last message in the browser again.
        session = CheckSession.objects.get()
        total = len(session.item_keys)
        answer_in_the_database(session, total - 1)
        page.goto(f"/check/{session.pk}/{total}/")
        answer_current(page, right=True)
        page.wait_for_url("**/result/")
        assert f"trusted {total // 2} of {total // 2} real messages." in page.content()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_check_pages_have_no_axe_violations_in_each_language(page, assert_accessible, language):
    load_items("en")
    load_items("zh-hans")
    student = make_student("checker")
    log_in(page, "checker")
    page.goto("/check/")
    if language == "zh-hans":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert_accessible(page, f"start [{language}]")
    page.locator("form[action='/check/start/'] button").click()
    page.locator("form.check-form").wait_for()
    assert current_item(page).language == language
    assert_accessible(page, f"item before answering [{language}]")
    # A form with nothing ticked is refused with a message (the browser's own check is
    # skipped so the server's answer is what is tested).
    page.locator("form.check-form").evaluate("f => f.noValidate = true")
    page.locator("form.check-form button[type=submit]").click()
    page.locator(".alert-danger").wait_for()
    assert_accessible(page, f"item with errors [{language}]")
    answer_current(page, right=False)
    page.locator("form.check-form").wait_for()
    assert page.locator(".feedback").count() == 0  # a measure: no verdict yet
    assert_accessible(page, f"item after an answer [{language}]")
    before = CheckSession.objects.get()
    answer_in_the_database(before, len(before.item_keys))
    page.goto(f"/check/{before.pk}/result/")
    assert_accessible(page, f"result [{language}]")
    # The after check (answered through the service) gives the before / after comparison.
    page.goto("/check/")
    page.locator("form[action='/check/start/'] button").click()
    page.locator("form.check-form").wait_for()
    after = CheckSession.objects.get(finished_at__isnull=True)
    answer_in_the_database(after, len(after.item_keys))
    page.goto(f"/check/{after.pk}/result/")
    assert page.locator("table.check-scores").count() == 2
    assert_accessible(page, f"before and after [{language}]")
    page.goto("/check/")
    page.locator(".alert-info").wait_for()  # when the later check opens
    assert_accessible(page, f"start with the later check to come [{language}]")
    # After the three measures, practice shows the answer after each message.
    CheckSession.objects.create(
        user=student, language=language, kind="later", form="c", item_keys=[],
        finished_at=timezone.now(),
    )  # fmt: skip
    page.goto("/check/")
    page.locator("form[action='/check/start/'] button").click()
    page.locator("form.check-form").wait_for()
    item = current_item(page)
    page.locator("#id_verdict_0").check()
    page.locator("#id_confidence_2").check()
    page.locator("form.check-form button[type=submit]").click()
    page.locator("#feedback-title").wait_for()
    assert item.explanation in page.locator(".feedback").inner_text()
    assert_accessible(page, f"practice feedback [{language}]")
