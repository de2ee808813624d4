"""The editors' checks: each problem of a broken scenario, tied to its step and field, in plain
words; none for a sound one; and the validator's verdict kept (errors exactly when it refuses)."""

import copy
import time
from typing import Any

import pytest

from quizzes.scenarios.audit import paths
from quizzes.scenarios.editor.checks import (
    ADVICE,
    ERROR,
    Problem,
    by_step,
    closest_match,
    problems,
    validator_errors,
)
from quizzes.scenarios.editor.labels import step_label
from tests.factories import small_scenario_steps


def scenario(steps: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "slug": "likes-for-money",
        "title": "Likes for money",
        "topic": "phishing",
        "channel": "chat",
        "difficulty": "easy",
        "summary": "A stranger offers easy money.",
        "start": "m1",
        "steps": steps if steps is not None else small_scenario_steps(),
        **extra,
    }


def step(content: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in content["steps"] if s["key"] == key)


def errors(content: dict[str, Any]) -> list[Problem]:
    return [p for p in problems(content) if p.severity == ERROR]


def about(content: dict[str, Any], key: str | None, field: str | None = None) -> list[str]:
    return [p.message for p in problems(content) if p.step_key == key and p.field == field]


def test_the_small_scenario_has_no_errors_and_the_audits_advice():
    content = scenario()
    assert validator_errors(content) == []
    assert errors(content) == []
    advice = problems(content)
    assert all(p.severity == ADVICE for p in advice)
    # d2's safe choice ("Stop and tell someone.") is its longest, in 1 of 2 decisions (> 45 %).
    assert [(p.step_key, p.field) for p in advice] == [(None, None), ("d2", "choices")]
    assert "1 of 3 paths" in advice[0].message and "the shortest has 1" in advice[0].message
    assert "longest" in advice[1].message


def test_a_step_no_path_reaches():
    content = scenario()
    content["steps"].append({"key": "lost", "kind": "narration", "text": "Hm.", "next": "m1"})
    assert about(content, "lost") == ["No path from the first step reaches this step."]


def test_a_dead_end_and_a_link_to_a_missing_step():
    content = scenario()
    del step(content, "n1")["next"]
    step(content, "d2")["choices"][0]["next"] = "gone"
    assert about(content, "n1", "next") == [
        "This step is not an ending and leads nowhere: choose its next step."
    ]
    assert about(content, "d2", "choices.0.next") == [
        "Choice 1: to a step that does not exist any more: choose another next step."
    ]


def test_a_loop_is_tied_to_the_link_that_closes_it():
    content = scenario()
    step(content, "s1")["next"] = "n1"  # n1 -> s1 -> n1
    (message,) = about(content, "s1", "next")
    n1, s1 = step_label(step(content, "n1"), 3), step_label(step(content, "s1"), 4)
    assert message.startswith(f"These steps go round in a loop: {n1} → {s1} → {n1}. ")
    assert message.count("→") == 2


def test_a_decision_with_one_choice_or_no_safe_choice():
    content = scenario()
    d1 = step(content, "d1")
    d1["choices"] = [d1["choices"][1]]  # the risky one alone
    assert about(content, "d1", "choices") == [
        "This decision has only one choice: add at least one more.",
        "No choice is safe: give the player at least one safe way out.",
    ]
    d1["choices"] = []
    assert about(content, "d1", "choices") == [
        "This decision has no choices yet: add at least two."
    ]


def test_a_genuine_scenario_without_a_missed_out_ending():
    assert about(scenario(genuine=True), None, "genuine") == [
        "A genuine message needs an ending with the outcome “Missed out”: what ignoring or "
        "blocking a real message costs."
    ]


def test_a_quote_not_found_verbatim_offers_the_closest_match():
    content = scenario()
    step(content, "m1")["red_flags"][0]["quote"] = "earn 300 a day just by liking videos"
    step(content, "s1")["options"][0]["quote"] = "Top up 50O first"
    step(content, "s1")["options"][1]["quote"] = "Bank account frozen"
    assert about(content, "m1", "red_flags.0.quote") == [
        "Red flag 1: “earn 300 a day just by liking videos” is not in the text word for word. "
        "Did you mean “Earn 300 a day just by liking videos”?"
    ]
    assert about(content, "s1", "options.0.quote") == [
        "Option 1: “Top up 50O first” is not in the text word for word. "
        "Did you mean “Top up 500 first”?"
    ]
    assert about(content, "s1", "options.1.quote") == [
        "Option 2: “Bank account frozen” is not in the text word for word."
    ]


def test_a_quote_from_a_field_the_step_does_not_have():
    content = scenario()
    step(content, "m1")["red_flags"][0]["field"] = "url"
    assert about(content, "m1", "red_flags.0.quote") == [
        "Red flag 1: it quotes the link, which this step does not have."
    ]


def test_empty_fields_are_named_in_plain_words():
    content = scenario()
    step(content, "m1")["text"] = ""
    del step(content, "d1")["choices"][1]["feedback"]
    del step(content, "end-safe")["outcome"]
    assert about(content, "m1", "text") == ["The text is missing."]
    assert about(content, "d1", "choices.1.feedback") == ["Choice 2: the feedback is missing."]
    assert about(content, "end-safe", "outcome") == ["The outcome is missing."]


def test_other_validator_errors_are_still_listed():
    content = scenario(summary="")
    step(content, "end-safe")["next"] = "m1"
    found = errors(content)
    assert Problem("Summary must not be empty", None, "summary") in found
    assert Problem("An ending must not have a next step", "end-safe", None) in found


def test_the_shortest_option_being_safe_is_advice():
    steps = small_scenario_steps()
    for d in (s for s in steps if s["kind"] == "decision"):
        for choice in d["choices"]:
            choice["text"] = "Ok." if choice["safe"] else "A much longer risky option."
    content = scenario(steps)
    advice = [p for p in problems(content) if p.field == "choices"]
    assert {p.step_key for p in advice} == {"d1", "d2"}
    assert all(p.severity == ADVICE and "shortest" in p.message for p in advice)


def test_no_message_says_key_or_slug():
    content = scenario(slug="Not a slug")
    step(content, "d1")["choices"][0]["key"] = "b"  # used twice
    for problem in problems(content):
        assert "key" not in problem.message.lower() and "slug" not in problem.message.lower()


def test_problems_are_grouped_by_step_in_step_order():
    content = scenario(summary="")
    step(content, "d2")["choices"][0]["text"] = ""
    step(content, "n1")["text"] = ""
    groups = by_step(content, errors(content))
    assert [(g.step_key, g.label, len(g.problems)) for g in groups] == [
        (None, "", 1),
        ("n1", step_label(step(content, "n1"), 3), 1),
        ("d2", step_label(step(content, "d2"), 5), 1),
    ]


def mutations() -> list[tuple[str, dict[str, Any]]]:
    """The small scenario with one thing missing or of the wrong type, everywhere."""
    found: list[tuple[str, dict[str, Any]]] = []
    values: tuple[Any, ...] = (None, 5, "", [], {}, "gone")
    for i, original in enumerate(small_scenario_steps()):
        for name in original:
            for value in values:
                content = scenario()
                content["steps"][i][name] = value
                found.append((f"{original['key']}.{name}={value!r}", content))
            content = scenario()
            del content["steps"][i][name]
            found.append((f"{original['key']} without {name}", content))
        for part in ("choices", "options", "red_flags"):
            for j, obj in enumerate(original.get(part, [])):
                for name in obj:
                    content = scenario()
                    del content["steps"][i][part][j][name]
                    found.append((f"{original['key']}.{part}.{j} without {name}", content))
                content = scenario()
                content["steps"][i][part][j] = "junk"
                found.append((f"{original['key']}.{part}.{j} junk", content))
    for name in ("start", "steps", "genuine"):
        for value in (*values, [1, None, "x"]):
            content = scenario()
            content[name] = value
            found.append((f"{name}={value!r}", content))
    return found


@pytest.mark.parametrize(
    ("name", "content"), mutations(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_a_half_written_draft_never_crashes_and_errors_match_the_validator(name, content):
    found = problems(content)
    assert all(isinstance(p, Problem) for p in found)
    assert bool([p for p in found if p.severity == ERROR]) == bool(validator_errors(content))


def test_junk_is_not_a_crash():
    for junk in ({}, {"steps": "x"}, {"steps": [1, None]}, {"start": 5, "steps": [{}]}, []):
        assert problems(junk)


# --- closest match --------------------------------------------------------------------------


def test_closest_match_in_other_capitals():
    text = "WIN a prize! Claim within 1 hour! Reply now."
    assert closest_match("claim within 1 HOUR", text) == "Claim within 1 hour"


def test_closest_match_with_a_typo():
    assert closest_match("Cliam within 1 hour", "Claim within 1 hour! Now") == "Claim within 1 hour"
    assert closest_match("Top up 50O first", "Top up 500 first to unlock VIP tasks.") == (
        "Top up 500 first"
    )


def test_closest_match_in_chinese():
    text = "恭喜中奖！请在1小时内领取奖品，否则作废。"
    assert closest_match("请在一小时内领取", text) == "请在1小时内领取"


def test_closest_match_finds_nothing_close():
    assert closest_match("Bank account frozen", "Hello, are you free tonight?") is None
    assert closest_match("", "Hello") is None
    assert closest_match("Hello", "") is None


def test_the_path_figures_are_the_audits():
    # The advice counts the paths as audit.paths does.
    content = scenario()
    assert [c.decisions for c in paths(content)] == [1, 2, 2]
    assert "1 of 3 paths" in problems(copy.deepcopy(content))[0].message


def test_closest_match_with_other_spacing():
    assert closest_match("Claim  within\n1 hour", "Claim within 1 hour!") == "Claim within 1 hour"


def test_closest_match_is_quick_on_the_longest_texts():
    source = ("All the words of a very long message go on and on here. " * 100)[:5000]
    started = time.perf_counter()
    closest_match("x" * 900 + "on and on", source)
    closest_match("a very lonk mesage goes", source)
    closest_match("请在一小时内领取奖品否则作废", "中文字" * 1600)
    assert time.perf_counter() - started < 1.0
