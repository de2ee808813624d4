"""The spot-the-scam check in the system Chromium: a student takes it to the result, and every
state of the flow has zero axe violations in English and Chinese."""

import json

import pytest
from django.conf import settings

from quizzes.models import CheckAnswer, CheckItem, CheckSession
from tests.factories import PASSWORD, make_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def load_items(language: str) -> None:
    pack = json.loads((settings.BASE_DIR / "content" / f"{language}.json").read_text("utf-8"))
    CheckItem.objects.bulk_create(
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
    page.locator("#id_verdict_0" if says_scam else "#id_verdict_1").check()
    page.locator("#id_confidence_2").check()
    page.locator("form.check-form button[type=submit]").click()
    page.locator("#feedback-title").wait_for()


def test_student_takes_the_check_to_the_result(page, assert_accessible):
    load_items("en")
    make_student("checker")
    log_in(page, "checker")
    page.goto("/check/")
    assert_accessible(page, "check start")
    page.get_by_role("button", name="Start the check").click()

    page.get_by_role("group", name="Is this a scam?").wait_for()
    page.get_by_text("Message 1 of 10").wait_for()
    assert page.locator(".feedback").count() == 0
    item = current_item(page)
    assert item.explanation not in page.locator("main").inner_text()
    assert_accessible(page, "item before answering")

    says = "Scam" if item.is_scam else "Not a scam"
    page.get_by_role("group", name="Is this a scam?").get_by_label(says, exact=True).check()
    page.get_by_label("Certain").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("heading", name="Right!").wait_for()
    assert item.explanation in page.locator(".feedback").inner_text()
    assert_accessible(page, "item after answering")

    for position in range(2, 11):
        page.get_by_role("link", name="Next message").click()
        page.get_by_text(f"Message {position} of 10").wait_for()
        answer_current(page, right=position != 10)
    page.get_by_role("link", name="See your result").click()
    page.get_by_role("heading", name="Your check result").wait_for()
    summary = page.locator("p.lead").inner_text()
    assert "You caught" in summary and "real messages" in summary
    assert_accessible(page, "result")
    assert CheckAnswer.objects.filter(is_correct=True).count() == 9
    assert CheckSession.objects.get().finished_at is not None


def test_the_check_works_without_javascript(browser, live_server):
    load_items("en")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/check/")
        page.get_by_role("button", name="Start the check").click()
        for position in range(1, 11):
            page.get_by_text(f"Message {position} of 10").wait_for()
            answer_current(page, right=True)
            link = "See your result" if position == 10 else "Next message"
            page.get_by_role("link", name=link).click()
        assert "You caught 5 of 5 scams and trusted 5 of 5 real messages." in page.content()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_check_pages_have_no_axe_violations_in_each_language(page, assert_accessible, language):
    load_items("en")
    load_items("zh-hans")
    make_student("checker")
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
    assert_accessible(page, f"item after answering [{language}]")
    for position in range(2, 11):
        page.locator(f"a[href$='/{position}/']").click()
        page.locator("form.check-form").wait_for()
        answer_current(page, right=True)
    page.locator("a[href$='/result/']").click()
    page.locator("table.check-scores").wait_for()
    assert_accessible(page, f"result [{language}]")
    # A second check gives the before / after comparison.
    page.goto("/check/")
    page.locator("form[action='/check/start/'] button").click()
    for position in range(1, 11):
        page.locator("form.check-form").wait_for()
        answer_current(page, right=True)
        next_link = "a[href$='/result/']" if position == 10 else f"a[href$='/{position + 1}/']"
        page.locator(next_link).click()
    assert page.locator("table.check-scores").count() == 2
    assert_accessible(page, f"before and after [{language}]")
    page.goto("/check/")
    assert_accessible(page, f"start with results [{language}]")
