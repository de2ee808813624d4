"""Content-pack import and export: the services, the management commands and the shipped packs."""

import copy
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from awareness.models import Topic
from awareness.pages.markdown import render_markdown
from quizzes.models import (
    CheckItem,
    Choice,
    RedFlag,
    Scenario,
    ScenarioVersion,
    SpotOption,
    Step,
)
from quizzes.scenarios.packs.exporter import canonical_pack, pack_dumps, pack_export
from quizzes.scenarios.packs.importer import ImportReport, pack_import
from quizzes.scenarios.packs.validation import MAX_PACK_BYTES, PackError, parse_pack, validate_pack
from quizzes.scenarios.publishing import scenario_unpublish

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SHIPPED = sorted((ROOT / "content").glob("*.json"))
DOC = ROOT / "docs" / "content-pack.md"
NAME = "small.json"
MODELS = [Topic, Scenario, Step, Choice, SpotOption, RedFlag, ScenarioVersion, CheckItem]


def small_pack() -> dict[str, Any]:
    """A valid pack: two topics, two scenarios (every step kind), a scam and a real check item."""
    return {
        "format": "fraud-awareness-pack",
        "version": 1,
        "language": "en",
        "topics": [
            {
                "slug": "fake-part-time-jobs",
                "title": "Fake part-time jobs",
                "summary": "Easy money for tasks, then deposits.",
                "body_markdown": "## How it works\n\nSmall payouts **first**.",
                "red_flags": ["Pay to unlock earnings"],
                "what_to_do": ["Talk to someone you trust"],
            },
            {
                "slug": "romance-scams",
                "title": "Romance scams",
                "summary": "An online partner needs money.",
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
                        "from": "Amy",
                        "text": "Earn 300 a day by liking videos!",
                        "red_flags": [
                            {
                                "quote": "Earn 300 a day",
                                "why": "Too much for nothing.",
                                "tactic": "too-good-to-be-true",
                            }
                        ],
                        "next": "d1",
                    },
                    {
                        "key": "d1",
                        "kind": "decision",
                        "prompt": "Reply?",
                        "tactics": ["too-good-to-be-true"],
                        "choices": [
                            {
                                "key": "a",
                                "text": "Block.",
                                "safe": True,
                                "feedback": "Right.",
                                "next": "end-safe",
                            },
                            {
                                "key": "b",
                                "text": "Tell me more.",
                                "safe": False,
                                "feedback": "Deposits come next.",
                                "next": "n1",
                            },
                        ],
                    },
                    {"key": "n1", "kind": "narration", "text": "A day later.", "next": "s1"},
                    {
                        "key": "s1",
                        "kind": "spot",
                        "prompt": "Tap everything suspicious.",
                        "from": "Amy",
                        "text": "Good morning! Top up 500 now for VIP tasks.",
                        "options": [
                            {"key": "o1", "quote": "Good morning!", "is_flag": False, "why": "Ok."},
                            {
                                "key": "o2",
                                "quote": "Top up 500 now",
                                "is_flag": True,
                                "why": "Paying to earn.",
                                "tactic": "pay-to-unlock",
                            },
                        ],
                        "next": "end-harm",
                    },
                    {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "Safe."},
                    {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "Gone."},
                ],
            },
            {
                "slug": "airport-fee",
                "title": "Stuck at the airport",
                "topic": "romance-scams",
                "channel": "social",
                "difficulty": "hard",
                "summary": "Your online partner needs a fee paid.",
                "min_age": 15,
                "start": "m1",
                "steps": [
                    {
                        "key": "m1",
                        "kind": "message",
                        "from": "Sam",
                        "text": "Please send 200 for the airport fee, tell no one.",
                        "next": "d1",
                    },
                    {
                        "key": "d1",
                        "kind": "decision",
                        "prompt": "What now?",
                        "choices": [
                            {
                                "key": "a",
                                "text": "Ask a friend.",
                                "safe": True,
                                "feedback": "Good.",
                                "next": "end-safe",
                            },
                            {
                                "key": "b",
                                "text": "Pay.",
                                "safe": False,
                                "feedback": "More fees follow.",
                                "next": "end-harm",
                            },
                        ],
                    },
                    {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "Safe."},
                    {
                        "key": "end-harm",
                        "kind": "ending",
                        "outcome": "partly-harmed",
                        "text": "You lost 200.",
                    },
                ],
            },
        ],
        "check_items": [
            {
                "key": "bank-code",
                "channel": "sms",
                "from": "Northbank",
                "text": "Your code is 482913. Do not share it.",
                "is_scam": False,
                "explanation": "A code you asked for.",
                "tactics": [],
            },
            {
                "key": "parcel-fee",
                "channel": "sms",
                "from": "+1 555 0100",
                "text": "Parcel held. Pay 2.99 at parcel-fee-pay.top today.",
                "is_scam": True,
                "explanation": "A link and a fee.",
                "tactics": ["urgency"],
            },
        ],
    }


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every content row, every column: ids, timestamps and version numbers included."""
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in MODELS}


def counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


def import_bytes(raw: bytes, *, dry_run: bool = False) -> ImportReport:
    """What import_content does with a file's bytes."""
    return pack_import(parse_pack(raw, name=NAME), name=NAME, dry_run=dry_run)


def dumps(pack: dict[str, Any]) -> bytes:
    return json.dumps(pack, ensure_ascii=False).encode()


def scenario_step(pack: dict[str, Any], slug: str, key: str) -> dict[str, Any]:
    scenario = next(s for s in pack["scenarios"] if s["slug"] == slug)
    return next(s for s in scenario["steps"] if s["key"] == key)


# --- the shipped packs ------------------------------------------------------------------------


def test_there_is_a_shipped_pack_per_language():
    assert [p.name for p in SHIPPED] == ["en.json", "zh-hans.json"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_pack_is_written_in_export_form(path: Path):
    text = path.read_text(encoding="utf-8")
    data = parse_pack(path.read_bytes(), name=path.name)
    assert validate_pack(data, name=path.name) == []
    assert pack_dumps(canonical_pack(data)) == text


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_pack_imports_cleanly(path: Path):
    data = parse_pack(path.read_bytes(), name=path.name)
    report = pack_import(data, name=path.name)

    language = data["language"]
    assert report.topics_created == len(data["topics"]) == 13
    assert report.scenarios_created == len(data["scenarios"]) >= 20
    assert report.check_items_created == len(data["check_items"])
    assert report.versions_published == len(data["scenarios"])
    scenarios = Scenario.objects.filter(language=language)
    assert scenarios.published().count() == len(data["scenarios"])
    assert set(ScenarioVersion.objects.values_list("number", flat=True)) == {1}
    # What was published is exactly what the pack says.
    for scenario in scenarios.select_related("published_version"):
        wanted = next(s for s in data["scenarios"] if s["slug"] == scenario.slug)
        assert scenario.published_version.content == wanted
        assert scenario.translation_key == scenario.slug
    topic = Topic.objects.get(language=language, slug="sextortion")
    assert topic.min_age == 15
    assert topic.body_html == render_markdown(topic.body_markdown)
    assert "<h2>" in topic.body_html or "<p>" in topic.body_html


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_importing_a_shipped_pack_twice_changes_nothing(path: Path):
    data = parse_pack(path.read_bytes(), name=path.name)
    pack_import(data, name=path.name)
    before = snapshot()

    report = pack_import(data, name=path.name)

    assert snapshot() == before
    assert not report.changed
    assert (report.topics_unchanged, report.scenarios_unchanged, report.check_items_unchanged) == (
        len(data["topics"]),
        len(data["scenarios"]),
        len(data["check_items"]),
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_export_of_an_imported_shipped_pack_is_the_same_file(path: Path):
    data = parse_pack(path.read_bytes(), name=path.name)
    pack_import(data, name=path.name)

    assert pack_dumps(pack_export(language=data["language"])) == path.read_text(encoding="utf-8")


def test_export_import_export_gives_the_same_json():
    for path in SHIPPED:
        call_command("import_content", str(path), stdout=io.StringIO())
    # Editors' changes that import never makes: a draft edit and a reordering.
    Topic.objects.filter(slug="phishing").update(position=99)
    Step.objects.filter(scenario__slug="likes-for-money", kind="ending").update(text="Edited.")
    first = pack_dumps(pack_export(language="en"))

    before = snapshot()
    report = pack_import(json.loads(first), name="export.json")
    # The exported draft edit is now published as version 2; the draft rows are already right.
    assert (report.scenarios_updated, report.versions_published) == (1, 1)
    assert snapshot()["Step"] == before["Step"]
    assert pack_dumps(pack_export(language="en")) == first
    before = snapshot()
    assert not pack_import(json.loads(first), name="export.json").changed
    assert snapshot() == before

    # Into an empty database as well.
    # (Unpublish first: deleting a version would null the pointer of a still-published row.)
    Scenario.objects.update(status=Scenario.Status.DRAFT, published_version=None)
    for model in [Scenario, Topic, CheckItem]:
        model.objects.all().delete()
    pack_import(json.loads(first), name="export.json")
    assert pack_dumps(pack_export(language="en")) == first


# --- updates ----------------------------------------------------------------------------------


def test_first_import_creates_everything():
    report = pack_import(small_pack(), name=NAME)

    assert report == ImportReport(
        name=NAME,
        language="en",
        topics_created=2,
        scenarios_created=2,
        check_items_created=2,
        versions_published=2,
    )
    assert list(Topic.objects.values_list("slug", "position")) == [
        ("fake-part-time-jobs", 0),
        ("romance-scams", 1),
    ]
    scenario = Scenario.objects.get(slug="airport-fee")
    assert (scenario.status, scenario.min_age, scenario.topic.slug) == (
        "published",
        15,
        "romance-scams",
    )
    assert list(scenario.steps.values_list("key", flat=True)) == [
        "m1",
        "d1",
        "end-safe",
        "end-harm",
    ]
    item = CheckItem.objects.get(key="parcel-fee")
    assert (item.sender, item.is_scam, item.tactics) == ("+1 555 0100", True, ["urgency"])


def test_changed_objects_are_updated_and_only_they_are_written():
    pack_import(small_pack(), name=NAME)
    before = snapshot()
    pack = small_pack()
    pack["topics"][1]["title"] = "Romance and dating scams"
    scenario_step(pack, "likes-for-money", "n1")["text"] = "Two days later."
    pack["check_items"][0]["text"] = "Your code is 111111. Do not share it."

    report = pack_import(pack, name=NAME)

    assert (report.topics_updated, report.topics_unchanged) == (1, 1)
    assert (report.scenarios_updated, report.scenarios_unchanged) == (1, 1)
    assert (report.check_items_updated, report.check_items_unchanged) == (1, 1)
    assert report.versions_published == 1
    after = snapshot()
    assert after["Topic"][0] == before["Topic"][0]
    assert after["Topic"][1]["title"] == "Romance and dating scams"
    assert after["Topic"][1]["updated_at"] > before["Topic"][1]["updated_at"]
    assert after["CheckItem"][1] == before["CheckItem"][1]
    changed = Scenario.objects.get(slug="likes-for-money")
    assert changed.published_version.number == 2
    assert changed.steps.get(key="n1").text == "Two days later."
    untouched = Scenario.objects.get(slug="airport-fee")
    assert untouched.published_version.number == 1
    assert [s for s in after["Step"] if s["scenario_id"] == untouched.pk] == [
        s for s in before["Step"] if s["scenario_id"] == untouched.pk
    ]


def test_import_never_deletes_what_the_pack_leaves_out():
    pack_import(small_pack(), name=NAME)
    pack = small_pack()
    pack["scenarios"].pop()
    pack["check_items"].pop()

    pack_import(pack, name=NAME)

    assert Scenario.objects.count() == 2
    assert CheckItem.objects.count() == 2


def test_import_restores_a_draft_edited_since_and_reuses_its_version():
    pack_import(small_pack(), name=NAME)
    scenario = Scenario.objects.get(slug="likes-for-money")
    Step.objects.filter(scenario=scenario, key="n1").update(text="Unpublished edit.")

    report = pack_import(small_pack(), name=NAME)

    assert (report.scenarios_updated, report.versions_published) == (1, 0)
    assert scenario.steps.get(key="n1").text == "A day later."
    assert scenario.versions.count() == 1


def test_import_republishes_an_unpublished_scenario_on_its_old_version():
    pack_import(small_pack(), name=NAME)
    scenario = Scenario.objects.get(slug="airport-fee")
    scenario_unpublish(scenario=scenario)

    report = pack_import(small_pack(), name=NAME)

    scenario.refresh_from_db()
    assert (report.scenarios_updated, report.versions_published) == (1, 0)
    assert scenario.status == Scenario.Status.PUBLISHED
    assert scenario.published_version.number == 1


def test_existing_positions_and_translation_keys_are_kept():
    pack_import(small_pack(), name=NAME)
    Topic.objects.filter(slug="fake-part-time-jobs").update(position=7)
    Scenario.objects.filter(slug="airport-fee").update(translation_key="airport")
    Scenario.objects.filter(slug="likes-for-money").update(translation_key="")

    pack_import(small_pack(), name=NAME)

    assert Topic.objects.get(slug="fake-part-time-jobs").position == 7
    assert Scenario.objects.get(slug="airport-fee").translation_key == "airport"
    assert Scenario.objects.get(slug="likes-for-money").translation_key == "likes-for-money"


def test_topic_may_already_be_in_the_database_in_the_same_language_only():
    pack_import(small_pack(), name=NAME)
    pack = small_pack()
    pack["topics"] = []
    pack["scenarios"][0]["title"] = "Renamed"
    assert pack_import(pack, name=NAME).scenarios_updated == 1

    pack["language"] = "zh-hans"
    with pytest.raises(PackError) as excinfo:
        pack_import(pack, name=NAME)
    assert 'topic "fake-part-time-jobs" does not exist' in str(excinfo.value)
    assert not Scenario.objects.filter(language="zh-hans").exists()


def test_languages_are_separate():
    pack_import(small_pack(), name=NAME)
    pack = small_pack()
    pack["language"] = "zh-hans"

    report = pack_import(pack, name=NAME)

    assert report.topics_created == 2
    assert Topic.objects.filter(slug="romance-scams").count() == 2


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
    ("version", _change(lambda p: p.update(version=2)), "version must be 1, not 2"),
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
    documented = re.findall(r"^- `([a-z-]+)`:", DOC.read_text(encoding="utf-8"), re.MULTILINE)
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


# --- dry run ----------------------------------------------------------------------------------


def test_dry_run_reports_the_changes_and_writes_nothing():
    pack_import(small_pack(), name=NAME)
    before = snapshot()
    pack = small_pack()
    pack["topics"][0]["title"] = "New title"
    pack["scenarios"][1]["steps"][0]["text"] = "Please send 300, tell no one."
    pack["check_items"].append(dict(pack["check_items"][0], key="another-code"))

    dry = pack_import(copy.deepcopy(pack), name=NAME, dry_run=True)

    assert snapshot() == before
    assert dry.dry_run
    assert (dry.topics_updated, dry.scenarios_updated, dry.check_items_created) == (1, 1, 1)
    assert dry.versions_published == 1
    assert dry.summary().startswith("Dry run, nothing written: ")
    real = pack_import(pack, name=NAME)
    assert {**vars(dry), "dry_run": False} == vars(real)


def test_dry_run_of_an_invalid_pack_raises_the_same_errors():
    pack = small_pack()
    _unreachable(pack)
    with pytest.raises(PackError) as real:
        pack_import(pack, name=NAME)
    with pytest.raises(PackError) as dry:
        pack_import(pack, name=NAME, dry_run=True)
    assert dry.value.errors == real.value.errors


# --- export -----------------------------------------------------------------------------------


def test_export_leaves_out_archived_scenarios_and_keeps_drafts():
    pack_import(small_pack(), name=NAME)
    Scenario.objects.filter(slug="airport-fee").update(status=Scenario.Status.ARCHIVED)
    scenario_unpublish(scenario=Scenario.objects.get(slug="likes-for-money"))

    pack = pack_export(language="en")

    assert [s["slug"] for s in pack["scenarios"]] == ["likes-for-money"]
    assert len(pack["topics"]) == 2
    assert pack_export(language="zh-hans")["topics"] == []


def test_export_of_chosen_scenarios_has_their_topics_and_no_check_items():
    pack_import(small_pack(), name=NAME)
    chosen = Scenario.objects.filter(slug="airport-fee")

    pack = pack_export(language="en", scenarios=chosen)

    assert list(pack) == [
        "format",
        "version",
        "language",
        "topics",
        "scenarios",
        "check_items",
    ]
    assert [t["slug"] for t in pack["topics"]] == ["romance-scams"]
    assert [s["slug"] for s in pack["scenarios"]] == ["airport-fee"]
    assert pack["check_items"] == []
    assert validate_pack(pack, name="x") == []


def test_export_of_chosen_scenarios_refuses_another_language():
    pack_import(small_pack(), name=NAME)
    with pytest.raises(ValueError, match="airport-fee"):
        pack_export(language="zh-hans", scenarios=Scenario.objects.filter(slug="airport-fee"))


def test_export_writes_keys_in_the_documented_order():
    pack = small_pack()
    # Reverse every key order in the input; the export must put them back.
    shuffled = json.loads(json.dumps(pack), object_pairs_hook=lambda pairs: dict(pairs[::-1]))
    pack_import(shuffled, name=NAME)

    assert pack_dumps(pack_export(language="en")) == pack_dumps(pack)


def test_pack_dumps_keeps_chinese_and_ends_with_a_newline():
    text = pack_dumps({"title": "刷单"})
    assert text == '{\n  "title": "刷单"\n}\n'


def test_documented_example_is_a_valid_pack():
    block = re.search(r"```json\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    assert validate_pack(json.loads(block.group(1)), name="doc") == []


# --- management commands ----------------------------------------------------------------------


def _write(tmp_path: Path, pack: dict[str, Any] | bytes, name: str = NAME) -> Path:
    path = tmp_path / name
    path.write_bytes(pack if isinstance(pack, bytes) else dumps(pack))
    return path


def test_import_command_prints_a_summary_and_twice_changes_nothing(tmp_path):
    path = _write(tmp_path, small_pack())
    out = io.StringIO()

    call_command("import_content", str(path), stdout=out)
    before = snapshot()
    call_command("import_content", str(path), stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith(f"{NAME} [en]: topics: 2 created, 0 updated, 0 unchanged")
    assert first.endswith("2 versions published")
    assert second == (
        f"{NAME} [en]: topics: 0 created, 0 updated, 2 unchanged; scenarios: 0 created, "
        "0 updated, 2 unchanged; check items: 0 created, 0 updated, 2 unchanged; "
        "0 versions published (nothing to change)"
    )
    assert snapshot() == before


def test_import_command_dry_run_writes_nothing(tmp_path):
    path = _write(tmp_path, small_pack())
    out = io.StringIO()

    call_command("import_content", str(path), "--dry-run", stdout=out)

    assert counts() == dict.fromkeys(counts(), 0)
    assert out.getvalue().startswith("Dry run, nothing written: small.json [en]: topics: 2 created")


def test_import_command_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*nope\.json: No such file"):
        call_command("import_content", str(tmp_path / "nope.json"))


def test_import_command_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_content", str(tmp_path))


def test_import_command_invalid_json_is_a_clear_error(tmp_path):
    path = _write(tmp_path, b'{"format": "fraud-awareness-pack",\n  "version": 1,,}')
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"small\.json: refused, nothing imported \(1 problem\)"):
        call_command("import_content", str(path), stderr=err)

    assert err.getvalue().startswith('pack "small.json": invalid JSON at line 2 column')
    assert counts() == dict.fromkeys(counts(), 0)


def test_import_command_lists_every_problem_on_stderr(tmp_path):
    pack = small_pack()
    pack["version"] = 2
    _unreachable(pack)
    path = _write(tmp_path, pack)
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"refused, nothing imported \(2 problems\)"):
        call_command("import_content", str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        'pack "small.json": version must be 1, not 2',
        'pack "small.json": scenario "airport-fee": step "n9": not reachable from start step "m1"',
    ]
    assert counts() == dict.fromkeys(counts(), 0)


def test_import_command_refuses_deep_nesting_clearly(tmp_path):
    path = _write(tmp_path, b'{"topics": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"small\.json: refused, nothing imported \(1 problem\)"):
        call_command("import_content", str(path), stderr=err)

    assert err.getvalue() == (
        'pack "small.json": invalid JSON: lists and objects are nested more than 20 levels '
        "deep (a content pack needs 7)\n"
    )


def test_import_command_lists_the_first_problems_of_a_badly_broken_pack(tmp_path):
    pack = small_pack()
    pack["check_items"] = [{"key": "X", "channel": "fax"}] * 60_000
    path = _write(tmp_path, pack)
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"refused, nothing imported \(more than 7 problems\)"):
        call_command("import_content", str(path), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0] == 'pack "small.json": check item "X": missing key "from"'
    assert lines[-1] == 'pack "small.json": …and more problems; fix these first'
    assert len(lines) == 8
    assert counts() == dict.fromkeys(counts(), 0)


def test_export_command_writes_a_file_that_imports_back(tmp_path):
    pack_import(small_pack(), name=NAME)
    path = tmp_path / "out.json"
    out = io.StringIO()

    call_command("export_content", str(path), stdout=out)

    assert out.getvalue() == f"Wrote {path} [en]: 2 topics, 2 scenarios, 2 check items\n"
    assert path.read_text(encoding="utf-8") == pack_dumps(small_pack())
    call_command("import_content", str(path), stdout=out)
    assert out.getvalue().splitlines()[-1].endswith("(nothing to change)")


def test_export_command_to_stdout_in_another_language():
    pack = small_pack()
    pack["language"] = "zh-hans"
    pack["topics"][0]["title"] = "刷单返利"
    pack_import(pack, name=NAME)
    pack_import(small_pack(), name=NAME)
    out = io.StringIO()

    call_command("export_content", "-", "--language", "zh-hans", stdout=out)

    assert out.getvalue() == pack_dumps(pack)


def test_export_command_refuses_an_unknown_language_and_an_unwritable_path(tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'fr'"):
        call_command("export_content", "-", "--language", "fr")
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export_content", str(tmp_path / "missing-dir" / "x.json"))
