"""The shipped scenarios in the browser, on a phone, in both languages: a genuine scenario
played over-suspiciously ends "missed-out", and a careful player of a scam meets at least three
decisions before the story ends (a safe first choice does not end it)."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = Path(__file__).resolve().parents[3] / "content"
LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}


def load(language: str) -> dict[str, Any]:
    path = CONTENT / f"{language}.json"
    call_command("import_content", str(path), verbosity=0)
    return json.loads(path.read_text(encoding="utf-8"))


def path_to(scenario: dict[str, Any], wanted: str, *, prefer_safe: bool) -> list[tuple[str, str]]:
    """(step, choice) answers from the start to an ending with outcome ``wanted``, trying the
    safe (or the unsafe) choices first; spot steps are answered by ticking every flag."""
    steps = {s["key"]: s for s in scenario["steps"]}

    def walk(key: str) -> list[tuple[str, str]] | None:
        step = steps[key]
        if step["kind"] == "ending":
            return [] if step["outcome"] == wanted else None
        if step["kind"] == "decision":
            choices = sorted(step["choices"], key=lambda c: c["safe"] != prefer_safe)
            for choice in choices:
                rest = walk(choice["next"])
                if rest is not None:
                    return [(key, choice["key"]), *rest]
            return None
        rest = walk(step["next"])
        return None if rest is None else ([(key, "")] + rest if step["kind"] == "spot" else rest)

    found = walk(scenario["start"])
    assert found is not None, (scenario["slug"], wanted)
    return found


def play(browser, live_server, language: str, scenario: dict[str, Any], answers) -> Any:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale=LOCALES[language],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    steps = {s["key"]: s for s in scenario["steps"]}
    page.goto(f"/scenarios/{scenario['slug']}/")
    page.locator("form[action$='/start/'] button").click()
    for key, choice in answers:
        page.locator("form.play-form").wait_for()
        if choice:
            page.locator(f"#choice-{choice}").check()
        else:
            for option in steps[key]["options"]:
                if option["is_flag"]:
                    page.locator(f"#option-{option['key']}").check()
        page.locator("form.play-form button[type=submit]").click()
        page.wait_for_url(f"**/feedback/{key}/")
        page.locator("a.btn-primary[href*='/play/']").click()
    page.locator("section.ending").wait_for()
    return context, page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_genuine_scenario_played_over_suspiciously_ends_missed_out(
    browser, live_server, language
):
    pack = load(language)
    scenario = next(s for s in pack["scenarios"] if s.get("genuine"))
    answers = path_to(scenario, "missed-out", prefer_safe=False)
    context, page = play(browser, live_server, language, scenario, answers)
    assert page.locator("section.ending.ending-missed-out").count() == 1
    context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_careful_player_meets_at_least_three_decisions(browser, live_server, language):
    pack = load(language)
    scenario = next(s for s in pack["scenarios"] if not s.get("genuine"))
    steps = {s["key"]: s for s in scenario["steps"]}
    answers = path_to(scenario, "safe", prefer_safe=True)
    assert all(
        c == "" or next(x for x in steps[k]["choices"] if x["key"] == c)["safe"] for k, c in answers
    ), "the safe path takes only safe choices"
    context, page = play(browser, live_server, language, scenario, answers)
    decisions = [key for key, choice in answers if choice]
    assert len(decisions) >= 3, (scenario["slug"], decisions)
    assert page.locator("section.ending.ending-safe").count() == 1
    context.close()
