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
