import pytest

from awareness.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_signs_up_switches_to_chinese_and_logs_out(page):
    page.goto("/accounts/signup/")
    page.locator("#id_username").fill("browserkid")
    page.locator("#id_password1").fill("a-fresh-and-long-passphrase-77")
    page.locator("#id_password2").fill("a-fresh-and-long-passphrase-77")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("Signed in as browserkid").wait_for()
    assert User.objects.get(username="browserkid").role == User.Role.STUDENT

    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("button", name="退出登录").wait_for()
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("link", name="登录").wait_for()


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/accounts/login/"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_account_pages_have_no_axe_violations(page, assert_accessible, path, language):
    page.goto(path)
    if language != "en":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, f"{path} [{language}]")


def test_signup_errors_are_shown_in_the_page(page, assert_accessible):
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("This field is required.").first.wait_for()
    assert_accessible(page, "signup with errors")


def _log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_a_pupil_sets_their_own_password_and_chooses_about_teacher_resets(page, assert_accessible):
    from tests.factories import PASSWORD, make_student, make_teacher

    pupil = make_student("otter-4821", created_by=make_teacher(), must_change_password=True)
    _log_in(page, "otter-4821", PASSWORD)
    consent = page.get_by_label("Let my teacher reset my password if I forget it")
    consent.wait_for()
    assert_accessible(page, "password change with the consent box")
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill("a-fresh-and-long-passphrase-77")
    page.locator("#id_new_password2").fill("a-fresh-and-long-passphrase-77")
    consent.check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/accounts/password/done/")
    assert_accessible(page, "password changed")
    pupil.refresh_from_db()
    assert pupil.allow_teacher_reset and not pupil.must_change_password


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_too_many_tries_page_says_what_happened(page, assert_accessible, language):
    from awareness.throttle import throttle_hit
    from quizzes.classes.joining import JOIN_WINDOW, JOIN_WRONG_PER_USER
    from tests.factories import PASSWORD, make_student

    student = make_student("wolf-1234")
    throttle_hit("join-user", str(student.pk), window=JOIN_WINDOW, amount=JOIN_WRONG_PER_USER)
    _log_in(page, "wolf-1234", PASSWORD)
    if language != "en":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_load_state()
    page.goto("/join/")
    page.locator("#id_code").fill("ZZZZZZZZ")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    expected = "Too many wrong join codes" if language == "en" else "输错班级码的次数太多了"
    assert expected in text
    assert_accessible(page, f"429 [{language}]")
