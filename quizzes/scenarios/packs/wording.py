"""How validation problems name things: the pack, a step or choice by its key, a value
quoted short, a JSON type in words. Standard library only (the validator is also a CLI)."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}

Labelled = list[tuple[str, dict[str, Any]]]


def pack_prefix(name: str) -> str:
    """Format the pack part that starts every message."""
    return f"pack {quoted(name)}"


def quoted(value: Any, limit: int = 60) -> str:
    """Quote a JSON value for a message, shortening long strings and long lists or objects."""
    if isinstance(value, str):
        if len(value) > limit:
            value = value[: limit - 1] + "…"
        return json.dumps(value, ensure_ascii=False)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_of(noun: str, obj: Any, id_field: str | None, index: int) -> str:
    """Name an object by its slug or key, or by position when it has none usable."""
    if id_field and isinstance(obj, dict) and isinstance(obj.get(id_field), str) and obj[id_field]:
        return f"{noun} {quoted(obj[id_field])}"
    return f"{noun} #{index + 1}"


def labelled(value: Any, noun: str, id_field: str | None) -> Labelled:
    """Return (label, object) for the objects in a list, skipping anything that is not one."""
    if not isinstance(value, list):
        return []
    return [
        (label_of(noun, item, id_field, index), item)
        for index, item in enumerate(value)
        if isinstance(item, dict)
    ]


def prefixed(label: str, problems: Iterable[str]) -> Iterator[str]:
    """Put an object's label in front of each of its problems."""
    return (f"{label}: {problem}" for problem in problems)


def step_kind(step: dict[str, Any]) -> str | None:
    """Return a step's kind if it is a string (it may be any JSON value before validation)."""
    kind = step.get("kind")
    return kind if isinstance(kind, str) else None


def type_name(value: Any) -> str:
    """Name a JSON value's type for a message."""
    if isinstance(value, bool):
        return TYPE_NAMES["boolean"]
    if isinstance(value, int):
        return TYPE_NAMES["integer"]
    names = {dict: "object", list: "array", str: "string", float: "number", type(None): "null"}
    return TYPE_NAMES[names.get(type(value), "null")]


def as_list(value: Any) -> list[Any]:
    """Wrap a single schema keyword value in a list."""
    return value if isinstance(value, list) else [value]
