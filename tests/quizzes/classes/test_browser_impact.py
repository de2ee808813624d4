"""In the browser, in both languages: a student takes the "before" check, plays a scenario and
takes the "after" check; the teacher sees what the class learned (figures and a verdict), and
axe finds nothing on the check pages or the class page's impact section."""

import random

import pytest
from django.utils import timezone

from quizzes.check.services import check_answer
from quizzes.models import CheckAnswer, CheckItem, CheckSession
from tests.factories import add_student, make_check_items, make_class, make_scenario, make_student
from tests.quizzes.classes.test_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}


def improving_classmates(classroom, count: int) -> None:
    """Classmates whose "after" check is better than their "before" one, without more false
    alarms (answers stored directly: the flow itself is what the browser student does)."""
    scams = list(CheckItem.objects.filter(is_scam=True))
    real = list(CheckItem.objects.filter(is_scam=False))
    rng = random.Random(5)
    for number in range(count):
        student = add_student(classroom, display_name=f"Mate {number}")
        for kind, form, caught in (("pre", "a", 2 + number % 2), ("post", "b", 5)):
            session = CheckSession.objects.create(
                user=student, language=scams[0].language, kind=kind, form=form,
                item_keys=[], finished_at=timezone.now(),
            )  # fmt: skip
            answers = [(item, n < caught) for n, item in enumerate(rng.sample(scams, 5))]
            answers += [(item, n < 1) for n, item in enumerate(rng.sample(real, 5))]
            CheckAnswer.objects.bulk_create(
                CheckAnswer(
                    session=session,
                    item=item,
                    position=position,
                    says_scam=says,
                    confidence=2,
                    is_correct=says == item.is_scam,
                )  # fmt: skip
                for position, (item, says) in enumerate(answers, start=1)
            )


def take_check_in_browser(page, assert_accessible, label: str) -> None:
    page.goto("/check/")
    page.locator("form[action='/check/start/'] button").click()
    page.locator("form.check-form").wait_for()
    assert_accessible(page, f"{label}: a message")
    page.locator("#id_verdict_0").check()
    page.locator("#id_confidence_2").check()
    page.locator("form.check-form button[type=submit]").click()
    page.locator("form.check-form").wait_for()
    session = CheckSession.objects.get(finished_at__isnull=True)
    for position in range(2, len(session.item_keys) + 1):  # the rest as the pages would
        item = CheckItem.objects.get(language=session.language, key=session.item_keys[position - 1])
        check_answer(session=session, position=position, says_scam=item.is_scam, confidence=3)
    page.goto(f"/check/{session.pk}/result/")
    page.locator("#detection-title").wait_for()
    assert_accessible(page, f"{label}: result")


def play_to_the_end(page, slug: str) -> None:
    page.goto(f"/scenarios/{slug}/")
    page.locator("form[action$='/start/'] button").click()
    # Wait for the next page (a step or the ending) before asking which it is.
    next_page = page.locator("section.ending, form.play-form").first
    next_page.wait_for()
    while not page.locator("section.ending").count():
        page.locator("form.play-form input.form-check-input").first.check()
        page.locator("form.play-form button[type=submit]").click()
        page.locator("main a.btn-primary").click()
        next_page.wait_for()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_before_play_after_and_the_teacher_sees_what_the_class_learned(
    browser, live_server, assert_accessible, language
):
    make_check_items(language)
    make_scenario("likes-for-money", language=language)
    classroom = make_class()
    improving_classmates(classroom, 5)
    student = add_student(classroom, make_student("learner"))
    page = signed_in_page(browser, live_server, student, LOCALES[language])
    take_check_in_browser(page, assert_accessible, f"before [{language}]")
    play_to_the_end(page, "likes-for-money")
    take_check_in_browser(page, assert_accessible, f"after [{language}]")
    assert list(CheckSession.objects.filter(user=student).values_list("kind", flat=True)) == [
        "post",
        "pre",
    ]

    teacher = signed_in_page(browser, live_server, classroom.teacher, LOCALES[language])
    teacher.goto(classroom.get_absolute_url())
    impact = teacher.locator("#impact")
    impact.wait_for()
    assert impact.locator(".impact-table tbody tr").count() == 2  # before and after
    assert impact.locator(".verdict").count() == 1  # six students took both: a verdict
    assert impact.locator(".verdict-better").count() == 1
    assert_accessible(teacher, f"class page with what the class learned [{language}]")
    page.context.close()
    teacher.context.close()
