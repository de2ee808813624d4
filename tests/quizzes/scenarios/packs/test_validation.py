"""Tests for the content-pack validator: plain functions, no database."""

import json
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from quizzes.scenarios.packs import validation
from quizzes.scenarios.packs.validation import (
    MAX_FINDINGS,
    MAX_NESTING_DEPTH,
    MAX_PACK_BYTES,
    MAX_PROBLEMS,
    MORE_PROBLEMS,
    SCHEMA_PATH,
    PackError,
    load_pack_file,
    main,
    parse_pack,
    validate_pack,
)

NAME = "test.json"
P = f'pack "{NAME}": '
SCENARIO = P + 'scenario "likes-for-money": '


def valid_pack() -> dict[str, Any]:
    """Return a small pack that uses every step kind and passes every rule."""
    return {
        "format": "fraud-awareness-pack",
        "version": 1,
        "language": "en",
        "topics": [
            {
                "slug": "fake-part-time-jobs",
                "title": "Fake part-time jobs and task scams",
                "summary": "Easy money for simple online tasks.",
                "body_markdown": "How it works: **small payouts first**, then deposits.",
                "red_flags": ["Pay for doing almost nothing"],
                "what_to_do": ["Stop and talk to someone you trust"],
            },
            {
                "slug": "romance-scams",
                "title": "Romance scams",
                "summary": "Someone you met online asks for money.",
                "body_markdown": "Text.",
                "red_flags": [],
                "what_to_do": [],
                "min_age": 15,
            },
        ],
        "scenarios": [
            {
                "slug": "likes-for-money",
                "title": "Earn money by liking videos",
                "topic": "fake-part-time-jobs",
                "channel": "chat",
                "difficulty": "easy",
                "summary": "A stranger offers easy money.",
                "start": "m1",
                "steps": [
                    {
                        "key": "m1",
                        "kind": "message",
                        "from": "Amy (recruiter)",
                        "text": "Hi! Earn 300 a day just by liking videos. Interested?",
                        "red_flags": [
                            {
                                "quote": "Earn 300 a day just by liking videos",
                                "why": "Real jobs do not pay this much for trivial tasks.",
                                "tactic": "too-good-to-be-true",
                            }
                        ],
                        "next": "d1",
                    },
                    {
                        "key": "d1",
                        "kind": "decision",
                        "prompt": "What do you reply?",
                        "tactics": ["too-good-to-be-true"],
                        "choices": [
                            {
                                "key": "a",
                                "text": "Ignore and block.",
                                "safe": True,
                                "feedback": "Right.",
                                "next": "end-safe",
                            },
                            {
                                "key": "b",
                                "text": "Tell me more!",
                                "safe": False,
                                "feedback": "This is how it starts.",
                                "next": "n1",
                            },
                        ],
                    },
                    {"key": "n1", "kind": "narration", "text": "A day later...", "next": "s1"},
                    {
                        "key": "s1",
                        "kind": "spot",
                        "prompt": "Tap everything suspicious.",
                        "from": "Amy (recruiter)",
                        "text": "Good morning! Top up 500 now to unlock the VIP tasks.",
                        "options": [
                            {"key": "o1", "quote": "Good morning!", "is_flag": False, "why": "Ok."},
                            {
                                "key": "o2",
                                "quote": "Top up 500 now",
                                "is_flag": True,
                                "why": "Paying to earn is the trap.",
                                "tactic": "pay-to-unlock",
                            },
                        ],
                        "next": "end-harm",
                    },
                    {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "Safe."},
                    {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "Gone."},
                ],
            }
        ],
        "check_items": [
            {
                "key": "bank-otp-sms",
                "channel": "sms",
                "from": "95588",
                "text": "Your verification code is 482913. Do not share it with anyone.",
                "is_scam": False,
                "tactics": [],
                "explanation": "A code you asked for: legitimate.",
            },
            {
                "key": "parcel-fee",
                "channel": "sms",
                "from": "+1 555 0100",
                "text": "Your parcel is held. Pay 2.99 at parcel-fee-pay.top today.",
                "is_scam": True,
                "tactics": ["urgency"],
                "explanation": "A link and a fee: a scam.",
            },
        ],
    }


def step(pack: dict[str, Any], key: str) -> dict[str, Any]:
    """Return the step with this key from the pack's only scenario."""
    return next(s for s in pack["scenarios"][0]["steps"] if s["key"] == key)


def errors_after(change: Callable[[dict[str, Any]], Any]) -> list[str]:
    """Validate a copy of the valid pack after applying one change to it."""
    pack = valid_pack()
    change(pack)
    return validate_pack(pack, name=NAME)


# --- valid packs ----------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_valid_pack_passes():
    assert validate_pack(valid_pack(), name=NAME) == []


def test_valid_pack_survives_a_bytes_round_trip():
    raw = json.dumps(valid_pack(), ensure_ascii=False).encode()
    assert validate_pack(parse_pack(raw, name=NAME), name=NAME) == []


def test_topic_may_come_from_the_database():
    pack = valid_pack()
    pack["scenarios"][0]["topic"] = "phishing"
    assert validate_pack(pack, name=NAME, existing_topic_slugs={"phishing"}) == []


def test_min_age_on_scenario_is_allowed():
    pack = valid_pack()
    pack["scenarios"][0]["min_age"] = 15
    assert validate_pack(pack, name=NAME) == []


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
    ("bad version", lambda p: p.update(version=2), P + "version must be 1, not 2"),
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


# --- parsing --------------------------------------------------------------------------------


def _parse_errors(raw: bytes) -> list[str]:
    with pytest.raises(PackError) as excinfo:
        parse_pack(raw, name=NAME)
    return excinfo.value.errors


def test_too_large():
    raw = b" " * MAX_PACK_BYTES + b"{}"
    assert _parse_errors(raw) == [P + "file is larger than 5 MB (limit 5,242,880 bytes)"]


def test_invalid_json():
    errors = _parse_errors(b'{"format": "fraud-awareness-pack",\n "version": 1,,}')
    assert errors[0].startswith(P + "invalid JSON at line 2 column")


def test_non_utf8():
    errors = _parse_errors('{"language": "zh-hans", "title": "刷单"}'.encode("gb18030"))
    assert errors[0].startswith(P + "file is not valid UTF-8 (bad byte at offset")


def test_top_level_not_an_object():
    assert _parse_errors(b"[1, 2]") == [P + "the top level must be a JSON object, not a list"]


def test_duplicate_json_key_is_not_silently_dropped():
    errors = _parse_errors(b'{"next": "a", "next": "b"}')
    assert errors == [P + 'key "next" appears twice in one JSON object']


def test_nan_is_refused():
    assert _parse_errors(b'{"version": NaN}')[0].startswith(P + "invalid JSON")


def test_byte_order_mark_is_accepted():
    assert parse_pack(b'\xef\xbb\xbf{"a": 1}', name=NAME) == {"a": 1}


TOO_DEEP = P + (
    f"invalid JSON: lists and objects are nested more than {MAX_NESTING_DEPTH} levels deep "
    "(a content pack needs 7)"
)


def nested(depth: int) -> bytes:
    """A pack-like object, `depth` levels deep in all: its "topics" are nested lists."""
    inner = b"[" * (depth - 1) + b"]" * (depth - 1) if depth > 1 else b"1"
    return b'{"format": "fraud-awareness-pack", "topics": ' + inner + b"}"


@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH + 1, 500, 990, 5_000, 100_000])
def test_deep_nesting_is_refused_before_parsing(depth: int):
    assert _parse_errors(nested(depth)) == [TOO_DEEP]


def test_deep_nesting_of_objects_is_refused():
    raw = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000
    assert _parse_errors(raw) == [TOO_DEEP]


def test_unclosed_deep_nesting_is_refused_as_too_deep():
    assert _parse_errors(b"[" * 100_000) == [TOO_DEEP]


def test_nesting_up_to_the_limit_is_parsed_and_checked_as_usual():
    data = parse_pack(nested(MAX_NESTING_DEPTH), name=NAME)
    errors = validate_pack(data, name=NAME)
    assert P + 'missing key "version"' in errors
    assert P + "topic #1: must be an object, not a list" in errors


def test_no_depth_of_nesting_ends_in_a_recursion_error():
    # Before the depth check, a pack just shallow enough for the parser crashed validation
    # (which recurses deeper than the parser) with a RecursionError: a 500 in the admin.
    for depth in range(1, sys.getrecursionlimit() + 20):
        try:
            validate_pack(parse_pack(nested(depth), name=NAME), name=NAME)
        except PackError as exc:
            assert exc.errors == [TOO_DEEP], depth


def test_brackets_and_quotes_inside_strings_do_not_count_as_nesting():
    text = '[[[{{ \\" \\" ]]}' * 50
    raw = json.dumps({"a": [[{"b": text}]], "c": "[" * 100}).encode()
    assert parse_pack(raw, name=NAME)["a"][0][0]["b"] == text


# --- a limit on problems --------------------------------------------------------------------


def scam_items_without_tactics(count: int) -> list[dict[str, Any]]:
    """Check items that pass the schema and break one code rule each (scam-tactics)."""
    return [
        {
            "key": f"item-{n}",
            "channel": "sms",
            "from": "Bank",
            "text": "Pay now.",
            "is_scam": True,
            "explanation": "A scam.",
            "tactics": [],
        }
        for n in range(count)
    ]


def scam_item_problem(n: int) -> str:
    return P + f'check item "item-{n}": a scam item must name at least one tactic'


def test_up_to_the_limit_every_problem_is_listed():
    pack = valid_pack()
    pack["check_items"] = scam_items_without_tactics(MAX_PROBLEMS)
    assert validate_pack(pack, name=NAME) == [scam_item_problem(n) for n in range(MAX_PROBLEMS)]


def test_past_the_limit_the_first_problems_are_listed_and_a_line_says_there_are_more():
    pack = valid_pack()
    pack["check_items"] = scam_items_without_tactics(MAX_PROBLEMS + 1)

    errors = validate_pack(pack, name=NAME)

    assert errors == [
        *(scam_item_problem(n) for n in range(MAX_PROBLEMS)),
        P + "…and more problems; fix these first",
    ]
    assert errors[-1] == P + MORE_PROBLEMS
    assert PackError(errors).more and not PackError(errors[:-1]).more


def bad_items_pack(count: int = 60_000) -> bytes:
    """About 1.6 MB: `count` check items with seven problems each."""
    items = ",".join(['{"key":"X","channel":"fax"}'] * count)
    return (
        '{"format":"fraud-awareness-pack","version":1,"language":"en","topics":[],'
        f'"scenarios":[],"check_items":[{items}]}}'
    ).encode()


def test_sixty_thousand_broken_items_are_answered_quickly():
    raw = bad_items_pack()
    assert 1_500_000 < len(raw) < 1_800_000
    started = time.perf_counter()

    errors = validate_pack(parse_pack(raw, name=NAME), name=NAME)

    # Checking all 420,000 problems took over a minute; generous for a slow, busy machine.
    assert time.perf_counter() - started < 5
    assert errors[-1] == P + MORE_PROBLEMS
    assert (
        P + 'check item "X": channel "fax" is not one of: sms, chat, call, email, web, '
        "social, game" in errors
    )
    # The same seven problems repeat in every item: each is listed once.
    assert len(errors) == len(set(errors)) <= MAX_PROBLEMS + 1


def test_checking_stops_after_so_many_findings_counting_repeats(monkeypatch):
    calls = 0
    original = validation._describe_schema_error

    def counting(data: Any, error: Any) -> list[str]:
        nonlocal calls
        calls += 1
        return original(data, error)

    monkeypatch.setattr(validation, "_describe_schema_error", counting)
    validate_pack(parse_pack(bad_items_pack(), name=NAME), name=NAME)
    assert calls <= MAX_FINDINGS


def test_repeated_json_keys_are_listed_up_to_the_limit():
    raw = "{" + ",".join(f'"k{n}": 1, "k{n}": 2' for n in range(1_000)) + "}"
    errors = _parse_errors(raw.encode())
    assert len(errors) == MAX_PROBLEMS + 1
    assert errors[0] == P + 'key "k0" appears twice in one JSON object'
    assert errors[-1] == P + MORE_PROBLEMS


def test_a_long_cycle_is_named_by_its_first_steps():
    pack = valid_pack()
    loop = [
        {"key": f"c{n}", "kind": "narration", "text": "On.", "next": f"c{n + 1}"}
        for n in range(1, 100)
    ]
    loop[-1]["next"] = "c1"
    pack["scenarios"][0]["steps"].extend(loop)
    step(pack, "d1")["choices"][1]["next"] = "c1"

    errors = [e for e in validate_pack(pack, name=NAME) if "cycle" in e]

    assert errors == [
        SCENARIO + "steps form a cycle: c1 -> c2 -> c3 -> c4 -> c5 -> c6 -> c7 -> c8 -> c9 -> "
        "c10 -> c11 -> c12 -> … (99 steps in all)"
    ]


def test_a_huge_wrong_value_is_shortened_in_the_message():
    errors = errors_after(lambda p: p.update(format=list(range(100_000))))
    assert len(errors) == 1
    assert errors[0].startswith(P + 'format must be "fraud-awareness-pack", not [0, 1, 2, 3')
    assert errors[0].endswith("…") and len(errors[0]) < 150


# --- file loading and command line ----------------------------------------------------------


def test_load_pack_file(tmp_path):
    path = tmp_path / "en.json"
    path.write_text(json.dumps(valid_pack()), encoding="utf-8")
    assert load_pack_file(path)["language"] == "en"


def test_load_pack_file_raises_with_every_error(tmp_path):
    pack = valid_pack()
    pack["version"] = 2
    pack["scenarios"][0]["topic"] = "nope"
    path = tmp_path / "en.json"
    path.write_text(json.dumps(pack), encoding="utf-8")
    with pytest.raises(PackError) as excinfo:
        load_pack_file(path)
    assert excinfo.value.errors == [
        'pack "en.json": version must be 1, not 2',
        'pack "en.json": scenario "likes-for-money": topic "nope" does not exist '
        "(neither in this pack nor already imported)",
    ]


def test_cli_reports_ok_and_errors(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(valid_pack()), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{")

    assert main([str(good)]) == 0
    assert capsys.readouterr().out == f"OK {good}: 2 topics, 1 scenarios, 2 check items\n"

    assert main([str(good), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("OK ")
    assert out[1].startswith('pack "bad.json": invalid JSON at line 1')


def test_cli_refuses_deep_nesting_and_lists_the_first_problems(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_bytes(nested(100_000))
    bad = tmp_path / "bad.json"
    bad.write_bytes(bad_items_pack())

    assert main([str(deep), str(bad)]) == 1

    out = capsys.readouterr().out.splitlines()
    assert out[0] == TOO_DEEP.replace(NAME, "deep.json")
    assert out[-1] == 'pack "bad.json": …and more problems; fix these first'
    assert len(out) <= 1 + MAX_PROBLEMS + 1
