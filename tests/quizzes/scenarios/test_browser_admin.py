"""An editor builds and publishes a branching scenario in the admin, in a real browser."""

import json

import pytest
from playwright.sync_api import expect

from awareness.models import Topic
from quizzes.models import Scenario
from tests.factories import PASSWORD, make_editor, make_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Site administration").wait_for()


def fill_step(page, index: int, **fields: str) -> None:
    for name, value in fields.items():
        field = page.locator(f"#id_steps-{index}-{name}")
        if name in ("kind", "outcome"):
            field.select_option(value)
        else:
            field.fill(value)


def test_editor_creates_and_publishes_a_branching_scenario(page, assert_accessible):
    Topic.objects.create(
        language="en", slug="phishing", title="Phishing", summary="s", body_markdown="b"
    )
    editor = make_editor("browsereditor")
    log_in(page, editor.username)

    # The classic form with its keys (the one-page editor has its own test, editor/).
    page.goto("/admin/quizzes/scenario/add/?classic=1")
    page.locator("#id_title").fill("Parcel fee text")
    page.locator("#id_title").blur()
    # The admin fills the slug in from the title.
    expect(page.locator("#id_slug")).to_have_value("parcel-fee-text")
    page.locator("#id_language").select_option("en")
    page.locator("#id_topic").select_option(label="Phishing [en]")
    page.locator("#id_summary").fill("A text says a parcel is held until you pay a fee.")
    page.locator("#id_channel").select_option("sms")
    page.locator("#id_difficulty").select_option("easy")
    page.locator("#id_start_key").fill("m1")

    fill_step(
        page,
        0,
        key="m1",
        kind="message",
        sender="+44 7700 900123",
        text="Your parcel is held. Pay 1.99 within 24 hours: post-parcel.example",
        next_key="d1",
    )
    fill_step(page, 1, key="d1", kind="decision", prompt="What do you do?")
    page.locator('input[name="steps-1-tactics"][value="urgency"]').check()
    fill_step(page, 2, key="end-safe", kind="ending", outcome="safe", text="You kept your card.")
    page.get_by_text("Add another Step").click()
    fill_step(page, 3, key="end-harm", kind="ending", outcome="harmed", text="Card details stolen.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was added successfully").wait_for()
    assert_accessible(page, "scenario change page")

    # The decision's choices are edited on the step's own page, reached from its inline row.
    page.locator("#steps-1 a.inlinechangelink").click()
    page.get_by_role("heading", name="Change step").wait_for()
    for index, (key, text, safe, target) in enumerate(
        [
            ("a", "Check the courier's own app.", True, "end-safe"),
            ("b", "Tap the link and pay.", False, "end-harm"),
        ]
    ):
        page.locator(f"#id_choices-{index}-key").fill(key)
        page.locator(f"#id_choices-{index}-text").fill(text)
        page.locator(f"#id_choices-{index}-feedback").fill("Because.")
        page.locator(f"#id_choices-{index}-next_key").select_option(target)
        if safe:
            page.locator(f"#id_choices-{index}-is_safe").check()
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    assert_accessible(page, "step change page")

    # The message's red flag is edited on its step page too.
    page.get_by_role("link", name="Parcel fee text [en]").click()
    page.locator("#steps-0 a.inlinechangelink").click()
    page.get_by_role("heading", name="Change step").wait_for()
    page.locator("#id_red_flags-0-quote").fill("Pay 1.99 within 24 hours")
    page.locator("#id_red_flags-0-why").fill("Couriers do not charge surprise fees by text.")
    page.locator("#id_red_flags-0-tactic").select_option("urgency")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()

    # Check the scenario, then publish it with the changelist action.
    page.get_by_role("link", name="Parcel fee text [en]").click()
    page.get_by_role("link", name="Check and publish").click()
    page.get_by_role("heading", name="No problems found: this scenario can be published").wait_for()
    assert_accessible(page, "check and publish page")

    page.goto("/admin/quizzes/scenario/")
    scenario = Scenario.objects.get(slug="parcel-fee-text")
    page.locator(f'input[name="_selected_action"][value="{scenario.pk}"]').check()
    page.locator('select[name="action"]').select_option(label="Publish selected scenarios")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("“Parcel fee text [en]” is published as version 1.").wait_for()

    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.PUBLISHED
    content = scenario.published_version.content
    assert content["start"] == "m1"
    decision = next(step for step in content["steps"] if step["key"] == "d1")
    assert decision["tactics"] == ["urgency"]
    assert [(c["key"], c["safe"], c["next"]) for c in decision["choices"]] == [
        ("a", True, "end-safe"),
        ("b", False, "end-harm"),
    ]

    # A student plays what the editor wrote: feedback, the marked red flag, then /progress/.
    make_student("reader")
    page.goto("/")
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("reader")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/scenarios/parcel-fee-text/")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Tap the link and pay.").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("heading", name="Risky choice").wait_for()
    expect(page.locator("mark.flag")).to_contain_text("Pay 1.99 within 24 hours")
    page.get_by_text("Couriers do not charge surprise fees by text.").wait_for()
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("heading", name="Outcome: harmed").wait_for()
    page.goto("/progress/")
    page.get_by_role("link", name="Parcel fee text").wait_for()


def test_editor_uploads_a_broken_pack_and_sees_every_problem(page, assert_accessible, tmp_path):
    editor = make_editor("packeditor")
    log_in(page, editor.username)
    pack = {
        "format": "fraud-awareness-pack",
        "version": 3,
        "language": "xx",
        "topics": [],
        "scenarios": [],
        "check_items": [],
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(pack), encoding="utf-8")

    page.goto("/admin/quizzes/scenario/")
    page.get_by_role("link", name="Import a content pack").click()
    # The click starts a navigation; axe must run on the new page, not during the swap.
    page.get_by_label("Content pack").wait_for()
    assert_accessible(page, "pack upload page")
    page.get_by_label("Content pack").set_input_files(path)
    page.get_by_label("Import: add and update the pack's content").check()
    page.get_by_role("button", name="Upload").click()

    page.get_by_role("heading", name="Nothing was imported: the pack has 2 problems").wait_for()
    problems = page.locator("#pack-errors li")
    assert problems.count() == 2
    assert (
        "version 3 is not one of: 1, 2"
        in problems.nth(0).inner_text() + problems.nth(1).inner_text()
    )
    assert_accessible(page, "pack upload page with errors")
