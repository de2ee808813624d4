"""In the browser, on a phone, in both languages: a student plays, sees the tricks grid, earns a
badge, tries a mistake again; the teacher sends a booster and the student plays it. axe on every
page."""

import pytest

from quizzes.models import Booster, PracticeAnswer
from tests.factories import PASSWORD, add_student, make_class, make_scenario, make_student
from tests.quizzes.play.test_badges import genuine_steps
from tests.quizzes.play.test_browser_discernment import phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en-GB": "en", "zh-CN": "zh-hans"}


def log_in(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def choose(page, text):
    page.locator("fieldset .form-check-label", has_text=text).click()
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_a_student_replays_a_mistake_and_plays_the_booster_the_teacher_sent(
    browser, live_server, assert_accessible, locale
):
    language = LANGUAGES[locale]
    for slug in ("likes-for-money", "story-1", "story-2"):
        make_scenario(slug, language=language)
    make_scenario("real-one", language=language, steps=genuine_steps(), genuine=True)
    classroom = make_class()
    student = add_student(classroom, make_student("replay-kid"))

    context, page = phone(browser, live_server, locale)
    log_in(page, "replay-kid")
    page.goto("/scenarios/likes-for-money/")
    page.locator("main form button[type=submit]").first.click()
    choose(page, "Sounds great, tell me more!")  # risky
    page.locator("#feedback-title").wait_for()
    page.locator("main a.btn-primary").click()  # continue
    page.locator("fieldset .form-check-label", has_text="Have a nice day!").click()
    page.locator("main form button[type=submit]").click()
    page.locator("#feedback-title").wait_for()

    # A real message handled right earns a badge, shown on /progress/ as earned.
    page.goto("/scenarios/real-one/")
    page.locator("main form button[type=submit]").first.click()
    choose(page, "Ignore and block.")
    page.locator("#feedback-title").wait_for()

    page.goto("/progress/")
    assert page.locator(".mastery-grid").count() == 1
    assert page.locator(".badge-earned").count() == 1
    assert page.locator(".badge-not-yet").count() > 1
    page.locator("a[href='/progress/mistakes/']").click()
    page.wait_for_url("**/progress/mistakes/")
    assert page.locator("ol.mistakes > li").count() == 2
    assert_accessible(page, f"my mistakes [{locale}]")
    page.locator("ol.mistakes > li").last.locator("a.btn").click()  # the oldest: the decision
    page.locator("fieldset legend").wait_for()
    assert_accessible(page, f"try again [{locale}]")
    choose(page, "Ignore and block.")
    page.wait_for_url("**/tried/**")
    assert page.locator(".feedback-safe").count() == 1
    assert_accessible(page, f"tried again [{locale}]")
    assert PracticeAnswer.objects.filter(user=student, source="mistake", is_safe=True).count() == 1

    teacher_context, teacher = phone(browser, live_server, locale)
    log_in(teacher, classroom.teacher.username)
    teacher.goto(classroom.get_absolute_url())
    teacher.locator("#boosters-title").wait_for()
    teacher.locator("form[action$='/booster/'] button").click()
    teacher.wait_for_url(f"**/classes/{classroom.pk}/")
    assert teacher.locator(".boosters-due li").count() == 1
    assert_accessible(teacher, f"class page with boosters [{locale}]")
    teacher_context.close()

    page.goto("/progress/")
    page.locator("#booster-title").wait_for()
    page.locator("form[action='/progress/booster/'] button").click()
    page.wait_for_url("**/progress/booster/*/")
    booster = Booster.objects.get(user=student)
    assert_accessible(page, f"booster step [{locale}]")
    for number in range(1, len(booster.items) + 1):
        page.locator("fieldset .form-check-input").first.check()
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**/progress/booster/{booster.pk}/{number}/")
        if number == 1:
            assert_accessible(page, f"booster feedback [{locale}]")
        page.locator("main a.btn-primary").click()
    page.wait_for_url(f"**/progress/booster/{booster.pk}/")
    page.locator("h1").wait_for()
    booster.refresh_from_db()
    assert booster.is_finished
    assert_accessible(page, f"booster finished [{locale}]")
    context.close()
