"""The class flow in the system Chromium: a teacher signs up, creates a class and assigns a
scenario; a student joins with the code and plays; the teacher sees the result and downloads
the CSV; pupil accounts are created and one pupil sets their own password. axe-core checks
every class page, the join pages and the printable sheet in both languages."""

import csv
import io
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from awareness.models import User
from quizzes.classes import services as class_services
from quizzes.models import Attempt, Membership
from tests.factories import (
    PASSWORD,
    add_student,
    assign,
    make_branching_scenario,
    make_check_items,
    make_class,
    make_student,
    make_teacher,
    play,
    take_check,
    tomorrow,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-fresh-and-long-passphrase-77"


def signed_in_page(browser, live_server, user: User, locale: str = "en-GB"):
    """A new browser context already signed in as ``user`` (the session made by the test
    client, which shares the live server's database)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def test_teacher_and_student_go_through_the_whole_class_flow(
    page, browser, live_server, assert_accessible
):
    make_branching_scenario("Likes for money")

    # A teacher signs up and creates a class.
    page.goto("/accounts/signup/")
    page.locator("#id_username").fill("ms-lee")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_label("Teacher").check()
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("Signed in as ms-lee").wait_for()
    page.goto("/classes/")
    assert_accessible(page, "class list, empty")
    page.get_by_role("link", name="New class").click()
    page.get_by_label("Class name").fill("Media 7B")
    assert_accessible(page, "new class")
    page.get_by_role("button", name="Create the class").click()
    page.get_by_role("heading", name="Media 7B", level=1).wait_for()
    code = page.locator(".join-code").first.inner_text().strip()
    assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{6,8}", code)

    # ...and assigns a scenario with a due date.
    page.get_by_role("link", name="Assign a scenario").click()
    page.get_by_label("Likes for money").check()
    page.get_by_label("Due date (optional)").fill(tomorrow().isoformat())
    assert_accessible(page, "assign")
    page.get_by_role("button", name="Assign the ticked scenarios").click()
    page.get_by_text("is assigned to the class").wait_for()
    assert_accessible(page, "class page, no students")

    # A student joins with the code and plays the scenario.
    make_student("kid")
    student = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(student, "kid", PASSWORD)
    student.get_by_text("Signed in as kid").wait_for()
    student.goto("/join/")
    student.get_by_label("Join code").fill(code.lower())
    student.get_by_role("button", name="Next").click()
    student.get_by_role("heading", name="What your teacher will see").wait_for()
    assert_accessible(student, "join confirmation")
    student.get_by_label("Name your teacher will see").fill("Kim")
    student.get_by_role("button", name="Join the class").click()
    student.get_by_text("You joined “Media 7B”.").wait_for()
    assert Membership.objects.filter(student__username="kid").exists()

    student.goto("/scenarios/")
    student.get_by_role("link", name="Likes for money").click()
    student.get_by_role("button", name="Start").click()
    student.get_by_label("Tell me more!").check()
    student.get_by_role("button", name="Answer").click()
    student.get_by_role("link", name="Continue").click()
    student.get_by_label("Pay the deposit.").check()
    student.get_by_role("button", name="Answer").click()
    student.get_by_role("link", name="Continue").click()
    student.get_by_text("The deposit is gone.").wait_for()
    assert Attempt.objects.get(user__username="kid").outcome == "harmed"
    student.context.close()

    # The teacher sees the result in the matrix and the chosen options in the distribution.
    page.reload()
    matrix = page.get_by_role("table", name="Students and assigned scenarios")
    row = matrix.get_by_role("row").filter(has_text="Kim")
    assert "Harmed ending" in row.inner_text() and "0 of 2 choices safe" in row.inner_text()
    distribution = page.get_by_role("table", name=re.compile("What do you reply"))
    picked = distribution.get_by_role("row").filter(has_text="Tell me more!")
    assert "Most-picked unsafe choice" in picked.inner_text()
    assert picked.get_by_role("cell").inner_text().startswith("1")
    assert_accessible(page, "class page with results")

    # ...and downloads the CSV.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Results (CSV)").click()
    raw = open(download_info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1][:6] == [
        "Kim",
        "Likes for money",
        "en",
        tomorrow().isoformat(),
        "Finished",
        "Harmed",
    ]

    # A batch of pupil accounts; one pupil logs in and sets a password.
    page.get_by_role("link", name="Create pupil accounts").click()
    page.get_by_label("Pupils' names, one per line (optional)").fill("Ana\nBo\n王小明")
    assert_accessible(page, "batch accounts")
    page.get_by_role("button", name="Create the accounts").click()
    page.get_by_role("heading", name="Sign-in slips for Media 7B").wait_for()
    assert page.locator(".slip").count() == 3
    assert_accessible(page, "printable sheet")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".slip").first.is_visible()
    page.emulate_media(media="screen")
    slip = page.locator(".slip").filter(has_text="Ana")
    username = slip.locator(".slip-username").inner_text()
    password = slip.locator(".slip-password").inner_text()

    pupil = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(pupil, username, password)
    pupil.get_by_role("heading", name="Change your password").wait_for()
    pupil.locator("#id_old_password").fill(password)
    pupil.locator("#id_new_password1").fill(NEW_PASSWORD)
    pupil.locator("#id_new_password2").fill(NEW_PASSWORD)
    pupil.get_by_role("button", name="Change password").click()
    pupil.get_by_role("heading", name="Password changed").wait_for()
    account = User.objects.get(username=username)
    assert not account.must_change_password and account.display_name == "Ana"
    pupil.context.close()


@pytest.fixture
def class_with_results():
    classroom = make_class(make_teacher("axe-teacher"), name="七年级 Media 7B")
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario, tomorrow())
    assign(classroom, make_branching_scenario("Fake refund call"))
    names = ["Ana", "王小明", "Chen", "Di"]
    students = [add_student(classroom, display_name=name) for name in names]
    for student, plan in zip(
        students, ["safe", "harmed", "partly-harmed", "in-progress"], strict=True
    ):
        play(scenario, student, plan)
    # The spot-the-scam check: Ana before and after, 王小明 before only, the others not yet.
    make_check_items()
    take_check(students[0], missed=2, false_alarms=1)
    take_check(students[0])
    take_check(students[1], false_alarms=1)
    [pupil] = class_services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, display_names=["Eli"]
    )
    return classroom, students, pupil.user


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_every_class_page_has_no_axe_violations(
    browser, live_server, assert_accessible, class_with_results, locale
):
    classroom, students, pupil = class_with_results
    language = "en" if locale == "en-GB" else "zh-hans"
    page = signed_in_page(browser, live_server, classroom.teacher, locale)
    pk = classroom.pk
    pages = [
        "/classes/",
        "/classes/new/",
        f"/classes/{pk}/",
        f"/classes/{pk}/?sort=-a1",
        f"/classes/{pk}/rename/",
        f"/classes/{pk}/assign/",
        f"/classes/{pk}/students/{students[1].pk}/",
        f"/classes/{pk}/students/{students[1].pk}/remove/",
        f"/classes/{pk}/students/{pupil.pk}/reset-password/",
        f"/classes/{pk}/accounts/",
    ]
    for path in pages:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page, f"{path} [{language}]")

    # The check table is on the class page, with its rows as text (checked in English; the
    # Chinese page went through axe above).
    if language == "en":
        page.goto(f"/classes/{pk}/")
        table = page.get_by_role("table", name="Each student's check results before and after")
        ana = table.get_by_role("row").filter(has_text="Ana").inner_text()
        assert "70% right" in ana and "100% right" in ana and "+30 points" in ana
        assert "not taken" in table.get_by_role("row").filter(has_text="Chen").inner_text()

    # Forms showing their errors.
    page.goto(f"/classes/{pk}/accounts/")
    page.locator("main form button[type=submit]").click()
    page.locator(".invalid-feedback, .alert-danger, .alert-block").first.wait_for()
    assert_accessible(page, f"batch accounts with errors [{language}]")

    # The printable sheet, on screen and as printed.
    page.goto(f"/classes/{pk}/students/{pupil.pk}/reset-password/")
    page.locator("main form button[type=submit]").first.click()
    page.locator(".slip").first.wait_for()
    assert_accessible(page, f"printable sheet [{language}]")
    page.emulate_media(media="print")
    assert_accessible(page, f"printable sheet, print media [{language}]")
    page.context.close()

    # The student's side: the join page, the confirmation, errors, and the privacy page.
    student = signed_in_page(browser, live_server, make_student("axe-kid"), locale)
    student.goto("/join/")
    assert_accessible(student, f"join [{language}]")
    student.locator("#id_code").fill("NOPE")
    student.locator("main form button[type=submit]").first.click()
    student.locator("#id_code.is-invalid").wait_for()
    assert_accessible(student, f"join with an error [{language}]")
    student.goto(f"/join/?code={classroom.join_code}")
    student.locator("#id_display_name").wait_for()
    assert_accessible(student, f"join confirmation [{language}]")
    student.locator("#id_display_name").fill("Kid")
    student.locator("main form button[type=submit]").first.click()
    student.locator(".class-name").first.wait_for()
    assert_accessible(student, f"join with a class [{language}]")
    student.goto("/account/delete/")
    assert_accessible(student, f"account delete [{language}]")
    student.context.close()


def test_the_class_page_shows_scenarios_as_published_not_as_drafted(browser, live_server):
    from quizzes.scenarios.publishing import scenario_publish

    classroom = make_class()
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    play(scenario, add_student(classroom, display_name="Ana"), "safe")
    page = signed_in_page(browser, live_server, classroom.teacher)
    try:
        page.goto(classroom.get_absolute_url())  # the results are now cached
        scenario.title = "Unpublished new title"  # an editor saves the draft
        scenario.save()
        page.reload()
        expect(page.get_by_role("columnheader", name="Likes for money")).to_be_visible()
        expect(page.get_by_text("Unpublished new title")).to_have_count(0)
        scenario_publish(scenario=scenario)
        page.reload()
        expect(page.get_by_role("columnheader", name="Unpublished new title")).to_be_visible()
        expect(page.get_by_text("Likes for money")).to_have_count(0)
    finally:
        page.context.close()
