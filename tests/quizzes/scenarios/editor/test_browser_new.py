"""In a real browser, in both languages: an editor starts a scenario from a template on the
"new scenario" page and reads the editor's guide; axe finds nothing on either page."""

import pytest

from quizzes.models import Scenario
from tests.factories import PASSWORD, make_editor, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en-GB": "en", "zh-CN": "zh-hans"}


def log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


@pytest.mark.parametrize("locale", LOCALES)
def test_an_editor_starts_from_a_template_and_reads_the_guide(
    browser, live_server, assert_accessible, locale
):
    language = LOCALES[locale]
    topic = make_topic(language=language)
    editor = make_editor(f"new-{language}")
    context = browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, editor.username)
        page.goto("/admin/quizzes/scenario/")
        page.locator("ul.object-tools a.addlink").click()
        page.wait_for_url("**/admin/quizzes/scenario/new/")
        page.locator("#starters").wait_for()
        assert_accessible(page, f"new scenario page ({language})")

        page.locator("#id_title").fill("Bank call 2")
        # The page starts in the editor's language, so the topic list has this language's topic.
        assert page.locator("#id_language").input_value() == language
        page.locator("#id_topic").select_option(str(topic.pk))
        page.locator("#id_starter_3").check()  # the phone call
        page.locator("#content-main input[type=submit]").click()
        page.wait_for_url(lambda url: "/new/" not in url)

        scenario = Scenario.objects.get(language=language)
        assert (scenario.slug, scenario.channel, scenario.status) == (
            "bank-call-2",
            "call",
            "draft",
        )
        assert f"/admin/quizzes/scenario/{scenario.pk}/" in page.url

        page.goto("/admin/quizzes/scenario/")
        page.locator("ul.object-tools a[href$='/guide/']").click()
        page.wait_for_url("**/admin/quizzes/scenario/guide/")
        page.locator("article.editor-guide h2").first.wait_for()
        assert page.locator("article.editor-guide h2").count() >= 10
        assert_accessible(page, f"editor's guide ({language})")
    finally:
        context.close()


def test_a_wrong_topic_is_explained_next_to_the_field(page, assert_accessible):
    make_topic(language="zh-hans")
    editor = make_editor("new-wrong-topic")
    log_in(page, editor.username)
    page.goto("/admin/quizzes/scenario/new/")
    page.locator("#id_title").fill("Likes for cash")
    page.locator("#id_language").select_option("en")
    page.locator("#id_topic").select_option(index=1)
    page.locator("#content-main input[type=submit]").click()
    page.locator(".errorlist").wait_for()
    assert "another language" in page.locator(".errorlist").inner_text()
    assert_accessible(page, "new scenario page with an error")
    assert not Scenario.objects.exists()
