"""Pack format version 2 (docs/content-pack.md, "Version 2 additions"): genuine scenarios with
a "missed-out" ending, the channel's chrome on messages and check items, quotes from that
chrome, matched check-item pairs. Version 1 packs keep importing unchanged (the shipped packs'
tests in test_import_export.py)."""

import copy
import json
from typing import Any

import pytest

from awareness.models import Topic
from quizzes.models import CheckItem, RedFlag, Scenario, SpotOption, Step
from quizzes.scenarios.packs.exporter import canonical_pack, pack_dumps, pack_export
from quizzes.scenarios.packs.importer import pack_import
from quizzes.scenarios.packs.validation import validate_pack

NAME = "v2.json"


def v2_pack() -> dict[str, Any]:
    """A canonical version 2 pack: a genuine bank alert with e-mail chrome, and a matched pair
    of check items."""
    return {
        "format": "fraud-awareness-pack",
        "version": 2,
        "language": "en",
        "topics": [
            {
                "slug": "phishing",
                "title": "Phishing",
                "summary": "Fake messages that steal logins.",
                "body_markdown": "Text.",
                "red_flags": [],
                "what_to_do": [],
            }
        ],
        "scenarios": [
            {
                "slug": "real-fraud-alert",
                "title": "A fraud alert from your bank",
                "topic": "phishing",
                "channel": "email",
                "difficulty": "medium",
                "genuine": True,
                "summary": "Your bank writes about a card payment you did not make.",
                "start": "m1",
                "steps": [
                    {
                        "key": "m1",
                        "kind": "message",
                        "from": "Northway Bank",
                        "address": "alerts@northwaybank.co.uk",
                        "verified": True,
                        "subject": "Did you spend £89.99 at GameVault?",
                        "text": "Open your banking app to confirm or decline the payment.",
                        "attachment": {
                            "kind": "document",
                            "title": "Statement extract",
                            "text": "GameVault £89.99",
                        },
                        "red_flags": [
                            {
                                "quote": "northwaybank.co.uk",
                                "field": "address",
                                "why": "The bank's own domain, which you can check.",
                                "tactic": "authority",
                            }
                        ],
                        "next": "s1",
                    },
                    {
                        "key": "s1",
                        "kind": "spot",
                        "prompt": "Which parts could a scammer copy?",
                        "channel": "web",
                        "from": "Northway Bank",
                        "url": "https://northwaybank.co.uk/app",
                        "text": "Tap to open the app, or call the number on your card.",
                        "options": [
                            {
                                "key": "o1",
                                "quote": "northwaybank.co.uk",
                                "field": "url",
                                "is_flag": False,
                                "why": "The bank's real address.",
                            },
                            {
                                "key": "o2",
                                "quote": "Tap to open the app",
                                "is_flag": True,
                                "why": "A fake could say the same; open the app yourself.",
                                "tactic": "lookalike",
                            },
                        ],
                        "next": "d1",
                    },
                    {
                        "key": "d1",
                        "kind": "decision",
                        "prompt": "What do you do?",
                        "tactics": ["threat"],
                        "choices": [
                            {
                                "key": "a",
                                "text": "Ignore it: it must be fake.",
                                "safe": False,
                                "feedback": "It was real, and the payment went through.",
                                "next": "end-missed",
                            },
                            {
                                "key": "b",
                                "text": "Open the bank app myself and decline it.",
                                "safe": True,
                                "feedback": "Checked through the official route.",
                                "next": "end-safe",
                            },
                        ],
                    },
                    {
                        "key": "end-safe",
                        "kind": "ending",
                        "outcome": "safe",
                        "text": "The payment is stopped.",
                    },
                    {
                        "key": "end-missed",
                        "kind": "ending",
                        "outcome": "missed-out",
                        "text": "You lost £89.99 to the card thief.",
                    },
                ],
            }
        ],
        "check_items": [
            {
                "key": "bank-alert-real",
                "topic": "phishing",
                "pair": "bank-alert-fake",
                "channel": "sms",
                "from": "Northway",
                "address": "NORTHWAY",
                "text": "Did you try to pay £89.99 at GameVault? Reply Y or N. Northway Bank",
                "is_scam": False,
                "explanation": "Asks nothing but yes or no, from the bank's sender ID.",
                "tactics": [],
            },
            {
                "key": "bank-alert-fake",
                "topic": "phishing",
                "pair": "bank-alert-real",
                "channel": "sms",
                "from": "Northway",
                "address": "NORTHWAY",
                "url": "northway-secure.top/verify",
                "text": "Did you try to pay £89.99 at GameVault? If not, cancel here.",
                "attachment": {"kind": "link-preview", "title": "Northway Secure"},
                "is_scam": True,
                "explanation": "A spoofed sender ID and a look-alike link.",
                "tactics": ["lookalike"],
            },
        ],
    }


def test_the_version_2_pack_is_valid_and_canonical():
    pack = v2_pack()
    assert validate_pack(pack, name=NAME) == []
    assert canonical_pack(copy.deepcopy(pack)) == pack


@pytest.mark.django_db
def test_a_version_2_pack_round_trips_byte_for_byte():
    text = pack_dumps(v2_pack())
    report = pack_import(json.loads(text), name=NAME)
    assert report.scenarios_created == 1 and report.check_items_created == 2
    assert pack_dumps(pack_export(language="en")) == text
    assert not pack_import(json.loads(text), name=NAME).changed


@pytest.mark.django_db
def test_version_2_fields_are_kept_in_the_database():
    pack_import(v2_pack(), name=NAME)
    scenario = Scenario.objects.get(slug="real-fraud-alert")
    assert scenario.genuine and scenario.published_version is not None
    m1 = Step.objects.get(scenario=scenario, key="m1")
    assert (m1.address, m1.verified, m1.subject) == (
        "alerts@northwaybank.co.uk",
        True,
        "Did you spend £89.99 at GameVault?",
    )
    assert (m1.attachment_kind, m1.attachment_title) == ("document", "Statement extract")
    assert RedFlag.objects.get(step=m1).field == "address"
    assert SpotOption.objects.get(key="o1").field == "url"
    fake = CheckItem.objects.get(key="bank-alert-fake")
    assert (fake.pair, fake.topic, fake.url) == ("bank-alert-real", "phishing", fake.url)
    assert fake.attachment_kind == "link-preview" and fake.attachment_text == ""
    assert Step.objects.get(scenario=scenario, key="end-missed").outcome == "missed-out"
    assert (m1.channel, Step.objects.get(scenario=scenario, key="s1").channel) == ("", "web")


@pytest.mark.django_db
def test_version_1_content_exports_as_version_1():
    pack = v2_pack()
    pack["version"] = 1
    pack["scenarios"] = []
    for item in pack["check_items"]:
        for key in ("topic", "pair", "address", "url", "attachment"):
            item.pop(key, None)
    item = pack["check_items"][1]
    item["tactics"] = ["urgency"]
    assert validate_pack(pack, name=NAME) == []
    Topic.objects.all().delete()
    pack_import(pack, name=NAME)
    assert pack_export(language="en")["version"] == 1


def errors_after(change) -> list[str]:
    pack = v2_pack()
    change(pack)
    return validate_pack(pack, name=NAME)


def steps(pack: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in pack["scenarios"][0]["steps"]}


def test_a_red_flag_quote_missing_from_its_named_field_is_refused():
    def change(pack):
        steps(pack)["m1"]["red_flags"][0]["quote"] = "northway-bank.com"

    (error,) = errors_after(change)
    assert (
        'red flag #1: quote "northway-bank.com" does not occur verbatim in the step\'s address'
        in error
    )


def test_a_quote_from_a_field_the_step_does_not_have_is_refused():
    def change(pack):
        steps(pack)["s1"]["options"][0]["field"] = "subject"

    (error,) = errors_after(change)
    assert "quotes the step's subject, which the step does not have" in error


def test_an_attachment_quote_is_looked_for_in_its_title_and_text():
    def change(pack):
        steps(pack)["m1"]["red_flags"][0] |= {"quote": "GameVault £89.99", "field": "attachment"}

    assert errors_after(change) == []

    def missing(pack):
        steps(pack)["m1"]["red_flags"][0] |= {"quote": "Invoice", "field": "attachment"}

    (error,) = errors_after(missing)
    assert "does not occur verbatim in the attachment" in error


def test_a_genuine_scenario_needs_a_missed_out_ending():
    def change(pack):
        steps(pack)["end-missed"]["outcome"] = "harmed"

    (error,) = errors_after(change)
    assert 'a genuine scenario needs an ending with outcome "missed-out"' in error


def test_a_check_item_pair_must_name_an_item_of_the_other_kind():
    def other_item(pack):
        pack["check_items"][0]["pair"] = "nothing-like-it"

    def same_kind(pack):
        pack["check_items"][1]["is_scam"] = False
        pack["check_items"][1]["tactics"] = []

    def unknown_topic(pack):
        pack["check_items"][0]["topic"] = "romance"

    assert any('pair "nothing-like-it" names no other' in e for e in errors_after(other_item))
    assert any("must be a genuine message if this is a scam" in e for e in errors_after(same_kind))
    assert any('topic "romance" does not exist' in e for e in errors_after(unknown_topic))


def test_a_version_1_pack_may_not_use_what_version_2_added():
    def change(pack):
        pack["version"] = 1

    errors = errors_after(change)
    joined = "\n".join(errors)
    assert 'scenario "real-fraud-alert": "genuine" needs "version": 2' in joined
    assert '"address", "verified", "subject", "attachment" needs "version": 2' in joined
    assert 'outcome "missed-out" needs "version": 2' in joined
    assert 'tactic "threat" needs "version": 2' in joined
    assert '"topic" on a check item' in joined
    assert 'step "s1": "url", "channel" needs "version": 2' in joined


def test_a_step_channel_is_a_channel_and_only_on_message_and_spot_steps():
    def unknown(pack):
        steps(pack)["s1"]["channel"] = "fax"

    def on_a_decision(pack):
        steps(pack)["d1"]["channel"] = "sms"

    assert any("channel" in e and "fax" in e for e in errors_after(unknown))
    assert any('unknown key "channel"' in e for e in errors_after(on_a_decision))


@pytest.mark.django_db
def test_the_database_keeps_a_step_channel_off_other_kinds_of_step():
    from django.db import IntegrityError, transaction

    pack_import(v2_pack(), name=NAME)
    step = Step.objects.get(key="d1")
    step.channel = "sms"
    with pytest.raises(IntegrityError), transaction.atomic():
        step.save()
