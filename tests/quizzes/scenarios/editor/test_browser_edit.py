"""The one-page editor in a real browser: an editor writes a branching scenario from a blank
page to published without typing an internal name or a web address and without a page load per
step, and a student plays it; axe finds nothing on the page in either language."""

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Attempt, Scenario
from quizzes.scenarios.editor.labels import step_label
from quizzes.scenarios.publishing import scenario_replace_steps
from tests.factories import BRANCHING_STEPS, PASSWORD, make_editor, make_student, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en-GB": "en", "zh-CN": "zh-hans"}
ENDING_TEXT = "You checked the courier's app: nothing was held."


def log_in_to_admin(page: Page, username: str) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


def step(page: Page, number: int):
    """The step's element and its fields' prefix ("s3", "sn2")."""
    item = page.locator("#editor-steps > li.editor-step").nth(number - 1)
    return item, f"s{item.get_attribute('data-token')}"


def field(page: Page, name: str):
    return page.locator(f'[name="{name}"]')


def part(item, parts: str, index: int) -> str:
    """The prefix of a step's choice, red flag or option ("s3-cn4")."""
    element = item.locator(f'ol[data-parts="{parts}"] > li').nth(index)
    return str(element.get_attribute("id")).removesuffix("-part")


def test_an_editor_writes_a_scenario_on_one_page_and_a_student_plays_it(page, assert_accessible):
    topic = make_topic()
    editor = make_editor("onepage")
    log_in_to_admin(page, editor.username)

    # A blank page from the "new scenario" page: one empty message and one empty ending.
    page.goto("/admin/quizzes/scenario/new/")
    page.locator("#id_title").fill("Parcel fee by text")
    page.locator("#id_topic").select_option(str(topic.pk))
    page.get_by_label("Blank").check()
    page.locator("#content-main input[type=submit]").click()
    page.wait_for_url("**/edit/")
    scenario = Scenario.objects.get()

    loads: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))

    page.locator("#id_summary").fill("A text says your parcel is held until you pay a fee.")
    page.locator("#id_channel").select_option("sms")

    # The message, with a red flag on the sender's number and one in the text.
    message, m = step(page, 1)
    field(page, f"{m}-sender").fill("Royal Post")
    message.get_by_text("More about the message", exact=True).click()
    field(page, f"{m}-address").fill("+44 7700 900123")
    field(page, f"{m}-text").fill(
        "Your parcel is held. Pay 1.99 within 24 hours: post-parcel.example"
    )
    message.get_by_role("button", name="Add a red flag").click()
    flag = part(message, "flags", 0)
    field(page, f"{flag}-quote").fill("+44 7700 900123")
    field(page, f"{flag}-field").select_option("address")
    field(page, f"{flag}-why").fill("Royal Post texts come from a short code, not a mobile number.")
    field(page, f"{flag}-tactic").select_option("lookalike")
    message.get_by_role("button", name="Add a red flag").click()
    flag = part(message, "flags", 1)
    # Words in other capitals: the check says so next to the quote as the editor types.
    field(page, f"{flag}-quote").fill("pay 1.99 within 24 hours")
    row = page.locator(f'[data-field="{flag}-quote"]')
    expect(row.locator("ul.errorlist")).to_have_text(
        "These words are not in the text exactly as written. "
        "Did you mean “Pay 1.99 within 24 hours”?"
    )
    expect(field(page, f"{flag}-quote")).to_have_attribute("aria-invalid", "true")
    field(page, f"{flag}-quote").fill("Pay 1.99 within 24 hours")
    expect(row.locator("ul.errorlist")).to_have_count(0)
    field(page, f"{flag}-why").fill("A deadline rushes you past checking.")
    field(page, f"{flag}-tactic").select_option("urgency")

    # Steps added in the page: a spot step, two decisions and two more endings.
    for label in ("Add a spot-the-red-flags step", "Add a decision", "Add a decision"):
        page.get_by_role("button", name=label).click()
    page.get_by_role("button", name="Add an ending").click()
    page.get_by_role("button", name="Add an ending").click()
    expect(page.locator("#editor-steps > li.editor-step")).to_have_count(7)
    # New steps that nothing leads to yet: the checks say so, linked to the step.
    expect(page.locator("#editor-problems a[href='#step-new-n3']").first).to_be_visible()

    ending, e1 = step(page, 2)  # the blank page's ending
    field(page, f"{e1}-text").fill(ENDING_TEXT)

    spot, s = step(page, 3)
    field(page, f"{s}-prompt").fill("Tap everything suspicious.")
    field(page, f"{s}-sender").fill("Royal Post")
    field(page, f"{s}-text").fill("FINAL NOTICE: pay now at post-parcel.example. Thank you.")
    flag_option, harmless = part(spot, "options", 0), part(spot, "options", 1)
    field(page, f"{flag_option}-quote").fill("pay now")
    field(page, f"{flag_option}-is_flag").check()
    field(page, f"{flag_option}-why").fill("A real courier does not chase fees by text.")
    field(page, f"{flag_option}-tactic").select_option("urgency")
    field(page, f"{harmless}-quote").fill("Thank you.")
    field(page, f"{harmless}-why").fill("Politeness proves nothing either way.")

    d1_item, d1 = step(page, 4)
    field(page, f"{d1}-prompt").fill("What do you do?")
    d1_item.get_by_label("Urgency").check()
    d2_item, d2 = step(page, 5)
    field(page, f"{d2}-prompt").fill("The page asks for your card. What now?")
    _, e2 = step(page, 6)
    field(page, f"{e2}-outcome").select_option("partly-harmed")
    field(page, f"{e2}-text").fill("You clicked, but kept your card details.")
    _, e3 = step(page, 7)
    field(page, f"{e3}-outcome").select_option("harmed")
    field(page, f"{e3}-text").fill("Your card was charged 300.")

    # Every "next" is a choice of the steps by their labels, which the page made as the
    # server makes them.
    labels = [
        step_label({"kind": "ending", "outcome": "safe", "text": ENDING_TEXT}, 2),
        step_label({"kind": "spot", "prompt": "Tap everything suspicious."}, 3),
        step_label({"kind": "decision", "prompt": "What do you do?"}, 4),
        step_label({"kind": "decision", "prompt": "The page asks for your card. What now?"}, 5),
        step_label(
            {
                "kind": "ending",
                "outcome": "partly-harmed",
                "text": "You clicked, but kept your card details.",
            },
            6,
        ),
        step_label(
            {"kind": "ending", "outcome": "harmed", "text": "Your card was charged 300."}, 7
        ),
    ]
    assert labels[0] == "2. Ending: Safe – You checked the courier's app:…"
    field(page, f"{m}-next").select_option(label=labels[2])
    field(page, f"{s}-next").select_option(label=labels[3])
    choices = {
        d1: [
            ("Open the courier's own app to check.", True, labels[0]),
            ("Open the link in the text to check.", False, labels[1]),
        ],
        d2: [
            ("Close the page and report the text.", True, labels[4]),
            ("Enter the card to pay the 1.99 fee.", False, labels[5]),
        ],
    }
    for prefix, rows in choices.items():
        item = page.locator(f"#editor-steps > li[data-token='{prefix[1:]}']")
        for index, (text, safe, target) in enumerate(rows):
            choice = part(item, "choices", index)
            field(page, f"{choice}-text").fill(text)
            if safe:
                field(page, f"{choice}-safe").check()
            field(page, f"{choice}-feedback").fill(
                "Safe: the app shows the truth." if safe else "Risky."
            )
            field(page, f"{choice}-next").select_option(label=target)

    # No page load so far: every step, choice, flag and option was added in the page.
    assert loads == []
    # Nothing asked for an internal name or a web address.
    assert page.locator("input[type=text][name$='-key'], #id_slug").count() == 0
    expect(page.locator("#editor-problems")).not_to_contain_text("not reachable")
    assert_accessible(page, "editing page, written")

    page.get_by_role("button", name="Save and check for publishing").first.click()
    page.wait_for_url("**/publish/")
    assert len(loads) == 1
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("is published as version 1").wait_for()

    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.PUBLISHED
    content = scenario.published_version.content
    assert content["slug"] == "parcel-fee-by-text" and content["start"] == "m1"
    assert [s["kind"] for s in content["steps"]] == [
        "message",
        "ending",
        "spot",
        "decision",
        "decision",
        "ending",
        "ending",
    ]
    assert [s["key"] for s in content["steps"]][2:] == [
        "spot-3",
        "decision-4",
        "decision-5",
        "ending-6",
        "ending-7",
    ]
    assert content["steps"][0]["red_flags"][0]["field"] == "address"

    # A student plays it: the risky way through the link to the spot step, then safe.
    make_student("parcelreader")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("parcelreader")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Signed in as parcelreader").wait_for()
    page.goto("/scenarios/parcel-fee-by-text/")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Open the link in the text to check.").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("heading", name="Risky choice").wait_for()
    expect(page.locator("mark.flag").first).to_contain_text("+44 7700 900123")
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("“pay now”").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("heading", name="You found 1 of 1 red flags").wait_for()
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("Close the page and report the text.").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("heading", name="Outcome: partly harmed").wait_for()
    assert Attempt.objects.get().outcome == "partly-harmed"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_editing_page_is_accessible(browser, live_server, assert_accessible, locale):
    language = LOCALES[locale]
    topic = make_topic(language=language)
    scenario = Scenario.objects.create(
        language=language,
        slug="likes",
        title="Likes for money",
        summary="A stranger offers easy money.",
        topic=topic,
        channel="chat",
        difficulty="easy",
        start_key="m1",
    )
    scenario_replace_steps(scenario=scenario, steps=BRANCHING_STEPS)
    context = browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in_to_admin(page, make_editor(f"axe-{language}").username)
        page.goto(f"/admin/quizzes/scenario/{scenario.pk}/edit/")
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page, f"editing page ({language})")

        # Parts added in the page, "More about the message" and "Advanced" open, a live error.
        message, m = step(page, 1)
        message.locator("summary").first.click()
        message.locator("details.editor-advanced summary").click()
        page.locator("[data-add-step='decision']").click()
        message.locator("[data-add-part='flag']").click()
        field(page, f"{m}-f1-quote").fill("earn 300 A DAY")
        expect(page.locator(f'[data-field="{m}-f1-quote"] ul.errorlist')).to_be_visible()
        page.locator(f"#editor-steps select[name='{m}-next']").select_option("new")
        assert_accessible(page, f"editing page with new parts ({language})")

        # A save refused: every problem next to its field, nothing typed lost.
        page.locator("#editor-steps > li.editor-step").nth(6).locator("[data-remove]").click()
        page.locator("#id_title").fill("")
        page.locator("input[name=_save]").first.click()
        page.locator("#editor-errornote").wait_for()
        assert page.locator(".errorlist").count() >= 2
        assert_accessible(page, f"editing page with errors ({language})")
    finally:
        context.close()
