"""Tests for the content-pack validator: plain functions, no database. Valid packs pass.

Also holds the valid pack and the helpers that test_validation_rules.py and test_parsing.py import.
"""

import json
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator

from quizzes.scenarios.packs.schema import SCHEMA_PATH
from quizzes.scenarios.packs.validation import parse_pack, validate_pack

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
