"""Content-pack refusals: one test per rule in docs/content-pack.md, and nothing half-written."""

import re
from collections.abc import Callable
from typing import Any

import pytest

from awareness.models import Topic
from quizzes.scenarios.packs.importer import pack_import
from quizzes.scenarios.packs.validation import MAX_PACK_BYTES, PackError
from tests.quizzes.scenarios.packs.test_import_export import (
    DOC,
    NAME,
    counts,
    dumps,
    import_bytes,
    scenario_step,
    small_pack,
    snapshot,
)

pytestmark = pytest.mark.django_db

# --- refusals: one per rule in docs/content-pack.md -------------------------------------------


def _change(change: Callable[[dict[str, Any]], Any]) -> Callable[[], bytes]:
    """A broken pack: the small pack with a valid change up front and one break further on."""

    def build() -> bytes:
        pack = small_pack()
        # A valid edit to the first topic: it must not be written when the pack is refused.
        pack["topics"][0]["title"] = "Changed before the broken object"
        change(pack)
        return dumps(pack)

    return build


def _raw(raw: bytes) -> Callable[[], bytes]:
    return lambda: raw


def _second(pack: dict[str, Any]) -> dict[str, Any]:
    return pack["scenarios"][1]


def _cycle(pack: dict[str, Any]) -> None:
    scenario_step(pack, "likes-for-money", "s1")["next"] = "d1"


def _unreachable(pack: dict[str, Any]) -> None:
    _second(pack)["steps"].append(
        {"key": "n9", "kind": "narration", "text": "Lost.", "next": "end-safe"}
    )


def _all_flags(pack: dict[str, Any]) -> None:
    scenario_step(pack, "likes-for-money", "s1")["options"][0].update(
        is_flag=True, tactic="urgency"
    )


def _dead_end(pack: dict[str, Any]) -> None:
    scenario_step(pack, "likes-for-money", "n1").pop("next")


RULES: list[tuple[str, Callable[[], bytes], str]] = [
    ("file", _raw(b'{"format": "fraud-awareness-pack",'), "invalid JSON at line 1"),
    ("file", _raw(b"\xff\xfe{}"), "file is not valid UTF-8"),
    ("file", _raw(b"[]"), "the top level must be a JSON object"),
    ("file", _raw(b'{"version": 1, "version": 1}'), 'key "version" appears twice'),
    ("file", _raw(b'{"version": NaN}'), "NaN is not allowed"),
    ("file", _raw(b" " * MAX_PACK_BYTES + b"{}"), "file is larger than 5 MB"),
    (
        "file",
        _raw(b'{"topics": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        "lists and objects are nested more than 20 levels deep",
    ),
    ("format", _change(lambda p: p.update(format="other-pack")), 'format must be "fraud-'),
    ("version", _change(lambda p: p.update(version=3)), "version 3 is not one of: 1, 2"),
    (
        "version-2",
        _change(lambda p: _second(p).update(genuine=True)),
        'scenario "airport-fee": "genuine" needs "version": 2',
    ),
    (
        "genuine-ending",
        _change(lambda p: _second(p).update(genuine=True) or p.update(version=2)),
        'a genuine scenario needs an ending with outcome "missed-out"',
    ),
    (
        "pair",
        _change(lambda p: p["check_items"][1].update(pair="no-such-item") or p.update(version=2)),
        'pair "no-such-item" names no other check item',
    ),
    ("language", _change(lambda p: p.update(language="fr")), 'language "fr" is not one of'),
    (
        "required-keys",
        _change(lambda p: p["check_items"][1].pop("explanation")),
        'check item "parcel-fee": missing key "explanation"',
    ),
    (
        "unknown-keys",
        _change(lambda p: _second(p).update(image="x.png")),
        'scenario "airport-fee": unknown key "image"',
    ),
    (
        "unknown-keys",
        _change(lambda p: scenario_step(p, "airport-fee", "m1").update(prompt="Why?")),
        'step "m1": unknown key "prompt"',
    ),
    (
        "types",
        _change(lambda p: p["check_items"][1].update(is_scam="yes")),
        "is_scam must be true or false, not a string",
    ),
    (
        "slug",
        _change(lambda p: _second(p).update(slug="Airport_Fee")),
        'slug "Airport_Fee" is not a valid slug',
    ),
    (
        "slug",
        _change(lambda p: p["check_items"][1].update(key="k" * 81)),
        "key is 81 characters long; it must be at most 80",
    ),
    (
        "unique",
        _change(lambda p: _second(p).update(slug="likes-for-money")),
        'scenario "likes-for-money": duplicate slug (used 2 times)',
    ),
    (
        "unique",
        _change(lambda p: p["check_items"][1].update(key="bank-code")),
        'check item "bank-code": duplicate key (used 2 times)',
    ),
    (
        "unique",
        _change(lambda p: scenario_step(p, "airport-fee", "d1")["choices"][1].update(key="a")),
        'step "d1": choice "a": duplicate key',
    ),
    (
        "channel",
        _change(lambda p: _second(p).update(channel="fax")),
        'channel "fax" is not one of: sms, chat, call, email, web, social, game',
    ),
    (
        "difficulty",
        _change(lambda p: _second(p).update(difficulty="extreme")),
        'difficulty "extreme" is not one of: easy, medium, hard',
    ),
    (
        "topic-exists",
        _change(lambda p: _second(p).update(topic="no-such-topic")),
        'scenario "airport-fee": topic "no-such-topic" does not exist',
    ),
    (
        "step-kind",
        _change(lambda p: scenario_step(p, "airport-fee", "m1").update(kind="video")),
        'step "m1": kind "video" is not one of',
    ),
    (
        "choices",
        _change(lambda p: scenario_step(p, "airport-fee", "d1")["choices"].pop()),
        'step "d1": choices has 1 items; it must have at least 2',
    ),
    (
        "safe-choice",
        _change(lambda p: scenario_step(p, "airport-fee", "d1")["choices"][0].update(safe=False)),
        'step "d1": no choice is safe',
    ),
    ("spot-options", _change(_all_flags), 'step "s1": every option is a flag'),
    (
        "spot-options",
        _change(
            lambda p: scenario_step(p, "likes-for-money", "s1")["options"][1].update(is_flag=False)
        ),
        'step "s1": no option is a flag',
    ),
    (
        "flag-tactic",
        _change(lambda p: scenario_step(p, "likes-for-money", "s1")["options"][1].pop("tactic")),
        'option "o2": a flag option needs a tactic',
    ),
    (
        "quote",
        _change(
            lambda p: scenario_step(p, "likes-for-money", "m1")["red_flags"][0].update(
                quote="earn 300 a day"
            )
        ),
        'red flag #1: quote "earn 300 a day" does not occur verbatim in the step text',
    ),
    (
        "quote",
        _change(
            lambda p: scenario_step(p, "likes-for-money", "s1")["options"][0].update(
                quote="Good  morning!"
            )
        ),
        'option "o1": quote "Good  morning!" does not occur verbatim',
    ),
    (
        "tactic",
        _change(lambda p: p["check_items"][1].update(tactics=["greed"])),
        'tactics item 1 "greed" is not one of',
    ),
    (
        "scam-tactics",
        _change(lambda p: p["check_items"][1].update(tactics=[])),
        'check item "parcel-fee": a scam item must name at least one tactic',
    ),
    (
        "ending",
        _change(lambda p: scenario_step(p, "airport-fee", "end-harm").update(outcome="bad")),
        'outcome "bad" is not one of: safe, harmed, partly-harmed',
    ),
    (
        "ending",
        _change(lambda p: scenario_step(p, "airport-fee", "end-harm").update(next="m1")),
        'step "end-harm": an ending must not have a next step',
    ),
    (
        "links",
        _change(lambda p: scenario_step(p, "airport-fee", "d1")["choices"][1].update(next="s9")),
        'scenario "airport-fee": step "d1": choice "b": next step "s9" does not exist',
    ),
    (
        "links",
        _change(lambda p: _second(p).update(start="x1")),
        'scenario "airport-fee": start step "x1" does not exist',
    ),
    ("reachable", _change(_unreachable), 'step "n9": not reachable from start step "m1"'),
    ("reaches-ending", _change(_dead_end), 'step "n1": is not an ending and has no next step'),
    ("no-cycles", _change(_cycle), "steps form a cycle: d1 -> n1 -> s1 -> d1"),
    (
        "lengths",
        _change(lambda p: _second(p).update(title="x" * 201)),
        "title is 201 characters long; it must be at most 200",
    ),
    (
        "lengths",
        _change(lambda p: _second(p).update(summary="x" * 501)),
        "summary is 501 characters long; it must be at most 500",
    ),
    (
        "lengths",
        _change(
            lambda p: scenario_step(p, "airport-fee", "d1")["choices"][0].update(text="x" * 1001)
        ),
        "text is 1001 characters long; it must be at most 1000",
    ),
    (
        "lengths",
        _change(lambda p: scenario_step(p, "airport-fee", "end-safe").update(text="x" * 5001)),
        "text is 5001 characters long; it must be at most 5000",
    ),
    (
        "lengths",
        _change(lambda p: p["check_items"][1].update(explanation="")),
        "explanation must not be empty",
    ),
    (
        "min-age",
        _change(lambda p: _second(p).update(min_age=22)),
        "min_age is 22; it must be at most 21",
    ),
    (
        "min-age",
        _change(lambda p: p["topics"][1].update(min_age="15")),
        "min_age must be a whole number, not a string",
    ),
]


def test_every_documented_rule_has_a_refusal_test():
    documented = re.findall(r"^- `([a-z0-9-]+)`:", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(documented) >= 20
    assert sorted(set(documented)) == sorted({rule for rule, _, _ in RULES})


@pytest.mark.parametrize(
    ("build", "message"),
    [pytest.param(build, message, id=f"{rule}: {message[:40]}") for rule, build, message in RULES],
)
def test_pack_breaking_a_rule_is_refused_whole(build: Callable[[], bytes], message: str):
    pack_import(small_pack(), name=NAME)
    before = snapshot()

    with pytest.raises(PackError) as excinfo:
        import_bytes(build())

    errors = excinfo.value.errors
    assert any(message in error for error in errors), errors
    assert all(error.startswith(f'pack "{NAME}": ') for error in errors)
    assert snapshot() == before
    assert Topic.objects.get(slug="fake-part-time-jobs").title == "Fake part-time jobs"


def test_refused_pack_writes_nothing_into_an_empty_database():
    pack = small_pack()
    _cycle(pack)
    with pytest.raises(PackError):
        pack_import(pack, name=NAME)
    assert counts() == dict.fromkeys(counts(), 0)


def test_every_problem_is_listed_at_once():
    pack = small_pack()
    pack["check_items"][1]["tactics"] = []
    _second(pack)["channel"] = "fax"
    _unreachable(pack)

    with pytest.raises(PackError) as excinfo:
        pack_import(pack, name=NAME)

    assert len(excinfo.value.errors) == 3, excinfo.value.errors


def test_failure_while_writing_rolls_everything_back(monkeypatch):
    pack_import(small_pack(), name=NAME)
    before = snapshot()
    pack = small_pack()
    pack["topics"][0]["title"] = "Written first"
    scenario_step(pack, "likes-for-money", "n1")["text"] = "Written second."
    scenario_step(pack, "airport-fee", "m1")["text"] = "Please send 300, tell no one."

    import quizzes.scenarios.packs.importer as importer

    real_publish = importer.scenario_publish
    calls = []

    def publish_then_fail(**kwargs):
        calls.append(kwargs["scenario"].slug)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_publish(**kwargs)

    monkeypatch.setattr(importer, "scenario_publish", publish_then_fail)
    with pytest.raises(RuntimeError):
        pack_import(pack, name=NAME)

    assert calls == ["likes-for-money", "airport-fee"]
    assert snapshot() == before
