"""Validate fraud-awareness content packs (format version 1, specified in content-pack.md).

Structural rules live in schema.json; graph and quote rules are checked here. The module only
needs the standard library and jsonschema, so content writers can run it as a CLI without a
configured Django project:

    python -m quizzes.scenarios.packs.validation FILE [FILE...]
"""

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, chain, islice
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from quizzes.scenarios.packs.graph import graph_problems
from quizzes.scenarios.packs.rules import (
    check_item_problems,
    check_item_references,
    duplicate_problems,
    step_problems,
)
from quizzes.scenarios.packs.schema import schema_validator
from quizzes.scenarios.packs.version2 import version_2_problems
from quizzes.scenarios.packs.wording import (
    TYPE_NAMES,
    as_list,
    label_of,
    labelled,
    pack_prefix,
    prefixed,
    quoted,
    type_name,
)

# Limits that keep checking a pack quick whatever the file holds. The shipped packs are about
# 250 KB and nest 7 levels deep (pack, scenarios, scenario, steps, step, choices, choice).
MAX_PACK_BYTES = 5 * 1024 * 1024
MAX_NESTING_DEPTH = 20
# At most this many problems are listed (then a line saying there are more) ...
MAX_PROBLEMS = 50
# ... and checking stops after this many findings, repeats included: 60,000 broken items would
# otherwise take minutes to check and make a list nobody reads.
MAX_FINDINGS = 500
MORE_PROBLEMS = "…and more problems; fix these first"

# Lists whose items are objects that messages should name, keyed by (kind of the containing
# object, list key). Topic red_flags are plain strings, so only a step's red_flags are here.
OBJECT_LISTS: dict[tuple[str | None, str], tuple[str, str | None]] = {
    (None, "topics"): ("topic", "slug"),
    (None, "scenarios"): ("scenario", "slug"),
    (None, "check_items"): ("check item", "key"),
    ("scenario", "steps"): ("step", "key"),
    ("step", "choices"): ("choice", "key"),
    ("step", "options"): ("option", "key"),
    ("step", "red_flags"): ("red flag", None),
}

NON_ENDING_KINDS = frozenset({"message", "narration", "decision", "spot"})
ENDING_HAS_NEXT = "an ending must not have a next step"
DISCUSSION_NOT_DECISION = (
    'only a decision step may have "discussion" (the questions a teacher asks after a decision)'
)


class PackError(Exception):
    """A pack that cannot be imported; ``errors`` lists the problems found (see validate_pack:
    at most MAX_PROBLEMS of them, then a last line ending in MORE_PROBLEMS if there are more)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors

    @property
    def more(self) -> bool:
        """Whether checking stopped before the end, so the pack has more problems than listed."""
        return bool(self.errors) and self.errors[-1].endswith(MORE_PROBLEMS)


# --- parsing ----------------------------------------------------------------------------------


def parse_pack(raw: bytes, *, name: str) -> dict[str, Any]:
    """Decode and parse raw pack bytes; raise PackError unless they hold one JSON object."""
    prefix = pack_prefix(name)
    if len(raw) > MAX_PACK_BYTES:
        raise PackError([f"{prefix}: file is larger than 5 MB (limit {MAX_PACK_BYTES:,} bytes)"])
    try:
        # utf-8-sig: editors on Windows like to add a byte-order mark; it is harmless.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(
            [f"{prefix}: file is not valid UTF-8 (bad byte at offset {exc.start})"]
        ) from None
    # Before parsing: the parser and everything after it recurse once per level, so a file
    # nested 100,000 deep would otherwise end in a RecursionError somewhere.
    if _nesting_depth(text) > MAX_NESTING_DEPTH:
        raise PackError([_too_deep(prefix)])
    duplicate_keys: list[str] = []
    try:
        data = json.loads(
            text,
            object_pairs_hook=_dict_noting_duplicates(duplicate_keys),
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise PackError(
            [f"{prefix}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from None
    except ValueError as exc:
        raise PackError([f"{prefix}: invalid JSON: {exc}"]) from None
    except RecursionError:  # not expected after the depth check, but never a crash
        raise PackError([_too_deep(prefix)]) from None
    if duplicate_keys:
        # json.loads would silently keep the last value, hiding e.g. a second "next".
        raise PackError(
            _at_most(
                prefix,
                (f"key {quoted(key)} appears twice in one JSON object" for key in duplicate_keys),
            )
        )
    if not isinstance(data, dict):
        raise PackError([f"{prefix}: the top level must be a JSON object, not {type_name(data)}"])
    return data


# A JSON string, escapes included; the closing quote is optional so that an unterminated string
# still matches in one pass (no backtracking over the rest of the file).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _nesting_depth(text: str) -> int:
    """How deeply lists and objects nest in JSON text, found without recursion: drop the
    strings, keep the brackets, and take the highest running count of open ones."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


def _too_deep(prefix: str) -> str:
    return (
        f"{prefix}: invalid JSON: lists and objects are nested more than {MAX_NESTING_DEPTH} "
        "levels deep (a content pack needs 7)"
    )


def _dict_noting_duplicates(
    duplicates: list[str],
) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """Build an object_pairs_hook that records keys occurring twice in one object."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        counts = Counter(key for key, _ in pairs)
        duplicates.extend(key for key, count in counts.items() if count > 1)
        return dict(pairs)

    return hook


def _reject_constant(token: str) -> Any:
    """Refuse NaN and Infinity, which Python's json accepts but JSON does not."""
    raise ValueError(f"{token} is not allowed in JSON")


# --- validation -------------------------------------------------------------------------------


def validate_pack(
    data: dict[str, Any],
    *,
    name: str,
    existing_topic_slugs: AbstractSet[str] = frozenset(),
) -> list[str]:
    """Return the problems of a parsed pack as readable messages; empty when it is valid.

    Every problem is listed up to MAX_PROBLEMS; past that (or past MAX_FINDINGS findings,
    repeats included) checking stops and a last line says that there are more.
    """
    prefix = pack_prefix(name)
    # Lazily, so checking stops early: a pack can hold tens of thousands of broken objects.
    errors = list(islice(schema_validator().iter_errors(data), MAX_FINDINGS + 1))
    problems = chain(
        _schema_problems(data, errors[:MAX_FINDINGS]),
        _code_problems(data, existing_topic_slugs),
    )
    return _at_most(prefix, problems, more=len(errors) > MAX_FINDINGS)


def _at_most(prefix: str, problems: Iterable[str], *, more: bool = False) -> list[str]:
    """Prefix and list the problems, each once, stopping at MAX_PROBLEMS different ones or
    MAX_FINDINGS in all; a last line says so if there were more."""
    # One mistake can trip the same rule twice (e.g. two choices into one cycle); say it once.
    listed: dict[str, None] = {}
    for count, problem in enumerate(problems, start=1):
        line = f"{prefix}: {problem}"
        if count > MAX_FINDINGS or (line not in listed and len(listed) == MAX_PROBLEMS):
            more = True
            break
        listed[line] = None
    return [*listed, f"{prefix}: {MORE_PROBLEMS}"] if more else list(listed)


def load_pack_file(
    path: str | os.PathLike[str], *, existing_topic_slugs: AbstractSet[str] = frozenset()
) -> dict[str, Any]:
    """Read, parse and validate a pack file; raise PackError listing every problem."""
    path = Path(path)
    with path.open("rb") as fh:
        # Reading one byte past the limit is enough for parse_pack to refuse a huge file.
        raw = fh.read(MAX_PACK_BYTES + 1)
    data = parse_pack(raw, name=path.name)
    errors = validate_pack(data, name=path.name, existing_topic_slugs=existing_topic_slugs)
    if errors:
        raise PackError(errors)
    return data


# --- schema errors, made readable -------------------------------------------------------------


def _schema_problems(data: Any, errors: list[ValidationError]) -> Iterator[str]:
    """Translate JSON Schema errors, in file order, into messages naming objects by slug or key."""
    for error in sorted(errors, key=_error_sort_key):
        yield from _describe_schema_error(data, error)


def _error_sort_key(error: ValidationError) -> tuple[list[tuple[int, Any]], str]:
    """Order by location; tag each path part so list indexes and keys never get compared."""
    path = [(0, part) if isinstance(part, int) else (1, str(part)) for part in error.absolute_path]
    return path, error.message


def _describe_schema_error(data: Any, error: ValidationError) -> list[str]:
    """Turn one schema error into one or more messages (one per unknown or missing key)."""
    labels, field = _locate(data, list(error.absolute_path))
    subject = field or "value"
    # Typed "Any | Unset": set on every error a validator yields.
    instance: Any = error.instance
    rule = error.validator
    value: Any = error.validator_value

    if rule == "additionalProperties" and isinstance(instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        texts = [_unknown_key_text(instance, key) for key in instance if key not in allowed]
    elif rule == "required" and isinstance(instance, dict):
        texts = [f"missing key {quoted(key)}" for key in value if key not in instance]
    elif rule == "type":
        expected = " or ".join(TYPE_NAMES.get(t, t) for t in as_list(value))
        # A whole object of the wrong type has no field name: "step #3: must be an object".
        texts = [f"{field or ''} must be {expected}, not {type_name(instance)}".lstrip()]
    elif rule == "enum":
        texts = [f"{subject} {quoted(instance)} is not one of: {', '.join(map(str, value))}"]
    elif rule == "const":
        texts = [f"{subject} must be {json.dumps(value)}, not {quoted(instance)}"]
    elif rule == "pattern":  # the schema's only pattern is the slug pattern
        texts = [
            f"{subject} {quoted(instance)} is not a valid slug "
            "(lowercase letters, digits and single hyphens only)"
        ]
    elif rule == "minLength" and value == 1:
        texts = [f"{subject} must not be empty"]
    elif rule in ("minLength", "maxLength"):
        limit = "at least" if rule == "minLength" else "at most"
        texts = [f"{subject} is {len(instance)} characters long; it must be {limit} {value}"]
    elif rule in ("minItems", "maxItems"):
        limit = "at least" if rule == "minItems" else "at most"
        texts = [f"{subject} has {len(instance)} items; it must have {limit} {value}"]
    elif rule in ("minimum", "maximum"):
        limit = "at least" if rule == "minimum" else "at most"
        texts = [f"{subject} is {instance}; it must be {limit} {value}"]
    else:
        texts = [f"{subject}: {error.message}"]
    if rule in ("additionalProperties", "required") and field:
        # A key of an object inside an object (an attachment, a lesson plan): say whose.
        texts = [f"{field}: {text}" for text in texts]
    return [": ".join([*labels, text]) for text in texts]


def _unknown_key_text(instance: dict[str, Any], key: str) -> str:
    """Explain an unexpected key; an ending's "next" gets its own rule name."""
    if key == "next" and instance.get("kind") == "ending":
        return ENDING_HAS_NEXT
    if key == "discussion" and "kind" in instance:
        return DISCUSSION_NOT_DECISION
    return f"unknown key {quoted(key)}"


def _locate(data: Any, path: list[str | int]) -> tuple[list[str], str | None]:
    """Split a schema error path into object labels (by slug/key) and the field within."""
    labels: list[str] = []
    node = data
    container_kind: str | None = None
    position = 0
    while position + 1 < len(path) and isinstance(node, dict):
        list_key, index = path[position], path[position + 1]
        described = OBJECT_LISTS.get((container_kind, str(list_key)))
        items = node.get(list_key) if isinstance(list_key, str) else None
        if described is None or not isinstance(items, list) or not isinstance(index, int):
            break
        noun, id_field = described
        node = items[index]
        labels.append(label_of(noun, node, id_field, index))
        container_kind = noun
        position += 2
    rest = path[position:]
    if not rest:
        return labels, None
    field = "".join(
        f" item {part + 1}" if isinstance(part, int) else f".{part}" for part in rest
    ).lstrip(".")
    return labels, field


# --- rules checked in code --------------------------------------------------------------------


def _code_problems(data: Any, existing_topic_slugs: AbstractSet[str]) -> Iterator[str]:
    """Check uniqueness, references, graphs and quotes on whatever is sound enough to check.

    A generator, object by object, so that validate_pack can stop at its limit."""
    if not isinstance(data, dict):
        return
    topics = labelled(data.get("topics"), "topic", "slug")
    scenarios = labelled(data.get("scenarios"), "scenario", "slug")
    items = labelled(data.get("check_items"), "check item", "key")

    yield from duplicate_problems(topics, "slug")
    yield from duplicate_problems(scenarios, "slug")
    yield from duplicate_problems(items, "key")
    known_topics = {slug for _, t in topics if isinstance(slug := t.get("slug"), str)}
    known_topics |= existing_topic_slugs
    if data.get("version") == 1:
        yield from version_2_problems(scenarios, items, topics)
    for label, scenario in scenarios:
        yield from prefixed(label, _scenario_problems(scenario, known_topics))
    twins = {
        key: item.get("is_scam") for _, item in items if isinstance(key := item.get("key"), str)
    }
    for label, item in items:
        yield from prefixed(label, check_item_problems(item))
        yield from prefixed(label, check_item_references(item, known_topics, twins))


def _scenario_problems(scenario: dict[str, Any], known_topics: AbstractSet[str]) -> Iterator[str]:
    """Check a scenario's topic reference, its steps and its step graph."""
    topic = scenario.get("topic")
    if isinstance(topic, str) and topic not in known_topics:
        yield f"topic {quoted(topic)} does not exist (neither in this pack nor already imported)"
    steps = labelled(scenario.get("steps"), "step", "key")
    yield from duplicate_problems(steps, "key")
    for label, step in steps:
        yield from prefixed(label, step_problems(step))
    yield from graph_problems(scenario.get("start"), steps)
    if scenario.get("genuine") is True and not any(
        step.get("kind") == "ending" and step.get("outcome") == "missed-out" for _, step in steps
    ):
        yield (
            'a genuine scenario needs an ending with outcome "missed-out" (what ignoring or '
            "blocking a real message costs)"
        )


# --- command line -----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Validate pack files given on the command line; return 1 if any has a problem."""
    parser = argparse.ArgumentParser(
        prog="python -m quizzes.scenarios.packs.validation",
        description="Check fraud-awareness content packs without importing them.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="content pack JSON file")
    args = parser.parse_args(argv)

    failed = False
    for file in args.files:
        try:
            data = load_pack_file(file)
        except PackError as exc:
            failed = True
            print("\n".join(exc.errors))
        except OSError as exc:
            failed = True
            print(f"{pack_prefix(file)}: cannot read file: {exc.strerror}")
        else:
            print(
                f"OK {file}: {len(data['topics'])} topics, {len(data['scenarios'])} scenarios, "
                f"{len(data['check_items'])} check items"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
