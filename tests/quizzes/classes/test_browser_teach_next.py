"""In the browser at phone size, in both languages: the teacher sees the class's heatmap and what
to teach next with its questions for the class, opens a topic's lesson plan and prints it (the
print view drops the site's header; Chromium makes a PDF on A4 and on Letter); axe finds
nothing on either page."""

import pytest
from django.test import Client

from quizzes.models import Classroom
from tests.factories import make_topic
from tests.quizzes.classes.test_teach_next import (
    CALL_DISCUSSION,
    LESSON_PLAN,
    LESSON_PLAN_ZH,
    build_history,
    call_scenario,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, classroom: Classroom, language: str) -> None:
    client = Client()
    client.force_login(classroom.teacher)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def no_sideways_scroll(page) -> bool:
    """Nothing wider than the phone: on a phone, a wider page would be zoomed out to fit (so
    ``innerWidth`` grows with it); the viewport's own width is what counts."""
    width = page.viewport_size["width"]
    return page.evaluate(f"document.documentElement.scrollWidth <= {width}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_teacher_sees_what_to_teach_next_and_prints_a_lesson_plan(
    phone_page, live_server, assert_accessible, language
):
    make_topic("fake-police", "en", title="Fake police", lesson_plan=LESSON_PLAN)
    make_topic("fake-police", "zh-hans", title="冒充公检法", lesson_plan=LESSON_PLAN_ZH)
    call_scenario("yinhang-laidian", "zh-hans")
    classroom, call, chat = build_history()
    page = phone_page
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling under the tap
    sign_in(page, live_server, classroom, language)

    page.goto(classroom.get_absolute_url())
    teach = page.locator("#teach-next")
    teach.wait_for()
    assert page.locator("html").get_attribute("lang") == language
    assert teach.locator(".teach-item").count() == 3
    assert teach.locator(".teach-item").first.locator(".top-unsafe").inner_text() == (
        "Read out the code."
    )
    questions = teach.locator(".teach-item").first.locator(".discussion li")
    assert questions.all_inner_texts() == CALL_DISCUSSION
    heatmap = page.locator("#class-heatmap table")
    heatmap.scroll_into_view_if_needed()
    assert heatmap.locator("tbody tr").count() == 6  # the six tactics the class met
    assert heatmap.locator("td.mastery-low").count() >= 2  # colour, beside the number
    assert no_sideways_scroll(page)
    assert_accessible(page, f"class page with what to teach next [{language}]")

    teach.locator(".lesson-plan-link").first.click()
    page.wait_for_url("**/lesson-plan/fake-police/")
    page.locator(".lesson-part").first.wait_for()
    title = "冒充公检法" if language == "zh-hans" else "Fake police"
    assert title in page.locator("h1").inner_text()
    lessons = page.locator("section.lesson")
    assert lessons.count() == (1 if language == "zh-hans" else 2)
    assert page.locator(".lesson-short .lesson-part").count() == 4
    scenario_title = "银行来电" if language == "zh-hans" else "The bank calls"
    assert page.locator(".lesson-scenario h3").all_inner_texts() == [scenario_title]
    assert no_sideways_scroll(page)
    assert_accessible(page, f"lesson plan [{language}]")

    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("nav[aria-label]").first.is_hidden()
    assert page.locator("h1").is_visible() and page.locator(".lesson-part").first.is_visible()
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        assert pdf.startswith(b"%PDF")
