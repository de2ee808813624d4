"""The editing page's form without the database: content-pack form to posted data and back,
internal names made up and kept, "New step…", the blank parts "Add …" buttons give, and the
quote check with its suggestion."""

import copy
from typing import Any

import pytest

from quizzes.scenarios.editor.checks import closest_match
from quizzes.scenarios.editor.structure import (
    form_data,
    parse,
    quote_problem,
)

TOPICS = [("7", "Phishing [en]", "en"), ("8", "钓鱼 [zh-hans]", "zh-hans")]

MESSAGE = {
    "key": "m1",
    "kind": "message",
    "channel": "email",
    "from": "Northbank",
    "address": "security@northbank-help.example",
    "verified": True,
    "subject": "Your account is locked",
    "url": "https://northbank-help.example/unlock",
    "attachment": {"kind": "document", "title": "unlock.pdf", "text": "Claim within 1 hour!"},
    "text": "Dear customer, unlock your account now. Claim within 1 hour!",
    "red_flags": [
        {
            "quote": "northbank-help.example",
            "field": "address",
            "why": "Not the bank's address.",
            "tactic": "lookalike",
        },
        {"quote": "Claim within 1 hour!", "why": "Hurry.", "tactic": "urgency"},
        {"quote": "unlock.pdf", "field": "attachment", "why": "A file.", "tactic": "urgency"},
    ],
    "next": "d1",
}
EVERY_KIND: list[dict[str, Any]] = [
    MESSAGE,
    {"key": "n1", "kind": "narration", "text": "An hour later…", "next": "s1"},
    {
        "key": "s1",
        "kind": "spot",
        "prompt": "Tap everything suspicious.",
        "channel": "sms",
        "from": "Northbank",
        "address": "+44 7700 900123",
        "text": "Pay 5 now. Have a nice day!",
        "options": [
            {
                "key": "o1",
                "quote": "Pay 5 now",
                "is_flag": True,
                "why": "Pay to unlock.",
                "tactic": "pay-to-unlock",
            },
            {"key": "o2", "quote": "+44 7700", "field": "address", "is_flag": False, "why": "A"},
        ],
        "next": "d1",
    },
    {
        "key": "d1",
        "kind": "decision",
        "prompt": "What do you do?",
        "tactics": ["urgency", "lookalike"],
        "choices": [
            {"key": "a", "text": "Call the bank.", "safe": True, "feedback": "Yes.", "next": "end"},
            {"key": "b", "text": "Open it.", "safe": False, "feedback": "No.", "next": "n1"},
        ],
        "discussion": ["Why the hurry?", "Whom would you call?"],
    },
    {"key": "end", "kind": "ending", "outcome": "safe", "text": "You kept your money."},
]
CONTENT: dict[str, Any] = {
    "title": "Locked account",
    "topic": "7",
    "channel": "email",
    "difficulty": "medium",
    "genuine": True,
    "summary": "The bank writes.",
    "min_age": 12,
    "start": "m1",
    "steps": EVERY_KIND,
}


def round_trip(content: dict[str, Any]) -> dict[str, Any]:
    edited = parse(form_data(content, language="en", estimated_minutes=5), topics=TOPICS)
    assert edited.is_valid(), edited.errors()
    return edited.content()


def test_every_kind_of_step_comes_back_as_it_went_in():
    assert round_trip(CONTENT) == CONTENT


def test_empty_and_optional_parts_come_back_too():
    content = {
        "title": "Blank",
        "topic": "7",
        "channel": "sms",
        "difficulty": "easy",
        "summary": "",
        "start": "m1",
        "steps": [
            {"key": "m1", "kind": "message"},
            {"key": "d1", "kind": "decision", "choices": []},
            {"key": "s1", "kind": "spot", "options": []},
            {"key": "n1", "kind": "narration"},
        ],
    }
    assert round_trip(content) == content


def test_the_page_reads_the_same_whether_posted_once_or_twice():
    edited = parse(form_data(CONTENT, language="en", estimated_minutes=9), topics=TOPICS)
    assert edited.language == "en" and edited.estimated_minutes == 9
    again = form_data(edited.content(), language="en", estimated_minutes=9)
    assert again == form_data(CONTENT, language="en", estimated_minutes=9)


def new_steps_page() -> dict[str, list[str]]:
    """A page where the editor added steps and choices that have no internal names yet."""
    data = form_data(
        {**CONTENT, "genuine": False, "steps": copy.deepcopy(EVERY_KIND[3:])},
        language="en",
        estimated_minutes=5,
    )
    # Step tokens 1 (d1) and 2 (end) exist; n1, n2 are new, and "a" choices were added to d1.
    data["steps"] = ["n1", "1", "n2", "2", "n3"]
    data |= {
        "sn1-kind": ["message"],
        "sn1-sender": ["Amy"],
        "sn1-next": ["1"],
        "sn2-kind": ["decision"],
        "sn2-choices": ["x", "y"],
        "sn2-cx-text": ["Go"],
        "sn2-cx-next": ["2"],
        "sn2-cy-text": ["Stop"],
        "sn3-kind": ["message"],
        "s1-choices": ["1", "2", "n1"],
        "s1-cn1-text": ["Ask a friend."],
    }
    return data


def test_new_parts_get_internal_names_from_their_kind_and_position():
    edited = parse(new_steps_page(), topics=TOPICS)
    assert edited.is_valid(), edited.errors()
    content = edited.content()
    assert [s["key"] for s in content["steps"]] == [
        "message-1",
        "d1",
        "decision-3",
        "end",
        "message-5",
    ]
    assert content["start"] == "message-1"
    assert content["steps"][0]["next"] == "d1"
    assert [c["key"] for c in content["steps"][1]["choices"]] == ["a", "b", "c"]
    assert [(c["key"], c["next"]) for c in content["steps"][2]["choices"]] == [
        ("a", "end"),
        ("b", ""),
    ]
    # Only steps that came with a name are linked to as saved.
    assert [s.anchor for s in edited.steps] == [
        "step-new-n1",
        "step-d1",
        "step-new-n2",
        "step-end",
        "step-new-n3",
    ]


def test_internal_names_stay_the_same_across_saves():
    first = parse(new_steps_page(), topics=TOPICS).content()
    # Saved and shown again, then a step is added at the top and one removed.
    data = form_data(first, language="en", estimated_minutes=5)
    data["steps"] = ["n9", *data["steps"]]
    data |= {"sn9-kind": ["message"], "s5-remove": ["on"]}
    second = parse(data, topics=TOPICS).content()
    # The saved steps keep their names; the new one takes the next free one of its kind.
    assert [s["key"] for s in second["steps"]] == [
        "message-2",
        "message-1",
        "d1",
        "decision-3",
        "end",
    ]
    assert second["start"] == "message-2"
    assert [c["key"] for c in second["steps"][2]["choices"]] == ["a", "b", "c"]


def test_generated_names_never_repeat_one_already_used():
    data = form_data(
        {**CONTENT, "steps": [{"key": "message-2", "kind": "message"}]},
        language="en",
        estimated_minutes=5,
    )
    data["steps"] = ["1", "n1", "n2"]
    data |= {"sn1-kind": ["message"], "sn2-kind": ["message"]}
    keys = [s["key"] for s in parse(data, topics=TOPICS).content()["steps"]]
    assert keys == ["message-2", "message-3", "message-4"]


def test_a_repeated_or_unsound_posted_name_is_replaced():
    data = form_data(
        {
            **CONTENT,
            "steps": [{"key": "m1", "kind": "message"}, {"key": "n1", "kind": "narration"}],
        },
        language="en",
        estimated_minutes=5,
    )
    data["s2-key"] = ["m1"]
    keys = [s["key"] for s in parse(data, topics=TOPICS).content()["steps"]]
    assert keys == ["m1", "narration-2"]
    data["s2-key"] = ["Not_A Name"]
    keys = [s["key"] for s in parse(data, topics=TOPICS).content()["steps"]]
    assert keys == ["m1", "narration-2"]


def test_a_removed_step_leaves_no_link_to_it():
    data = form_data(CONTENT, language="en", estimated_minutes=5)
    data["s2-remove"] = ["on"]  # the narration, which "b" and nothing else leads to
    content = parse(data, topics=TOPICS).content()
    assert [s["key"] for s in content["steps"]] == ["m1", "s1", "d1", "end"]
    choices = content["steps"][2]["choices"]
    assert [c["next"] for c in choices] == ["end", ""]


def test_removed_choices_flags_and_options_are_left_out():
    data = form_data(CONTENT, language="en", estimated_minutes=5)
    data |= {"s1-f2-remove": ["on"], "s3-o1-remove": ["on"], "s4-c1-remove": ["on"]}
    steps = parse(data, topics=TOPICS).content()["steps"]
    assert [f["quote"] for f in steps[0]["red_flags"]] == ["northbank-help.example", "unlock.pdf"]
    assert [o["key"] for o in steps[2]["options"]] == ["o2"]
    assert [c["key"] for c in steps[3]["choices"]] == ["b"]


def test_new_step_in_a_select_becomes_a_blank_step_of_the_chosen_kind_after_it():
    data = form_data(CONTENT, language="en", estimated_minutes=5)
    data |= {
        "s2-next": ["new"],
        "s2-next_kind": ["decision"],
        "s4-c2-next": ["new"],
        "s4-c2-next_kind": ["ending:harmed"],
    }
    edited = parse(data, topics=TOPICS)
    assert edited.is_valid(), edited.errors()
    steps = edited.content()["steps"]
    assert [s["key"] for s in steps] == ["m1", "n1", "decision-3", "s1", "d1", "ending-6", "end"]
    assert steps[1]["next"] == "decision-3"
    assert steps[2] == {
        "key": "decision-3",
        "kind": "decision",
        "choices": [
            {"key": "a", "text": "", "safe": False, "feedback": "", "next": ""},
            {"key": "b", "text": "", "safe": False, "feedback": "", "next": ""},
        ],
    }
    assert steps[4]["choices"][1]["next"] == "ending-6"
    assert steps[5] == {"key": "ending-6", "kind": "ending", "outcome": "harmed"}
    # The page shown again names the new steps in the selects.
    select = edited.steps[1].form["next"]
    assert select.value() == edited.steps[2].token


def test_add_buttons_give_blank_parts_shown_without_errors():
    edited = parse(form_data(CONTENT, language="en", estimated_minutes=5), topics=TOPICS)
    assert edited.add("ending") == "step-new-n1"
    assert edited.add("decision") == "step-new-n2"
    assert edited.add("choice:4") == "s4-cn1-part"
    assert edited.add("flag:1") == "s1-fn1-part"
    assert edited.add("option:3") == "s3-on1-part"
    assert edited.add("choice:1") is None  # a message has no choices
    assert edited.add("nonsense") is None
    new_decision = edited.steps[-1]
    assert new_decision.fresh and len(new_decision.choices) == 2
    assert new_decision.label == "7. Decision"
    # Blank parts are not part of the scenario until the page is saved with them.
    assert edited.is_valid()
    assert edited.content() == CONTENT
    # Every next select offers the new steps.
    options = dict(edited.steps[0].form.fields["next"].widget.choices)
    assert options["n1"] == "6. Ending" and options["new"] == "New step…"


def test_labels_follow_what_the_editor_typed():
    edited = parse(form_data(CONTENT, language="en", estimated_minutes=5), topics=TOPICS)
    assert [s.label for s in edited.steps] == [
        "1. Message: Northbank: Dear customer, unlock your…",
        "2. Narration: An hour later…",
        "3. Spot the red flags: Tap everything suspicious.",
        "4. Decision: What do you do?",
        "5. Ending: Safe – You kept your money.",
    ]


def test_field_problems_stop_the_save_and_never_mention_keys_or_slugs():
    data = form_data(CONTENT, language="en", estimated_minutes=5)
    data |= {
        "title": [""],
        "topic": ["8"],  # a Chinese topic for an English scenario
        "min_age": ["30"],
        "s5-outcome": [""],
        "s1-attachment_kind": [""],
        "s3-o1-tactic": [""],
        "s4-discussion": ["1\n2\n3\n4\n5"],
        "s1-subject": ["x" * 201],
    }
    edited = parse(data, topics=TOPICS)
    assert not edited.is_valid()
    errors = edited.errors()
    assert set(errors) == {
        "title",
        "topic",
        "min_age",
        "s5-outcome",
        "s1-attachment_kind",
        "s3-o1-tactic",
        "s4-discussion",
        "s1-subject",
    }
    assert errors["s5-outcome"] == ["Choose how this ending turns out."]
    assert errors["topic"] == ["Choose a topic in the scenario's language."]
    for messages in errors.values():
        for message in messages:
            assert "key" not in message.lower() and "slug" not in message.lower()
    # What the editor typed is still on the page.
    assert edited.steps[3].form["discussion"].value() == "1\n2\n3\n4\n5"


def test_a_quote_in_other_capitals_is_refused_with_the_words_offered():
    data = form_data(CONTENT, language="en", estimated_minutes=5)
    data["s1-f2-quote"] = ["claim within 1 HOUR!"]
    edited = parse(data, topics=TOPICS)
    assert not edited.is_valid()
    assert edited.errors() == {
        "s1-f2-quote": [
            "These words are not in the text exactly as written. "
            "Did you mean “Claim within 1 hour!”?"
        ]
    }


def test_a_quote_is_looked_for_in_the_part_it_names():
    data = form_data(CONTENT, language="en", estimated_minutes=5)
    data["s1-f1-field"] = [""]  # the address's words are not in the text
    data["s3-o2-field"] = ["subject"]  # the spot step shows no subject
    errors = parse(data, topics=TOPICS).errors()
    assert errors["s1-f1-quote"] == [
        "These words are not in the text: copy them from there exactly, capital letters included."
    ]
    assert errors["s3-o2-quote"] == [
        "The subject is empty: fill it in under “More about the message”, or choose where "
        "these words are."
    ]


@pytest.mark.parametrize(
    ("quote", "source", "expected"),
    [
        ("claim within 1 hour!", "Hi. Claim within 1 hour! Bye.", "Claim within 1 hour!"),
        ("Claim  within\n1 hour", "Claim within 1 hour!", "Claim within 1 hour"),
        ("Claim withn 1 hour!", "Hi. Claim within 1 hour! Bye.", "Claim within 1 hour!"),
        (
            "Pay 1.99 witin 24 hours",
            "Your parcel is held. Pay 1.99 within 24 hours",
            "Pay 1.99 within 24 hours",
        ),
        ("something else entirely", "Your parcel is held.", None),
        ("", "Text", None),
    ],
)
def test_closest_match(quote, source, expected):
    assert closest_match(quote, source) == expected


def test_closest_match_is_quick_on_the_longest_texts():
    import time

    source = ("All the words of a very long message go on and on here. " * 100)[:5000]
    started = time.perf_counter()
    closest_match("x" * 900 + "on and on", source)
    closest_match("a very lonk mesage goes", source)
    assert time.perf_counter() - started < 1.0


def test_quote_problem_names_an_empty_part():
    assert quote_problem("x", "", {"text": ""}).startswith("The message has no text yet")
    assert "address or number" in quote_problem("x", "address", {"text": "x"})
    assert quote_problem("x", "", {"text": "x"}) is None
