"""The check's parallel forms (quizzes/check/bank.py) and its cue audit (cues.py, audit.py):
balanced forms for the shipped banks and for a random bank, and a biased bank caught."""

import json
import random
from collections import Counter

import pytest
from django.conf import settings

from quizzes.check.audit import audit_bank
from quizzes.check.bank import FORMS, ORDERS, balance_problems, build_forms, pairs_of, rotation
from quizzes.check.cues import rule_scores

TOPICS = ["phishing", "money-mules", "fake-loans", "gaming-scams", "fake-police", "romance-scams"]
CHANNELS = ["sms", "chat", "call", "email", "web", "social", "game"]
TACTICS = ["urgency", "threat", "lookalike", "authority", "pay-to-unlock", "secrecy"]


def shipped(language: str) -> list[dict]:
    path = settings.BASE_DIR / "content" / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8"))["check_items"]


def random_bank(pairs: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for n in range(pairs):
        topic, channel = rng.choice(TOPICS), rng.choice(CHANNELS)
        length = rng.randint(60, 220)
        for is_scam in (True, False):
            items.append(
                {
                    "key": f"{n}-{'scam' if is_scam else 'real'}",
                    "pair": f"{n}-{'real' if is_scam else 'scam'}",
                    "topic": topic,
                    "channel": channel,
                    "tactics": rng.sample(TACTICS, 2) if is_scam else [],
                    "text": "x" * (length + rng.randint(-10, 10)),
                    "is_scam": is_scam,
                }
            )
    return items


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_shipped_banks_make_three_balanced_forms_of_whole_pairs(language):
    items = shipped(language)
    forms = build_forms(items)
    assert balance_problems(forms) == []
    keys = [i["key"] for form in forms.values() for p in form for i in p.items]
    assert len(keys) == len(set(keys)) == len(items)  # every item in exactly one form
    assert sorted(len(form) for form in forms.values()) in ([10, 11, 11], [11, 11, 11])
    for form in forms.values():
        for pair in form:  # both twins in the same form
            assert {i["is_scam"] for i in pair.items} == {True, False}


@pytest.mark.parametrize("seed", range(5))
def test_a_random_bank_makes_balanced_forms(seed):
    forms = build_forms(random_bank(33, seed))
    assert balance_problems(forms) == []
    assert [len(forms[f]) for f in FORMS] == [11, 11, 11]


def test_an_unbalanced_split_is_reported():
    forms = build_forms(random_bank(9, 0))
    forms["a"], forms["b"] = forms["a"] + forms["b"], []
    assert any("pairs in forms A, B, C" in p for p in balance_problems(forms))


def test_the_split_is_the_same_whatever_order_the_items_come_in():
    items = random_bank(20, 3)
    shuffled = list(items)
    random.Random(1).shuffle(shuffled)
    keys = {f: [p.key for p in form] for f, form in build_forms(items).items()}
    assert keys == {f: [p.key for p in form] for f, form in build_forms(shuffled).items()}


def test_items_without_a_matched_twin_are_left_out():
    items = random_bank(3, 1)
    items[0]["pair"] = "nobody"
    assert [p.key for p in pairs_of(items)] != [] and len(pairs_of(items)) == 2


def test_the_latin_square_uses_every_form_once_per_time_point():
    assert {rotation(row) for row in range(3)} == set(ORDERS)
    for time in range(3):
        assert Counter(order[time] for order in ORDERS) == {"a": 1, "b": 1, "c": 1}


def test_a_bank_with_links_only_in_scams_is_caught():
    items = random_bank(33, 2)
    for item in items:
        item["text"] = "Hello there, about your account. " + (
            "Tap https://secure-check.example now" if item["is_scam"] else "See you soon"
        )
    scores = {s.name: s.accuracy for s in rule_scores(items, "en")}
    assert scores["a link"] == 1.0
    problems = audit_bank(items, "en").problems()
    assert any("the rule 'a link'" in p for p in problems)
    assert any("classifier" in p for p in problems)


def test_a_rule_counts_in_its_better_direction():
    items = random_bank(10, 5)
    for item in items:  # links only in the REAL messages: still a giveaway
        item["text"] = "Visit www.example.com" if not item["is_scam"] else "Call us"
    assert {s.name: s.accuracy for s in rule_scores(items, "en")}["a link"] == 1.0


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_shipped_banks_pass_the_cue_audit(language):
    audit = audit_bank(shipped(language), language)
    assert audit.pairs >= 32 and audit.unpaired == 0
    assert audit.problems() == []
