"""In a real browser, as an editor, in both languages: the branch map and the publish page
(with problems, and with advice only) pass axe, and every step on the map is a link to it."""

import pytest

from quizzes.models import Step
from tests.factories import PASSWORD, make_editor, make_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en-GB": "en", "zh-CN": "zh-hans"}


def log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_map_and_the_publish_page_are_accessible(
    browser, live_server, assert_accessible, locale
):
    language = LANGUAGES[locale]
    sound = make_scenario("sound", language=language, publish=False)
    broken = make_scenario("broken", language=language, publish=False)
    Step.objects.filter(scenario=broken, key="n1").update(next_key="gone")
    Step.objects.filter(scenario=broken, key="m1").update(
        text="earn 300 A DAY just by liking videos"
    )
    editor = make_editor(f"map-{language}")
    context = browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, editor.username)

    for scenario in (sound, broken):
        page.goto(f"/admin/quizzes/scenario/{scenario.pk}/map/")
        nodes = page.locator('svg[role="group"] a.node')
        nodes.first.wait_for()
        assert nodes.count() == 8
        hrefs = [nodes.nth(i).get_attribute("href") for i in range(8)]
        keys = list(scenario.steps.order_by("position").values_list("key", flat=True))
        assert [href.rsplit("#", 1)[1] for href in hrefs] == [f"step-{key}" for key in keys]
        assert page.locator(".branch-map-paths li").count() == (3 if scenario is sound else 1)
        assert_accessible(page, f"branch map of {scenario.slug} ({language})")

        page.goto(f"/admin/quizzes/scenario/{scenario.pk}/publish/")
        page.locator("#publish-advice").wait_for()
        if scenario is broken:
            links = page.locator("#publish-problems h3 a")
            assert links.count() >= 2
            assert links.first.get_attribute("href").endswith("#step-m1")
        else:
            assert page.locator('input[name="publish"]').count() == 1
        assert_accessible(page, f"publish page of {scenario.slug} ({language})")

    # The map is reached from the scenario's change page.
    page.goto(f"/admin/quizzes/scenario/{sound.pk}/change/")
    page.locator(f'a[href="/admin/quizzes/scenario/{sound.pk}/map/"]').click()
    page.locator('svg[role="group"]').wait_for()
    context.close()
