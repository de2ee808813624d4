"""The assign page in Chromium at phone size, in both languages: a teacher previews a scenario
as a student sees it, ticks three scenarios, gives one due date and assigns them at once; the
page is axe-clean before and after, with errors, and in Chinese."""

import pytest
from playwright.sync_api import expect

from quizzes.models import Assignment
from tests.awareness.pages.test_phone_layout import phone
from tests.factories import assign, make_class, make_scenario, make_topic, tomorrow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    "en": ["Likes for money", "Hotel ratings job", "A photo threat", "Parcel fee text"],
    "zh-hans": ["刷单点赞", "酒店好评兼职", "裸照威胁", "包裹补缴运费短信"],
}


def _catalogue(language: str) -> list:
    jobs = make_topic("fake-part-time-jobs", language=language, title=f"Jobs [{language}]")
    threats = make_topic("sextortion", language=language, title=f"Threats [{language}]")
    titles = TITLES[language]
    return [
        make_scenario(f"likes-{language}", language=language, title=titles[0], topic=jobs),
        make_scenario(f"hotel-{language}", language=language, title=titles[1], topic=jobs),
        make_scenario(
            f"photo-{language}", language=language, title=titles[2], topic=threats, min_age=15
        ),
        make_scenario(f"parcel-{language}", language=language, title=titles[3], topic=threats),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_teacher_assigns_three_scenarios_at_once_on_a_phone(
    browser, live_server, assert_accessible, language
):
    classroom = make_class(name="7B")
    scenarios = _catalogue(language)
    other = "zh-hans" if language == "en" else "en"
    _catalogue(other)  # listed only in the other language
    assign(classroom, scenarios[3])
    page = phone(browser, live_server, classroom.teacher, language)
    page.goto(f"/classes/{classroom.pk}/assign/")
    page.locator(".assign-form").wait_for()
    assert page.locator("html").get_attribute("lang") == language
    boxes = page.locator('.assign-form input[type="checkbox"]')
    assert boxes.count() == 4  # this language's only
    expect(page.get_by_text(TITLES[other][0], exact=True)).to_have_count(0)
    done = page.locator(f"#scenario-{scenarios[3].pk}")
    expect(done).to_be_disabled()
    expect(done).to_be_checked()
    assert_accessible(page, f"assign, phone [{language}]")

    # The preview opens the scenario's page as a student sees it, in a new tab.
    with page.context.expect_page() as new_tab:
        page.locator(f'.assign-preview[href="{scenarios[0].get_absolute_url()}"]').click()
    preview = new_tab.value
    preview.wait_for_load_state()
    assert preview.url.endswith(scenarios[0].get_absolute_url())
    expect(preview.get_by_role("heading", level=1)).to_contain_text(scenarios[0].published_title)
    preview.close()

    # Nothing ticked: an error, said in the page, axe-clean.
    page.locator(".assign-form button[type=submit]").click()
    page.locator("#scenario-errors").wait_for()
    assert_accessible(page, f"assign with an error, phone [{language}]")

    for scenario in scenarios[:3]:
        page.locator(f"label[for=scenario-{scenario.pk}]").click()  # a tap on the title
    page.locator("#id_due_date").fill(tomorrow().isoformat())
    page.locator(".assign-form button[type=submit]").click()
    page.wait_for_url(f"**{classroom.get_absolute_url()}")
    page.locator(".alert-success").wait_for()
    assigned = Assignment.objects.filter(classroom=classroom)
    assert {a.scenario_id for a in assigned} == {s.pk for s in scenarios}
    assert {a.due_date for a in assigned if a.scenario_id != scenarios[3].pk} == {tomorrow()}
    assert_accessible(page, f"class page after assigning, phone [{language}]")

    # Back on the assign page: all four ticked and disabled, each with its date form.
    page.goto(f"/classes/{classroom.pk}/assign/")
    expect(page.locator('.assign-form input[type="checkbox"]:disabled')).to_have_count(4)
    expect(page.locator('#assigned-title ~ ul input[type="date"]')).to_have_count(4)
    assert_accessible(page, f"assign, all assigned, phone [{language}]")
    page.context.close()


def test_the_switch_shows_the_other_languages_scenarios(browser, live_server, assert_accessible):
    classroom = make_class(name="7B")
    _catalogue("en")
    _catalogue("zh-hans")
    page = phone(browser, live_server, classroom.teacher, "en")
    page.goto(f"/classes/{classroom.pk}/assign/")
    expect(page.get_by_text("Likes for money", exact=True)).to_be_visible()
    page.locator('main button[name="language"][value="zh-hans"]').click()
    page.wait_for_url(f"**/classes/{classroom.pk}/assign/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_text("刷单点赞", exact=True)).to_be_visible()
    expect(page.get_by_text("Likes for money", exact=True)).to_have_count(0)
    assert_accessible(page, "assign after switching to Chinese")
    page.context.close()


def test_pupils_of_the_same_name_are_flagged_before_they_are_created(
    browser, live_server, assert_accessible
):
    classroom = make_class(name="7B")
    page = phone(browser, live_server, classroom.teacher, "en")
    page.goto(f"/classes/{classroom.pk}/accounts/")
    page.locator("#id_names").fill("Ana\nBo\nAna")
    page.locator("main form button[type=submit]").first.click()
    warning = page.locator("#same-names")
    warning.wait_for()
    expect(warning).to_contain_text("Ana")
    assert_accessible(page, "batch accounts with a name twice")
    warning.get_by_role("button", name="Create them with these names anyway").click()
    page.locator(".slip").first.wait_for()
    assert page.locator(".slip").count() == 3
    page.context.close()
