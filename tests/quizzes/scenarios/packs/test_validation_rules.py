"""Content-pack validator: every broken rule is reported, each problem once, all at once."""

from collections.abc import Callable
from typing import Any

import pytest

from quizzes.scenarios.packs.validation import validate_pack
from tests.quizzes.scenarios.packs.test_validation import NAME, SCENARIO, P, errors_after, step

# --- one broken rule at a time --------------------------------------------------------------


def _dup_step(pack: dict[str, Any]) -> None:
    pack["scenarios"][0]["steps"].append(dict(step(pack, "end-safe"), outcome="harmed"))


def _add_unreachable_step(pack: dict[str, Any]) -> None:
    pack["scenarios"][0]["steps"].append(
        {"key": "n9", "kind": "narration", "text": "Lost.", "next": "end-safe"}
    )


def _all_options_flags(pack: dict[str, Any]) -> None:
    option = step(pack, "s1")["options"][0]
    option.update(is_flag=True, tactic="urgency")


BROKEN: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    # structure (schema)
    (
        "unknown step key",
        lambda p: step(p, "m1").update(colour="red"),
        SCENARIO + 'step "m1": unknown key "colour"',
    ),
    ("unknown top-level key", lambda p: p.update(extra=1), P + 'unknown key "extra"'),
    (
        "unknown topic key",
        lambda p: p["topics"][0].update(image="x.png"),
        P + 'topic "fake-part-time-jobs": unknown key "image"',
    ),
    (
        "missing key",
        lambda p: step(p, "n1").pop("text"),
        SCENARIO + 'step "n1": missing key "text"',
    ),
    ("bad format", lambda p: p.update(format="other"), P + 'format must be "fraud-awareness-pack"'),
    ("bad version", lambda p: p.update(version=3), P + "version 3 is not one of: 1, 2"),
    ("bad language", lambda p: p.update(language="fr"), P + 'language "fr" is not one of: en'),
    (
        "bad channel",
        lambda p: p["scenarios"][0].update(channel="fax"),
        SCENARIO + 'channel "fax" is not one of: sms, chat, call, email, web, social, game',
    ),
    (
        "bad difficulty",
        lambda p: p["scenarios"][0].update(difficulty="extreme"),
        SCENARIO + 'difficulty "extreme" is not one of: easy, medium, hard',
    ),
    (
        "bad outcome",
        lambda p: step(p, "end-harm").update(outcome="bad"),
        SCENARIO + 'step "end-harm": outcome "bad" is not one of: safe, harmed, partly-harmed',
    ),
    (
        "bad tactic",
        lambda p: step(p, "m1")["red_flags"][0].update(tactic="greed"),
        SCENARIO + 'step "m1": red flag #1: tactic "greed" is not one of:',
    ),
    (
        "bad step kind",
        lambda p: step(p, "n1").update(kind="video"),
        SCENARIO + 'step "n1": kind "video" is not one of: message, narration',
    ),
    (
        "key of another step kind",
        lambda p: step(p, "n1").update(prompt="Why?"),
        SCENARIO + 'step "n1": unknown key "prompt"',
    ),
    (
        "bad slug",
        lambda p: p["topics"][0].update(slug="Fake_Jobs"),
        P + 'topic "Fake_Jobs": slug "Fake_Jobs" is not a valid slug',
    ),
    (
        "title too long",
        lambda p: p["scenarios"][0].update(title="x" * 201),
        SCENARIO + "title is 201 characters long; it must be at most 200",
    ),
    (
        "text too long",
        lambda p: step(p, "n1").update(text="x" * 5001),
        SCENARIO + 'step "n1": text is 5001 characters long; it must be at most 5000',
    ),
    (
        "summary too long for the database",
        lambda p: p["topics"][0].update(summary="x" * 501),
        P + 'topic "fake-part-time-jobs": summary is 501 characters long; it must be at most 500',
    ),
    (
        "prompt too long for the database",
        lambda p: step(p, "d1").update(prompt="x" * 501),
        SCENARIO + 'step "d1": prompt is 501 characters long; it must be at most 500',
    ),
    (
        "choice text too long for the database",
        lambda p: step(p, "d1")["choices"][0].update(text="x" * 1001),
        SCENARIO + 'step "d1": choice "a": text is 1001 characters long; it must be at most 1000',
    ),
    (
        "quote too long for the database",
        lambda p: step(p, "s1")["options"][0].update(quote="x" * 1001),
        SCENARIO + 'step "s1": option "o1": quote is 1001 characters long; it must be at most 1000',
    ),
    (
        "wrong type",
        lambda p: step(p, "d1")["choices"][0].update(safe="yes"),
        SCENARIO + 'step "d1": choice "a": safe must be true or false, not a string',
    ),
    (
        "red_flags item not a string",
        lambda p: p["topics"][0]["red_flags"].append(3),
        P + 'topic "fake-part-time-jobs": red_flags item 2 must be a string',
    ),
    (
        "too few choices",
        lambda p: step(p, "d1")["choices"].pop(),
        SCENARIO + 'step "d1": choices has 1 items; it must have at least 2',
    ),
    (
        "too many choices",
        lambda p: step(p, "d1")["choices"].extend(
            dict(step(p, "d1")["choices"][1], key=f"c{i}") for i in range(5)
        ),
        SCENARIO + 'step "d1": choices has 7 items; it must have at most 6',
    ),
    (
        "min_age too high",
        lambda p: p["topics"][1].update(min_age=22),
        P + 'topic "romance-scams": min_age is 22; it must be at most 21',
    ),
    (
        "min_age not an integer",
        lambda p: p["topics"][1].update(min_age="15"),
        P + 'topic "romance-scams": min_age must be a whole number, not a string',
    ),
    (
        "ending with next",
        lambda p: step(p, "end-safe").update(next="m1"),
        SCENARIO + 'step "end-safe": an ending must not have a next step',
    ),
    # uniqueness
    (
        "duplicate topic slug",
        lambda p: p["topics"].append(dict(p["topics"][0])),
        P + 'topic "fake-part-time-jobs": duplicate slug (used 2 times)',
    ),
    (
        "duplicate scenario slug",
        lambda p: p["scenarios"].append(p["scenarios"][0]),
        SCENARIO + "duplicate slug (used 2 times)",
    ),
    (
        "duplicate check item key",
        lambda p: p["check_items"][1].update(key="bank-otp-sms"),
        P + 'check item "bank-otp-sms": duplicate key (used 2 times)',
    ),
    ("duplicate step key", _dup_step, SCENARIO + 'step "end-safe": duplicate key (used 2 times)'),
    (
        "duplicate choice key",
        lambda p: step(p, "d1")["choices"][1].update(key="a"),
        SCENARIO + 'step "d1": choice "a": duplicate key (used 2 times)',
    ),
    (
        "duplicate option key",
        lambda p: step(p, "s1")["options"][1].update(key="o1"),
        SCENARIO + 'step "s1": option "o1": duplicate key (used 2 times)',
    ),
    # references and graph
    (
        "missing topic",
        lambda p: p["scenarios"][0].update(topic="no-such-topic"),
        SCENARIO + 'topic "no-such-topic" does not exist',
    ),
    (
        "choice next missing",
        lambda p: step(p, "d1")["choices"][1].update(next="s9"),
        SCENARIO + 'step "d1": choice "b": next step "s9" does not exist',
    ),
    (
        "step next missing",
        lambda p: step(p, "n1").update(next="s9"),
        SCENARIO + 'step "n1": next step "s9" does not exist',
    ),
    (
        "start missing",
        lambda p: p["scenarios"][0].update(start="x1"),
        SCENARIO + 'start step "x1" does not exist',
    ),
    (
        "unreachable step",
        _add_unreachable_step,
        SCENARIO + 'step "n9": not reachable from start step "m1"',
    ),
    (
        "cycle",
        lambda p: step(p, "s1").update(next="d1"),
        SCENARIO + "steps form a cycle: d1 -> n1 -> s1 -> d1",
    ),
    (
        "self loop",
        lambda p: step(p, "n1").update(next="n1"),
        SCENARIO + "steps form a cycle: n1 -> n1",
    ),
    (
        "path without ending",
        lambda p: step(p, "n1").pop("next"),
        SCENARIO + 'step "n1": is not an ending and has no next step, so this path never reaches',
    ),
    # step rules
    (
        "no safe choice",
        lambda p: step(p, "d1")["choices"][0].update(safe=False),
        SCENARIO + 'step "d1": no choice is safe',
    ),
    (
        "red flag quote not in text",
        lambda p: step(p, "m1")["red_flags"][0].update(quote="Earn 300 a day by liking"),
        SCENARIO + 'step "m1": red flag #1: quote "Earn 300 a day by liking" does not occur '
        "verbatim in the step text",
    ),
    (
        "spot quote not in text",
        lambda p: step(p, "s1")["options"][1].update(quote="top up 500 now"),
        SCENARIO + 'step "s1": option "o2": quote "top up 500 now" does not occur verbatim',
    ),
    (
        "spot without non-flag",
        _all_options_flags,
        SCENARIO + 'step "s1": every option is a flag',
    ),
    (
        "spot without flag",
        lambda p: step(p, "s1")["options"][1].update(is_flag=False),
        SCENARIO + 'step "s1": no option is a flag',
    ),
    (
        "flag without tactic",
        lambda p: step(p, "s1")["options"][1].pop("tactic"),
        SCENARIO + 'step "s1": option "o2": a flag option needs a tactic',
    ),
    (
        "scam item without tactics",
        lambda p: p["check_items"][1].update(tactics=[]),
        P + 'check item "parcel-fee": a scam item must name at least one tactic',
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(change, expected, id=name) for name, change, expected in BROKEN],
)
def test_broken_rule_is_reported(change: Callable[[dict[str, Any]], Any], expected: str):
    errors = errors_after(change)
    assert any(error.startswith(expected) for error in errors), errors


def test_slug_too_long():
    errors = errors_after(lambda p: p["topics"][1].update(slug="a" * 81))
    # Long values are shortened where they name an object, so match the rule's part only.
    assert len(errors) == 1
    assert errors[0].endswith('…": slug is 81 characters long; it must be at most 80')


def test_object_without_slug_is_named_by_position():
    errors = errors_after(lambda p: p["scenarios"][0]["steps"].append("oops"))
    assert SCENARIO + "step #7: must be an object, not a string" in errors


def test_every_problem_is_reported_at_once():
    def break_many(pack: dict[str, Any]) -> None:
        step(pack, "m1")["colour"] = "red"
        pack["scenarios"][0]["channel"] = "fax"
        step(pack, "d1")["choices"][1]["next"] = "s9"
        step(pack, "d1")["choices"][0]["safe"] = False
        step(pack, "m1")["red_flags"][0]["quote"] = "nowhere"
        pack["check_items"][1]["tactics"] = []

    errors = errors_after(break_many)
    expected = [
        SCENARIO + 'step "m1": unknown key "colour"',
        SCENARIO + 'channel "fax" is not one of',
        SCENARIO + 'step "d1": choice "b": next step "s9" does not exist',
        SCENARIO + 'step "d1": no choice is safe',
        SCENARIO + 'step "m1": red flag #1: quote "nowhere" does not occur',
        P + 'check item "parcel-fee": a scam item must name at least one tactic',
        # n1, s1 and end-harm hang off the broken choice, so they are unreachable too.
        SCENARIO + 'step "n1": not reachable from start step "m1"',
    ]
    for wanted in expected:
        assert any(error.startswith(wanted) for error in errors), (wanted, errors)
    assert len(errors) == len(set(errors)), "each problem is reported once"


def test_not_an_object_at_all() -> None:  # annotated, so mypy checks the call below
    assert validate_pack([], name=NAME) == [P + "must be an object, not a list"]  # type: ignore[arg-type]
