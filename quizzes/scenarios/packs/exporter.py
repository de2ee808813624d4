"""Write topics, scenarios and check items of one language as a content pack (docs/content-pack.md).

Keys come out in the documented order and optional empty values are left out, so a pack that
is exported, imported and exported again is byte-for-byte the same file.
"""

import json
from collections.abc import Iterable
from typing import Any

from awareness.models import Topic
from quizzes.models import CheckItem, Scenario
from quizzes.scenarios.chrome import chrome_to_dict
from quizzes.scenarios.packs.version2 import version_2_problems
from quizzes.scenarios.packs.wording import labelled
from quizzes.scenarios.publishing import scenario_to_dict

FORMAT = "fraud-awareness-pack"

# The documented key order of each kind of object; export and canonical_pack follow it.
PACK_KEYS = ("format", "version", "language", "topics", "scenarios", "check_items")
TOPIC_KEYS = (
    *("slug", "title", "summary", "body_markdown", "red_flags", "what_to_do", "min_age"),
    "lesson_plan",  # version 2
)
LESSON_PLAN_KEYS = ("short", "long")  # the 15- and the 40-minute lesson
LESSON_KEYS = ("warm_up", "play", "discuss", "check")
SCENARIO_KEYS = (
    "slug",
    "title",
    "topic",
    "channel",
    "difficulty",
    "genuine",
    "summary",
    "min_age",
    "start",
    "steps",
)
CHROME_KEYS = ("address", "verified", "subject", "url")  # version 2: a channel's chrome
STEP_KEYS = {
    "message": (
        "key",
        "kind",
        "channel",
        "from",
        *CHROME_KEYS,
        "text",
        "attachment",
        "red_flags",
        "next",
    ),
    "narration": ("key", "kind", "text", "next"),
    "decision": ("key", "kind", "prompt", "tactics", "choices", "discussion"),
    "spot": (
        *(
            "key",
            "kind",
            "prompt",
            "channel",
            "from",
            *CHROME_KEYS,
            "text",
            "attachment",
            "options",
            "next",
        ),
    ),
    "ending": ("key", "kind", "outcome", "text"),
}
CHOICE_KEYS = ("key", "text", "safe", "feedback", "next")
OPTION_KEYS = ("key", "quote", "field", "is_flag", "why", "tactic")
RED_FLAG_KEYS = ("quote", "field", "why", "tactic")
CHECK_ITEM_KEYS = (
    *("key", "topic", "pair", "channel", "from", *CHROME_KEYS, "text", "attachment"),
    *("is_scam", "explanation", "tactics"),
)
ATTACHMENT_KEYS = ("kind", "title", "text")

# Optional keys whose empty value (null or []) means the same as leaving the key out. A topic's
# "red_flags" and a check item's "tactics" are required, so they are always written.
_OPTIONAL_MIN_AGE = frozenset({"min_age"})
_OPTIONAL_TOPIC_KEYS = frozenset({"min_age", "lesson_plan"})
_OPTIONAL_STEP_LISTS = frozenset({"red_flags", "tactics", "discussion"})
# Version 2 flags whose false value means the same as leaving the key out.
_OPTIONAL_FLAGS = frozenset({"genuine", "verified"})


def pack_export(*, language: str, scenarios: Iterable[Scenario] | None = None) -> dict[str, Any]:
    """The language's content as a pack dict; given scenarios, only those and their topics."""
    if scenarios is None:
        chosen = list(
            Scenario.objects.filter(language=language)
            .exclude(status=Scenario.Status.ARCHIVED)
            .select_related("topic")
            .order_by("position", "title", "id")
        )
        topics = Topic.objects.filter(language=language)
        items = CheckItem.objects.filter(language=language).order_by("id")
    else:
        chosen = list(dict.fromkeys(scenarios))  # keep the caller's order, drop repeats
        strangers = sorted(s.slug for s in chosen if s.language != language)
        if strangers:
            raise ValueError(f"not in language {language!r}: {', '.join(strangers)}")
        topics = Topic.objects.filter(pk__in={s.topic_id for s in chosen})
        items = CheckItem.objects.none()
    return canonical_pack(
        {
            "format": FORMAT,
            "version": 1,  # canonical_pack says 2 if the pack uses anything version 2 added
            "language": language,
            "topics": [topic_to_dict(t) for t in topics.order_by("position", "title", "id")],
            "scenarios": [scenario_to_dict(s) for s in chosen],
            "check_items": [check_item_to_dict(item) for item in items],
        }
    )


def pack_dumps(pack: dict[str, Any]) -> str:
    """The pack as the text of a pack file: indented, UTF-8 characters kept, final newline."""
    return json.dumps(pack, indent=2, ensure_ascii=False) + "\n"


def topic_to_dict(topic: Topic) -> dict[str, Any]:
    """A topic in pack form."""
    return {
        "slug": topic.slug,
        "title": topic.title,
        "summary": topic.summary,
        "body_markdown": topic.body_markdown,
        "red_flags": list(topic.red_flags),
        "what_to_do": list(topic.what_to_do),
        "min_age": topic.min_age,
        "lesson_plan": dict(topic.lesson_plan),
    }


def check_item_to_dict(item: CheckItem) -> dict[str, Any]:
    """A check item in pack form."""
    return {
        "key": item.key,
        **({"topic": item.topic} if item.topic else {}),
        **({"pair": item.pair} if item.pair else {}),
        "channel": item.channel,
        "from": item.sender,
        **chrome_to_dict(item),
        "text": item.text,
        "is_scam": item.is_scam,
        "explanation": item.explanation,
        "tactics": list(item.tactics),
    }


# --- canonical form ---------------------------------------------------------------------------


def canonical_pack(pack: dict[str, Any]) -> dict[str, Any]:
    """A valid pack with keys in the documented order and empty optional keys left out; its
    version is 2 when it uses anything version 2 added, else 1."""
    canonical = {
        **_ordered(pack, PACK_KEYS),
        "topics": [canonical_topic(t) for t in pack["topics"]],
        "scenarios": [canonical_scenario(s) for s in pack["scenarios"]],
        "check_items": [
            _chrome(_ordered(i, CHECK_ITEM_KEYS, _OPTIONAL_FLAGS)) for i in pack["check_items"]
        ],
    }
    as_version_1 = labelled(canonical["scenarios"], "scenario", "slug")
    items = labelled(canonical["check_items"], "check item", "key")
    topics = labelled(canonical["topics"], "topic", "slug")
    uses_version_2 = next(version_2_problems(as_version_1, items, topics), None)
    canonical["version"] = 2 if uses_version_2 else 1
    return canonical


def canonical_topic(topic: dict[str, Any]) -> dict[str, Any]:
    """A valid pack topic with its keys (and its lesson plan's) in the documented order."""
    data = _ordered(topic, TOPIC_KEYS, _OPTIONAL_TOPIC_KEYS)
    if data.get("lesson_plan"):
        data["lesson_plan"] = canonical_lesson_plan(data["lesson_plan"])
    else:
        data.pop("lesson_plan", None)  # {} means no lesson plan
    return data


def canonical_lesson_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """A valid lesson plan with the lessons and their parts in the documented order."""
    return {
        length: _ordered(plan[length], LESSON_KEYS) for length in LESSON_PLAN_KEYS if length in plan
    }


def canonical_scenario(scenario: dict[str, Any]) -> dict[str, Any]:
    """A valid pack scenario in the form scenario_to_dict gives (and a published version keeps)."""
    return {
        **_ordered(scenario, SCENARIO_KEYS, _OPTIONAL_MIN_AGE | _OPTIONAL_FLAGS),
        "steps": [_step(s) for s in scenario["steps"]],
    }


def _step(step: dict[str, Any]) -> dict[str, Any]:
    data = _chrome(_ordered(step, STEP_KEYS[step["kind"]], _OPTIONAL_STEP_LISTS | _OPTIONAL_FLAGS))
    if "red_flags" in data:
        data["red_flags"] = [_ordered(f, RED_FLAG_KEYS) for f in data["red_flags"]]
    if "choices" in data:
        data["choices"] = [_ordered(c, CHOICE_KEYS) for c in data["choices"]]
    if "options" in data:
        data["options"] = [_ordered(o, OPTION_KEYS) for o in data["options"]]
    return data


def _chrome(data: dict[str, Any]) -> dict[str, Any]:
    if "attachment" in data:
        data["attachment"] = _ordered(data["attachment"], ATTACHMENT_KEYS)
    return data


def _ordered(
    data: dict[str, Any], keys: tuple[str, ...], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Copy the given keys in order, leaving out missing ones and empty optional ones."""
    return {
        key: data[key]
        for key in keys
        if key in data and not (key in optional and data[key] in (None, [], False))
    }
