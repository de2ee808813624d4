"""Content-pack export and round trips: the shipped packs, pack_export and export_content.

Also holds the small pack and the helpers that test_import.py and test_import_refusals.py import.
"""

import io
import json
import re
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
from quizzes.scenarios.packs.validation import parse_pack, validate_pack
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


# --- export_content command -------------------------------------------------------------------


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
