"""Content-pack parsing and limits: JSON bytes, nesting depth, problem cap, files, command line."""

import json
import sys
import time
from typing import Any

import pytest

from quizzes.scenarios.packs import validation
from quizzes.scenarios.packs.validation import (
    MAX_FINDINGS,
    MAX_NESTING_DEPTH,
    MAX_PACK_BYTES,
    MAX_PROBLEMS,
    MORE_PROBLEMS,
    PackError,
    load_pack_file,
    main,
    parse_pack,
    validate_pack,
)
from tests.quizzes.scenarios.packs.test_validation import (
    NAME,
    SCENARIO,
    P,
    errors_after,
    step,
    valid_pack,
)

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
    pack["version"] = 3
    pack["scenarios"][0]["topic"] = "nope"
    path = tmp_path / "en.json"
    path.write_text(json.dumps(pack), encoding="utf-8")
    with pytest.raises(PackError) as excinfo:
        load_pack_file(path)
    assert excinfo.value.errors == [
        'pack "en.json": version 3 is not one of: 1, 2',
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
