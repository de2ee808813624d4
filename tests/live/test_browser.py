"""Issue 14's browser test, in both languages: the teacher opens a live session from the class
page; three phones join (a signed-in student by typing the code, two guests by the QR code's
link); they vote; the projector shows "3 of 3 voted" without reloading; the teacher reveals on
the control view (phone-sized), the split and the red flags appear; the class follows the
majority's branch and the ending shows the recap. axe checks the projector, the control view
and the phone pages (390 x 844) in each state."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

from live.models import LiveSession
from tests.factories import add_student, make_class, make_scenario, make_student
from tests.live.conftest import DISCUSSION, live_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


# Every page polls the server every 0.7 s. The test server's threads share the test's one
# in-memory SQLite connection, which is not safe to use from two threads at once, so the
# server below answers one request at a time, and the test reads the database under the same
# lock (production has a connection per worker: tests/live/test_multiworker.py).
ONE_AT_A_TIME = threading.Lock()


class _OneRequestAtATime:
    """The site as a WSGI app that handles one request at a time, response closed inside."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        with ONE_AT_A_TIME:
            response = self.application(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()  # request_finished: Django's own database clean-up
        return [body]


@pytest.fixture(scope="module")
def server_url(django_db_setup, django_db_blocker):
    """A live server for this module that answers one request at a time (see above)."""
    with django_db_blocker.unblock():
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread(
        "localhost", static_handler=_OneRequestAtATime, connections_override=shared
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


def signed_in_cookie(user) -> str:
    """A session for ``user``, made before any page polls."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def the_session() -> LiveSession:
    with ONE_AT_A_TIME:
        return LiveSession.objects.select_related("classroom").get()


@pytest.fixture
def contexts():
    """Every browser context the test opens, closed at the end even when it fails (their
    pages poll the live server until then)."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


def new_page(browser, server_url, contexts, locale: str, cookie: str = "", phone: bool = False):
    context = browser.new_context(base_url=server_url, locale=locale, **(PHONE if phone else {}))
    if cookie:
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": server_url}])
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def press(page, action: str) -> None:
    page.locator(f"button[name=action][value={action}]").first.click()


def vote(phone, choice_text: str) -> None:
    phone.locator("form.play-form legend").wait_for()
    phone.get_by_label(choice_text).check()
    phone.locator("form.play-form button[type=submit]").click()
    phone.locator(".live-phone-wait").wait_for()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_class_plays_a_scenario_live(browser, server_url, contexts, assert_accessible, language):
    locale = LOCALES[language]
    make_scenario(language=language, steps=live_steps())
    classroom = make_class()
    student = add_student(classroom, make_student("mei"))
    teacher_cookie, control_cookie = (signed_in_cookie(classroom.teacher) for _ in range(2))
    student_cookie = signed_in_cookie(student)

    # The teacher opens the session from the class page: the projector shows the lobby.
    screen = new_page(browser, server_url, contexts, locale, teacher_cookie)
    screen.goto(classroom.get_absolute_url())
    screen.locator(f"a[href='/live/new/?class={classroom.pk}']").click()
    screen.locator("#id_scenario").wait_for()
    assert_accessible(screen, f"start a live session [{language}]")
    screen.locator("main form button[type=submit]").click()
    screen.locator(".live-qr").wait_for()
    session = the_session()
    assert session.classroom == classroom
    assert_accessible(screen, f"projector: lobby [{language}]")

    # Three phones join: the student types the code, two guests follow the QR code's link.
    phones = [new_page(browser, server_url, contexts, locale, student_cookie, phone=True)]
    phones[0].goto("/live/")
    assert_accessible(phones[0], f"phone: type the code [{language}]")
    phones[0].locator("#id_code").fill(session.join_code.lower())
    phones[0].locator("main form button[type=submit]").click()
    phones[0].locator("main form button[type=submit]").click()  # join as themselves
    for nickname in ("Kiwi", "Zebra"):
        guest = new_page(browser, server_url, contexts, locale, phone=True)
        guest.goto(f"/live/join/{session.join_code}/")
        if nickname == "Kiwi":
            assert_accessible(guest, f"phone: nickname [{language}]")
        guest.locator("#id_nickname").fill(nickname)
        guest.locator("main form button[type=submit]").click()
        phones.append(guest)
    for phone in phones:
        phone.locator(".live-phone-wait").wait_for()
    assert_accessible(phones[1], f"phone: lobby [{language}]")
    expect(screen.locator("[data-live-count=joined]")).to_have_text("3")  # polled, no reload

    # Start on the projector; the phones move to the decision by themselves and vote.
    press(screen, "start")
    screen.locator(".live-prompt").wait_for()
    assert_accessible(screen, f"projector: a decision [{language}]")
    phones[0].locator("form.play-form legend").wait_for()
    assert_accessible(phones[0], f"phone: vote [{language}]")
    for phone, choice in zip(
        phones,
        ["Ignore and block.", "Ignore and block.", "Sounds great, tell me more!"],
        strict=True,
    ):
        vote(phone, choice)
    assert_accessible(phones[0], f"phone: voted [{language}]")
    expect(screen.locator("[data-live-count=voted]")).to_have_text("3")
    expect(screen.locator(".live-count")).to_contain_text("3")
    if language == "en":
        expect(screen.locator(".live-count")).to_have_text("3 of 3 voted")
    assert "Kiwi" not in screen.content() and "mei" not in screen.content()

    # The teacher reveals from the control view on a phone: the split, the flags, the questions.
    control = new_page(browser, server_url, contexts, locale, control_cookie, phone=True)
    control.goto(f"/live/{session.pk}/control/")
    assert "Kiwi" in control.content()  # the teacher's own view lists who joined
    assert_accessible(control, f"control: voting [{language}]")
    press(control, "reveal")
    control.locator(".live-split").wait_for()
    assert_accessible(control, f"control: revealed [{language}]")
    screen.locator(".live-split").wait_for()  # the projector reloaded itself
    rows = screen.locator(".live-split-row")
    expect(rows).to_have_count(2)
    assert (
        "2" in rows.filter(has_text="Ignore and block.").locator(".live-split-count").inner_text()
    )
    assert screen.locator(".live-split-row.is-safe").count() == 1
    assert screen.locator("mark.flag").count() >= 1  # the red flag marked in the message
    expect(screen.locator(".live-discussion li")).to_have_count(len(DISCUSSION))
    assert_accessible(screen, f"projector: revealed [{language}]")
    phones[2].locator(".feedback-unsafe").wait_for()  # "Risky choice" on the guest's phone
    phones[0].locator(".feedback-safe").wait_for()
    assert_accessible(phones[2], f"phone: revealed [{language}]")

    # The class follows the majority's branch to an ending: the recap.
    press(screen, "follow")
    screen.locator(".live-ending").wait_for()
    recap = screen.locator(".live-recap")
    expect(recap.locator(".live-split-row")).to_have_count(2)
    expect(recap.locator(".recap-flags li")).to_have_count(1)
    expect(recap).to_contain_text("Earn 300 a day just by liking videos")
    assert_accessible(screen, f"projector: ending [{language}]")
    phones[1].locator(".ending-safe").wait_for()
    assert_accessible(phones[1], f"phone: ending [{language}]")

    # The end: guests are told, the projector keeps the recap.
    control.locator(".live-primary button[value=end]").click()  # reloaded itself at the end
    expect(phones[1].locator(".live-phone")).to_have_count(0)  # the "ended" page, by itself
    screen.locator(f"main a[href='/live/{session.pk}/results/']").wait_for()  # reloaded: ended
    expect(screen.locator(".live-recap")).to_have_count(1)
    assert the_session().state == "ended"
    screen.goto(f"/live/{session.pk}/results/")
    expect(screen.locator("tbody tr")).to_have_count(1)  # the signed-in student, not the guests
    assert_accessible(screen, f"the session's figures [{language}]")
    screen.goto(classroom.get_absolute_url())
    expect(screen.locator(".live-played li")).to_have_count(1)  # "played live on <date>"
