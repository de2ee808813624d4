"""The rules of one object checked in code (the schema cannot say them): unique keys, a safe
way out of every decision, quotes that occur where they say, spot steps that mix flags with
harmless phrases, check items whose topic and twin exist. Standard library and jsonschema
only (the validator is also a CLI)."""

from collections import Counter
from collections.abc import Set as AbstractSet
from functools import cache
from typing import Any, TypeGuard, cast

from quizzes.scenarios.packs.schema import schema_validator
from quizzes.scenarios.packs.wording import Labelled, labelled, quoted


def duplicate_problems(objects: Labelled, id_field: str) -> list[str]:
    """Report each slug or key used by more than one object of the same list."""
    counts = Counter(obj[id_field] for _, obj in objects if isinstance(obj.get(id_field), str))
    reported: set[str] = set()
    problems = []
    for label, obj in objects:
        value = obj.get(id_field)
        if isinstance(value, str) and counts[value] > 1 and value not in reported:
            reported.add(value)
            problems.append(f"{label}: duplicate {id_field} (used {counts[value]} times)")
    return problems


def step_problems(step: dict[str, Any]) -> list[str]:
    """Check the rules particular to one step's kind."""
    kind = step.get("kind")
    if kind == "message":
        return _red_flag_problems(step)
    if kind == "decision":
        return _decision_problems(step)
    if kind == "spot":
        return _spot_problems(step)
    return []


def _quoted_in(step: dict[str, Any], field: Any) -> tuple[Any, str]:
    """The text a quote must occur in (the step text, or the field it names) and its name."""
    if field is None:
        return step.get("text"), "the step text"
    if field == "attachment":
        attachment = step.get("attachment")
        if not isinstance(attachment, dict):
            return None, "the attachment"
        parts = [attachment.get("title"), attachment.get("text")]
        return "\n".join(p for p in parts if isinstance(p, str)), "the attachment"
    return step.get(field), f"the step's {field}"


def _quote_problem(step: dict[str, Any], obj: dict[str, Any]) -> str | None:
    """Why this red flag's or option's quote cannot be highlighted where it says, if so."""
    quote, field = obj.get("quote"), obj.get("field")
    if not isinstance(quote, str) or (field is not None and not isinstance(field, str)):
        return None
    source, name = _quoted_in(step, field)
    if field is not None and not source:
        return f"quotes {name}, which the step does not have"
    if quotable(source) and quote not in source:
        return f"quote {quoted(quote)} does not occur verbatim in {name}"
    return None


def _red_flag_problems(step: dict[str, Any]) -> list[str]:
    """Every red-flag quote must be highlightable, so it must occur verbatim in the text (or
    in the field of the channel's chrome that it names)."""
    return [
        f"{label}: {problem}"
        for label, flag in labelled(step.get("red_flags"), "red flag", None)
        if (problem := _quote_problem(step, flag))
    ]


def _decision_problems(step: dict[str, Any]) -> list[str]:
    """Choice keys are unique and a player always has at least one safe way out."""
    choices = labelled(step.get("choices"), "choice", "key")
    problems = duplicate_problems(choices, "key")
    if choices and not any(choice.get("safe") is True for _, choice in choices):
        problems.append("no choice is safe (a decision needs at least one safe choice)")
    return problems


def _spot_problems(step: dict[str, Any]) -> list[str]:
    """Options are unique, quote the text verbatim, and mix flags with harmless phrases."""
    options = labelled(step.get("options"), "option", "key")
    problems = duplicate_problems(options, "key")
    for label, option in options:
        if problem := _quote_problem(step, option):
            problems.append(f"{label}: {problem}")
        if option.get("is_flag") is True and "tactic" not in option:
            problems.append(f"{label}: a flag option needs a tactic")
    if isinstance(step.get("options"), list):
        if not any(option.get("is_flag") is True for _, option in options):
            problems.append("no option is a flag (a spot step needs at least one)")
        if not any(option.get("is_flag") is False for _, option in options):
            problems.append("every option is a flag (a spot step needs a harmless one too)")
    return problems


def quotable(text: Any) -> TypeGuard[str]:
    """Whether quotes are looked for in this step text. Not in one longer than the schema
    allows (already reported): thousands of quotes searched in a text of megabytes is slow."""
    return isinstance(text, str) and len(text) <= text_limit()


@cache
def text_limit() -> int:
    """The longest step text the schema allows."""
    schema = cast(dict[str, Any], schema_validator().schema)  # schema.json is an object
    return int(schema["$defs"]["text"]["maxLength"])


def check_item_problems(item: dict[str, Any]) -> list[str]:
    """A scam item must say which tactics give it away, or the feedback has nothing to teach."""
    if item.get("is_scam") is True and item.get("tactics") == []:
        return ["a scam item must name at least one tactic"]
    return []


def check_item_references(
    item: dict[str, Any], known_topics: AbstractSet[str], twins: dict[str, Any]
) -> list[str]:
    """A check item's topic exists, and its twin exists and is of the other kind."""
    problems = []
    topic, pair = item.get("topic"), item.get("pair")
    if isinstance(topic, str) and topic not in known_topics:
        problems.append(f"topic {quoted(topic)} does not exist")
    if isinstance(pair, str):
        if pair == item.get("key") or pair not in twins:
            problems.append(f"pair {quoted(pair)} names no other check item of this pack")
        elif twins[pair] == item.get("is_scam"):
            problems.append(
                f"pair {quoted(pair)} must be a genuine message if this is a scam, or a scam if not"
            )
    return problems
