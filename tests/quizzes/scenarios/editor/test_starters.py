"""The starting templates: each publishes as it is, in both languages, and cannot be passed by
picking the longest or shortest option; a new draft gets a free web address from its title."""

import re

import pytest

from quizzes.models import Scenario
from quizzes.scenarios.audit import (
    MAX_FLAG_OPTIONS,
    MAX_LONGEST_IS_SAFE,
    MAX_SHORTEST_IS_SAFE,
    audit_pack,
    paths,
)
from quizzes.scenarios.editor.starters import (
    BLANK,
    STARTERS,
    scenario_free_slug,
    scenario_from_starter,
    starter_content,
    starter_pack,
)
from quizzes.scenarios.packs.validation import validate_pack
from quizzes.scenarios.publishing import scenario_publish, scenario_to_dict, scenario_validate
from tests.factories import make_topic

EXAMPLES = [name for name in STARTERS if name != BLANK]
LANGUAGES = ["en", "zh-hans"]
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(r"[\u4e00-\u9fff][,.:;?!()]|[,.:;?!()][\u4e00-\u9fff]")


def _single(content: dict, language: str) -> dict:
    """A pack holding just this scenario, as the audit reads packs."""
    scenario = {"slug": "s", "title": "T", "topic": "t", **content}
    return {"language": language, "scenarios": [scenario], "check_items": []}


def _texts(content: dict) -> list[str]:
    out = [content["summary"]]
    for step in content["steps"]:
        out += [step.get(name, "") for name in ("text", "prompt", "from")]
        out += [c["text"] for c in step.get("choices", [])]
        out += [c["feedback"] for c in step.get("choices", [])]
        out += [f["why"] for f in step.get("red_flags", []) + step.get("options", [])]
    return [text for text in out if text]


# --- the examples themselves (no database) -------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_every_example_and_its_pack_is_valid(language):
    pack = starter_pack(language)
    assert [scenario["slug"] for scenario in pack["scenarios"]] == EXAMPLES
    topics = {scenario["topic"] for scenario in pack["scenarios"]}
    assert validate_pack(pack, name=language, existing_topic_slugs=topics) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("starter", EXAMPLES)
def test_an_example_cannot_be_passed_by_length(starter, language):
    content = starter_content(starter, language)
    audit = audit_pack(_single(content, language))
    assert audit.decisions >= 2
    assert audit.longest_is_safe_share <= MAX_LONGEST_IS_SAFE
    assert audit.shortest_is_safe_share <= MAX_SHORTEST_IS_SAFE
    assert audit.flag_share <= MAX_FLAG_OPTIONS
    decisions = [step for step in content["steps"] if step["kind"] == "decision"]
    # The safe option is not always the longest one.
    assert any(
        max(len(c["text"]) for c in d["choices"] if c["safe"])
        <= max(len(c["text"]) for c in d["choices"] if not c["safe"])
        for d in decisions
    )
    # Every decision names what it tests.
    assert all(decision["tactics"] for decision in decisions)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("starter", EXAMPLES)
def test_every_path_is_long_enough_for_the_audit(starter, language):
    counts = list(paths(starter_content(starter, language)))
    assert counts and all(count.long_enough for count in counts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chat_has_three_decisions_on_every_path(language):
    content = starter_content("chat", language)
    assert content["channel"] == "chat"
    assert min(count.decisions for count in paths(content)) >= 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_genuine_message_is_genuine_and_ignoring_it_misses_out(language):
    content = starter_content("genuine", language)
    assert content["genuine"] is True
    assert "missed-out" in {s.get("outcome") for s in content["steps"]}
    first = content["steps"][0]
    assert first["kind"] == "message" and "red_flags" not in first


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_call_and_the_email_are_on_their_channels(language):
    assert starter_content("call", language)["channel"] == "call"
    email = starter_content("email", language)
    assert email["channel"] == "email"
    spot = next(step for step in email["steps"] if step["kind"] == "spot")
    flagged_fields = {o.get("field") for o in spot["options"] if o["is_flag"]}
    assert {"subject", "address"} <= flagged_fields
    assert spot["subject"] and spot["address"]


@pytest.mark.parametrize("starter", EXAMPLES)
def test_chinese_examples_use_full_width_punctuation(starter):
    for text in _texts(starter_content(starter, "zh-hans")):
        assert not HALF_WIDTH_NEXT_TO_CHINESE.search(text), text


def test_starter_content_is_a_copy():
    starter_content("chat", "en")["steps"].clear()
    starter_content(BLANK, "en")["steps"].clear()
    assert starter_content("chat", "en")["steps"] and starter_content(BLANK, "en")["steps"]


# --- the service --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("starter", EXAMPLES)
def test_each_example_publishes_as_it_is(starter, language):
    topic = make_topic(language=language)
    scenario = scenario_from_starter(
        starter=starter, language=language, topic=topic, title="Try it out"
    )
    assert scenario.status == Scenario.Status.DRAFT and scenario.published_version is None
    assert scenario.title == "Try it out" and scenario.topic == topic
    assert scenario_validate(scenario) == []

    version = scenario_publish(scenario=scenario)

    content = starter_content(starter, language)
    assert version.content["steps"] == scenario_to_dict(scenario)["steps"]
    assert [s["key"] for s in version.content["steps"]] == [s["key"] for s in content["steps"]]
    assert version.content["channel"] == content["channel"]
    assert version.content.get("genuine", False) == content.get("genuine", False)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_blank_scenario_is_one_message_and_one_ending_waiting_for_words(language):
    scenario = scenario_from_starter(
        starter=BLANK, language=language, topic=make_topic(language=language), title="Mine"
    )
    content = scenario_to_dict(scenario)
    assert [(s["kind"], s.get("next")) for s in content["steps"]] == [
        ("message", "end-safe"),
        ("ending", None),
    ]
    assert content["start"] == "m1"
    # Nothing is wrong with how it links up: only the words are missing.
    problems = scenario_validate(scenario)
    assert problems and all(
        re.search(r'missing key "(from|text)"|summary must not be empty', problem)
        for problem in problems
    ), problems


@pytest.mark.django_db
def test_the_web_address_comes_from_the_title_and_is_free_in_its_language():
    en, zh = make_topic(language="en"), make_topic(language="zh-hans")
    first = scenario_from_starter(starter="chat", language="en", topic=en, title="Likes for £5!")
    second = scenario_from_starter(starter="call", language="en", topic=en, title="Likes for £5!")
    other_language = scenario_from_starter(
        starter="chat", language="zh-hans", topic=zh, title="Likes for £5!"
    )
    assert (first.slug, second.slug, other_language.slug) == (
        "likes-for-5",
        "likes-for-5-2",
        "likes-for-5",
    )
    assert first.translation_key == "likes-for-5"


@pytest.mark.django_db
def test_a_title_without_latin_letters_still_gets_a_web_address():
    zh = make_topic(language="zh-hans")
    slugs = [
        scenario_from_starter(
            starter="chat", language="zh-hans", topic=zh, title="点赞一单5元"
        ).slug,
        scenario_from_starter(starter="chat", language="zh-hans", topic=zh, title="刷单兼职").slug,
    ]
    assert slugs == ["scenario-5", "scenario"]
    assert scenario_free_slug(title="__ Hello   World __", language="en") == "hello-world"
    assert len(scenario_free_slug(title="word " * 40, language="en")) <= 80


@pytest.mark.django_db
def test_a_topic_in_another_language_is_refused():
    with pytest.raises(ValueError, match="not 'en'"):
        scenario_from_starter(
            starter="chat", language="en", topic=make_topic(language="zh-hans"), title="T"
        )
    with pytest.raises(ValueError, match="unknown starter"):
        scenario_from_starter(starter="nope", language="en", topic=make_topic(), title="T")
    assert not Scenario.objects.exists()
