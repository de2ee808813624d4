"""The shipped content packs (content/*.json) meet the writers' brief, checked from the files.

No database: these read the JSON as a content writer would.
"""

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from quizzes.scenarios.packs.validation import validate_pack

CONTENT = Path(__file__).resolve().parents[3] / "content"
LANGUAGES = ["en", "zh-hans"]

TOPIC_SLUGS = {
    "fake-part-time-jobs",
    "money-mules",
    "investment-scams",
    "fake-customer-service",
    "fake-police",
    "ai-voice-deepfake",
    "phishing",
    "gaming-scams",
    "fake-loans",
    "romance-scams",
    "sextortion",
    "nft-metaverse-scams",
    "overseas-job-traps",
}
SENSITIVE_TOPICS = {"romance-scams", "sextortion"}
# Online friends who borrow money and in-game couples target 12-14-year-olds above all.
FOR_12_AND_OVER = {
    "squad-friend-card-frozen",
    "online-senior-borrows-money",
    "game-cp-hospital-money",
}
MUST_MENTION = {
    "en": [
        *("WhatsApp", "Instagram", "Report Fraud", "reportfraud.police.uk", "ReportFraud.ftc.gov"),
        *("IC3", "CEOP", "Childline", "Report Remove", "$5.8 billion"),
    ],
    "zh-hans": ["微信", "QQ", "支付宝", "96110", "国家反诈中心", "反电信网络诈骗法", "12377"],
}
# Renamed on 4 December 2025 (../shared/research/fraud-content-brief.md, corrections).
MUST_NOT_MENTION = ["Action Fraud", "actionfraud", "$6.5 billion lost to crypto"]


@cache
def load(language: str) -> dict[str, Any]:
    return json.loads((CONTENT / f"{language}.json").read_text(encoding="utf-8"))


def scenarios(language: str) -> list[dict[str, Any]]:
    return load(language)["scenarios"]


def scenario_ids(language: str) -> list[pytest.ParameterSet]:
    return [
        pytest.param(language, s["slug"], id=f"{language}:{s['slug']}") for s in scenarios(language)
    ]


ALL_SCENARIOS = [param for language in LANGUAGES for param in scenario_ids(language)]


def scenario(language: str, slug: str) -> dict[str, Any]:
    return next(s for s in scenarios(language) if s["slug"] == slug)


def most_decisions_on_a_path(data: dict[str, Any]) -> int:
    """The largest number of decision steps met on one walk from start to an ending."""
    steps = {step["key"]: step for step in data["steps"]}

    @cache
    def from_step(key: str) -> int:
        step = steps[key]
        if step["kind"] == "ending":
            return 0
        if step["kind"] == "decision":
            return 1 + max(from_step(choice["next"]) for choice in step["choices"])
        return from_step(step["next"])

    return from_step(data["start"])


# --- per language -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_pack_is_valid_and_in_its_language(language: str):
    pack = load(language)
    assert pack["language"] == language
    assert validate_pack(pack, name=f"{language}.json") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_topic_is_there_once(language: str):
    slugs = [topic["slug"] for topic in load(language)["topics"]]
    assert sorted(slugs) == sorted(TOPIC_SLUGS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_enough_scenarios_covering_every_topic(language: str):
    found = scenarios(language)
    per_topic = Counter(s["topic"] for s in found)
    assert len(found) >= 20
    assert set(per_topic) == TOPIC_SLUGS, TOPIC_SLUGS - set(per_topic)


@pytest.mark.parametrize("language", LANGUAGES)
def test_variety_of_difficulty_channels_and_step_kinds(language: str):
    found = scenarios(language)
    assert sum(s["difficulty"] == "hard" for s in found) >= 5
    assert len({s["channel"] for s in found}) >= 5
    with_spot = [s for s in found if any(step["kind"] == "spot" for step in s["steps"])]
    assert len(with_spot) >= 6


@pytest.mark.parametrize("language", LANGUAGES)
def test_check_items_are_enough_and_half_are_legitimate(language: str):
    items = load(language)["check_items"]
    legitimate = [item for item in items if item["is_scam"] is False]
    assert len(items) >= 40
    assert len(legitimate) * 2 >= len(items)
    for item in items:
        assert item["explanation"].strip(), item["key"]
        # Tactics name what gives a scam away; a legitimate message has none to name.
        assert bool(item["tactics"]) == item["is_scam"], item["key"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_min_age_marks_exactly_the_sensitive_topics_and_their_scenarios(language: str):
    pack = load(language)
    for topic in pack["topics"]:
        wanted = 15 if topic["slug"] in SENSITIVE_TOPICS else None
        assert topic.get("min_age") == wanted, topic["slug"]
    for data in pack["scenarios"]:
        wanted = 15 if data["topic"] in SENSITIVE_TOPICS else None
        if data["slug"] in FOR_12_AND_OVER:
            wanted = 12
        assert data.get("min_age") == wanted, data["slug"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pack_names_the_local_apps_and_reporting_channels(language: str):
    text = (CONTENT / f"{language}.json").read_text(encoding="utf-8")
    missing = [word for word in MUST_MENTION[language] if word not in text]
    assert missing == []
    assert [word for word in MUST_NOT_MENTION if word in text] == []


def test_the_languages_do_not_share_texts():
    # A scenario copied untranslated into the other pack would show English to Chinese readers.
    english = {s["title"] for s in scenarios("en")}
    chinese = {s["title"] for s in scenarios("zh-hans")}
    assert english.isdisjoint(chinese)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in title) for title in chinese)


# --- per scenario -----------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "slug"), ALL_SCENARIOS)
def test_scenario_has_two_decisions_on_some_path_and_different_endings(language: str, slug: str):
    data = scenario(language, slug)
    outcomes = {step["outcome"] for step in data["steps"] if step["kind"] == "ending"}
    assert most_decisions_on_a_path(data) >= 2
    assert len(outcomes) >= 2
    assert "safe" in outcomes


@pytest.mark.parametrize(("language", "slug"), ALL_SCENARIOS)
def test_every_decision_flag_and_option_names_its_tactics(language: str, slug: str):
    data = scenario(language, slug)
    for step in data["steps"]:
        if step["kind"] == "decision":
            # A real message has no trick to name; a scam's decision names what it tests.
            assert data.get("genuine") or step.get("tactics"), step["key"]
            assert 2 <= len(step["choices"]) <= 4, step["key"]
        for flag in step.get("red_flags", []):
            assert flag.get("tactic"), (step["key"], flag["quote"])
        for option in step.get("options", []):
            # A tactic only where there is a trick to name.
            assert bool(option.get("tactic")) == option["is_flag"], (step["key"], option["key"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_check_bank_is_matched_pairs_covering_every_topic_channel_and_tactic(language: str):
    items = load(language)["check_items"]
    by_key = {item["key"]: item for item in items}
    for item in items:
        twin = by_key[item["pair"]]
        assert twin["pair"] == item["key"] and twin["is_scam"] != item["is_scam"], item["key"]
        assert (twin["topic"], twin["channel"]) == (item["topic"], item["channel"]), item["key"]
    scams = [item for item in items if item["is_scam"]]
    assert len(scams) >= 32
    assert {item["topic"] for item in scams} == TOPIC_SLUGS
    assert {item["channel"] for item in scams} == {
        *("sms", "chat", "call", "email", "web", "social", "game"),
    }
    tactics = {t for item in scams for t in item["tactics"]}
    assert len(tactics) == 13 and {"threat", "lookalike"} <= tactics
