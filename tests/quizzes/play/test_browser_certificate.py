"""In the browser at phone size, in both languages: a student sees their badges, types a name and
gets their certificate (axe finds nothing); the teacher prints the class's certificates, and
Chromium's PDF of them, on A4 and on Letter, has exactly one page per student."""

import re

import pytest
from django.test import Client

from tests.factories import (
    add_student,
    make_check_items,
    make_class,
    make_scenario,
    make_student,
    take_check,
)
from tests.quizzes.play.test_badges import play

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}


def phone_for(browser, live_server, user, language: str = "en"):
    """A phone-sized page already signed in as ``user``, in ``language``."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale=LOCALES[language],
    )
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF: its page objects (not the /Pages tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_student_sees_badges_and_prints_a_certificate(
    browser, live_server, assert_accessible, language
):
    make_check_items()  # take_check takes the English check
    scenario = make_scenario("likes-for-money", language=language, title="Likes for money")
    student = make_student("cert-kid", display_name="Kiki")
    play(scenario, student, "flags")
    take_check(student)
    page = phone_for(browser, live_server, student, language)

    page.goto("/progress/")
    page.locator("#badges-title").wait_for()
    assert page.locator(".badge-card").count() == 18
    assert page.locator(".badge-not-yet .badge-status").first.inner_text().strip() != ""
    assert_accessible(page, f"progress with badges [{language}]")

    page.locator("a[href='/progress/certificate/']").click()
    page.locator("form.certificate-form").wait_for()
    assert page.locator(".certificate-name").inner_text() == "Kiki"
    page.locator("#id_name").fill("Katherine L.")
    page.locator("form.certificate-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(".certificate-name", has_text="Katherine L.").wait_for()
    assert page.locator("article.certificate li", has_text="Likes for money").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the certificate scrolls sideways on a phone ({width}px)"
    assert_accessible(page, f"certificate [{language}]")

    # Printed: no header, footer or form; the certificate alone, on one page.
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("form.certificate-form").is_visible()
    assert page.locator("article.certificate").is_visible()
    assert pdf_pages(page.pdf(format="A4")) == 1
    page.context.close()


def test_the_teachers_class_certificates_print_one_page_each_on_a4_and_letter(
    browser, live_server, assert_accessible
):
    make_check_items()
    scenarios = [
        make_scenario(f"story-{n}", title=f"A rather long scenario title, number {n}, about money")
        for n in range(20)
    ]
    classroom = make_class()
    busy = add_student(classroom, display_name="Busy Bee")
    for scenario in scenarios:  # more titles than a certificate lists
        play(scenario, busy, "flags")
    take_check(busy)
    take_check(busy)
    add_student(classroom, display_name="李小明")
    add_student(classroom, display_name="Quiet One")
    for language in ("en", "zh-hans"):
        page = phone_for(browser, live_server, classroom.teacher, language)
        page.goto(f"/classes/{classroom.pk}/")
        link = page.locator(f"a[href='/classes/{classroom.pk}/certificates/']")
        assert link.count() == 1
        link.click()  # a tap on a phone: nothing on the class page covers it
        page.wait_for_url(f"**/classes/{classroom.pk}/certificates/")
        page.locator("article.certificate").first.wait_for()
        assert page.locator("article.certificate").count() == 3
        assert_accessible(page, f"class certificates [{language}]")
        page.emulate_media(media="print")
        overflowing = page.evaluate(
            "[...document.querySelectorAll('article.certificate')]"
            ".filter(el => el.scrollHeight > el.clientHeight + 1).length"
        )
        assert overflowing == 0, "a printed certificate is cut off: its content is too long"
        for paper in ("A4", "Letter"):
            pdf = page.pdf(format=paper)
            assert pdf.startswith(b"%PDF")
            assert pdf_pages(pdf) == 3, f"{paper} [{language}]"
        page.context.close()
