import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt
from quizzes.scenarios import engine
from tests.factories import PASSWORD, make_scenario, make_student

CONTENT = Path(__file__).resolve().parents[3] / "content"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text(f"Signed in as {username}").wait_for()


def test_student_plays_to_an_ending_and_finds_it_on_progress(page, assert_accessible):
    make_scenario()
    make_student("player")
    log_in(page, "player")
    page.goto("/scenarios/")
    assert_accessible(page, "scenario list")
    page.get_by_role("link", name="Likes for money").click()
    page.get_by_role("button", name="Start").wait_for()
    assert_accessible(page, "intro")
    page.get_by_role("button", name="Start").click()

    # Decision, before answering: no verdict in the page.
    page.get_by_role("group", name="What do you reply?").wait_for()
    assert page.locator("mark.flag").count() == 0
    assert_accessible(page, "decision before answer")
    page.get_by_label("Sounds great, tell me more!").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("heading", name="Risky choice").wait_for()
    assert page.locator("mark.flag").first.inner_text().startswith("Earn 300 a day")
    assert_accessible(page, "decision feedback")
    page.get_by_role("link", name="Continue").click()

    # Spot step.
    page.get_by_text("Tick every phrase you find suspicious.").wait_for()
    assert_accessible(page, "spot before answer")
    page.get_by_label("“Top up 500 first”").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("heading", name="You found 1 of 1 red flags").wait_for()
    assert_accessible(page, "spot feedback")
    page.get_by_role("link", name="Continue").click()

    page.get_by_label("Stop and tell someone.").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("heading", name="Outcome: partly harmed").wait_for()
    assert_accessible(page, "ending")

    page.goto("/progress/")
    page.get_by_text("Completed: partly harmed").wait_for()
    assert_accessible(page, "progress")
    assert Attempt.objects.get().outcome == "partly-harmed"


def test_keyboard_only_play(page):
    make_scenario()
    page.goto("/scenarios/likes-for-money/")
    start = page.get_by_role("button", name="Start")
    start.focus()
    page.keyboard.press("Enter")
    page.get_by_role("group", name="What do you reply?").wait_for()
    page.wait_for_load_state("load")
    expect(page.locator("[data-play-focus]")).to_be_focused()
    safe = page.get_by_label("Ignore and block.")
    safe.focus()
    page.keyboard.press("Space")
    expect(safe).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Answer")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Safe choice").wait_for()
    page.wait_for_load_state("load")
    expect(page.locator("#feedback-title")).to_be_focused()
    page.get_by_role("link", name="Continue").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Outcome: you stayed safe").wait_for()


def test_play_with_javascript_disabled(browser, live_server):
    make_scenario()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/scenarios/likes-for-money/")
        page.get_by_role("button", name="Start").click()
        page.get_by_label("Sounds great, tell me more!").check()
        page.get_by_role("button", name="Answer").click()
        page.get_by_role("link", name="Continue").click()
        page.get_by_label("“Top up 500 first”").check()
        page.get_by_role("button", name="Answer").click()
        page.get_by_role("link", name="Continue").click()
        page.get_by_label("Pay the 500.").check()
        page.get_by_role("button", name="Answer").click()
        page.get_by_role("link", name="Continue").click()
        page.get_by_role("heading", name="Outcome: harmed").wait_for()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_play_pages_have_no_axe_violations_in_each_language(page, assert_accessible, language):
    make_scenario("en-one")
    make_scenario("zh-one", language="zh-hans", title="刷单点赞", channel="game")
    page.goto("/")
    if language == "zh-hans":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_load_state()
    slug = "zh-one" if language == "zh-hans" else "en-one"
    page.goto("/scenarios/")
    assert_accessible(page, f"list [{language}]")
    page.goto(f"/scenarios/{slug}/")
    assert_accessible(page, f"intro [{language}]")
    page.locator("form[action$='/start/'] button").click()
    page.locator("#choice-b").check()
    page.locator("form.play-form button[type=submit]").click()
    page.wait_for_url("**/feedback/d1/")
    assert_accessible(page, f"decision feedback [{language}]")
    page.locator("a.btn-primary[href*='/play/']").click()
    page.locator("#option-o2").wait_for()
    assert_accessible(page, f"spot [{language}]")
    page.locator("#option-o2").check()
    page.locator("form.play-form button[type=submit]").click()
    page.wait_for_url("**/feedback/s1/")
    assert_accessible(page, f"spot feedback [{language}]")
    page.locator("a.btn-primary[href*='/play/']").click()
    page.locator("#choice-pay").check()
    page.locator("form.play-form button[type=submit]").click()
    page.locator("a.btn-primary[href*='/play/']").click()
    page.locator(".ending").wait_for()
    assert_accessible(page, f"ending [{language}]")


def test_progress_page_in_chinese_has_no_axe_violations(page, assert_accessible):
    from quizzes.play.services import attempt_answer, attempt_start

    scenario = make_scenario("zh-one", language="zh-hans", title="刷单点赞")
    student = make_student("zhkid")
    attempt = attempt_start(scenario=scenario, user=student)
    attempt_answer(attempt=attempt, step_key="d1", choice_key="a")
    attempt_start(scenario=scenario, user=student)
    log_in(page, "zhkid")
    page.get_by_role("button", name="简体中文").click()
    page.goto("/progress/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_role("link", name="刷单点赞").first.wait_for()
    assert page.locator("table.mastery-grid").count() == 1  # the tricks grid, under axe too
    assert_accessible(page, "progress [zh-hans]")


def test_javascript_moves_focus_to_the_question_and_then_the_feedback(page):
    make_scenario()
    page.goto("/scenarios/likes-for-money/")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("legend")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first option shown, reached straight from the question
    first = page.locator("input[name=choice]").first
    expect(first).to_be_checked()
    safe = first.get_attribute("value") == "a"  # the shown order is the attempt's own
    page.get_by_role("button", name="Answer").click()
    expect(page.locator("#feedback-title")).to_be_focused()
    expect(page.locator("#feedback-title")).to_contain_text(
        "Safe choice" if safe else "Risky choice"
    )


def test_a_scenario_finished_after_starting_again_shows_as_completed(page):
    make_scenario()
    make_student("returner")
    log_in(page, "returner")
    page.goto("/scenarios/likes-for-money/")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("group", name="What do you reply?").wait_for()
    page.goto("/scenarios/likes-for-money/")  # left, and came back later
    page.get_by_role("button", name="Start again").click()
    page.get_by_label("Ignore and block.").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("heading", name="Outcome: you stayed safe").wait_for()

    page.goto("/progress/")
    done = page.locator("section", has=page.get_by_role("heading", name="Completed", exact=True))
    expect(done).to_contain_text("Likes for money")
    expect(done).to_contain_text("Completed: stayed safe")
    expect(done).not_to_contain_text("Nothing completed yet.")
    expect(page.get_by_role("heading", name="In progress", exact=True)).to_have_count(0)
    page.goto("/scenarios/")
    card = page.locator("article", has_text="Likes for money")
    expect(card).to_contain_text("Completed: stayed safe")
    expect(card).not_to_contain_text("In progress")


def spot_then_decision(pack: dict) -> tuple[str, dict, dict]:
    """A shipped scenario whose first question is a spot step followed by a decision."""
    for scenario in pack["scenarios"]:
        steps = {s["key"]: s for s in scenario["steps"]}
        spot = steps[engine.run_to_stop(scenario, scenario["start"])[-1]]
        if spot["kind"] == "spot":
            decision = steps[engine.run_to_stop(scenario, spot["next"])[-1]]
            if decision["kind"] == "decision":
                return scenario["slug"], spot, decision
    raise AssertionError("no shipped scenario opens with a spot step and then a decision")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_spot_message_stays_on_the_pages_after_it(page, language):
    pack_path = CONTENT / f"{language}.json"
    call_command("import_content", str(pack_path), verbosity=0)
    pack = json.loads(pack_path.read_text(encoding="utf-8"))
    slug, spot, decision = spot_then_decision(pack)
    flags = [o for o in spot["options"] if o["is_flag"]]
    if language == "zh-hans":
        page.goto("/")
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_load_state()
    page.goto(f"/scenarios/{slug}/")
    page.locator("form[action$='/start/'] button").click()
    for option in flags:
        page.locator(f"#option-{option['key']}").check()
    page.locator("form.play-form button[type=submit]").click()
    page.wait_for_url(f"**/feedback/{spot['key']}/")
    page.locator("a.btn-primary[href*='/play/']").click()

    # The next decision is asked below the message that was just checked...
    page.get_by_role("group", name=decision["prompt"]).wait_for()
    message = page.locator(".sim .sim-msg", has=page.locator(".sim-from", has_text=spot["from"]))
    expect(message).to_be_visible()
    expect(message).to_contain_text(spot["text"])
    assert page.locator("mark.flag").count() == 0
    page.locator(f"#choice-{decision['choices'][0]['key']}").check()
    page.locator("form.play-form button[type=submit]").click()
    page.wait_for_url(f"**/feedback/{decision['key']}/")

    # ...and its feedback marks that message's red flags, with why each one is one.
    expect(message).to_be_visible()
    for number, option in enumerate(flags, start=1):
        mark = message.locator("mark.flag", has_text=option["quote"]).first
        expect(mark).to_have_text(f"{option['quote']}{number}")
        expect(message.locator(".flag-list")).to_contain_text(option["why"])


def test_draft_edits_reach_students_only_once_published(page):
    from quizzes.scenarios.publishing import scenario_publish

    scenario = make_scenario()
    make_student("reader")
    log_in(page, "reader")
    # An editor saves changes to the draft, without publishing them.
    scenario.title, scenario.summary = "Unpublished new title", "An unpublished new summary."
    scenario.channel, scenario.min_age = "call", 15
    scenario.save()

    page.goto("/scenarios/")
    card = page.locator("article", has_text="Likes for money")
    expect(card).to_contain_text("A stranger offers easy money.")
    expect(card).to_contain_text("Chat")
    expect(card).not_to_contain_text("Phone call")
    expect(card).not_to_contain_text("15+")
    expect(page.get_by_text("Unpublished new")).to_have_count(0)
    card.get_by_role("link", name="Likes for money").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Likes for money")
    expect(page.get_by_text("Channel: Chat")).to_be_visible()
    expect(page.get_by_text("Unpublished new")).to_have_count(0)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("group", name="What do you reply?").wait_for()
    expect(page).to_have_title(re.compile(r"^Likes for money"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Likes for money")
    expect(page.locator(".sim-label")).to_have_text("Simulation Chat")

    scenario_publish(scenario=scenario)
    page.goto("/scenarios/")
    card = page.locator("article", has_text="Unpublished new title")
    expect(card).to_contain_text("An unpublished new summary.")
    expect(card).to_contain_text("Phone call")
    expect(card).to_contain_text("15+")
    expect(page.get_by_text("Likes for money")).to_have_count(0)


def test_a_harder_draft_in_another_topic_reaches_students_only_once_published(page):
    from quizzes.scenarios.publishing import scenario_publish
    from tests.factories import make_topic

    scenario = make_scenario()
    make_student("sorter")
    log_in(page, "sorter")
    # An editor makes the draft harder and moves it to another topic, without publishing.
    scenario.difficulty, scenario.topic = "hard", make_topic("job-scams", title="Job scams")
    scenario.save()

    page.goto("/scenarios/")
    card = page.locator("article", has_text="Likes for money")
    expect(card).to_contain_text("Phishing · Chat · Easy")
    page.get_by_label("Difficulty").select_option("Hard")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No scenarios match these filters.")).to_be_visible()
    page.get_by_label("Difficulty").select_option("Easy")
    page.get_by_role("button", name="Filter").click()
    card.get_by_role("link", name="Likes for money").click()
    expect(page.get_by_text("Difficulty: Easy")).to_be_visible()
    page.get_by_role("link", name="Phishing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phishing")
    expect(page.get_by_role("link", name="Likes for money")).to_be_visible()

    scenario_publish(scenario=scenario)
    page.goto("/scenarios/")
    expect(page.locator("article", has_text="Likes for money")).to_contain_text(
        "Job scams · Chat · Hard"
    )
    page.goto("/learn/phishing/")
    expect(page.get_by_text("No scenario for this topic yet.")).to_be_visible()
