"""What pack format version 2 adds (docs/content-pack.md, "Version 2 additions"), so that a
version 1 pack using any of it is told to say "version": 2. Standard library only (the
validator is also a CLI)."""

from collections.abc import Iterator
from typing import Any

from quizzes.scenarios.packs.wording import Labelled, labelled, quoted

# What version 2 adds (docs/content-pack.md): a version 1 pack may not use it.
VERSION_2_FIELDS = ("genuine", "address", "verified", "subject", "url", "attachment", "field")
# A step's own "channel" (a project extension beside version 2's chrome; a scenario always has
# one) and a decision's "discussion" questions for the class.
VERSION_2_STEP_FIELDS = ("channel", "discussion")
# A topic's "lesson_plan" (a 15- and a 40-minute lesson).
VERSION_2_TOPIC_FIELDS = ("lesson_plan",)
VERSION_2_VALUES = {"outcome": {"missed-out"}, "tactic": {"threat", "lookalike"}}


def version_2_uses(obj: dict[str, Any], *, step: bool = False) -> list[str]:
    fields = VERSION_2_FIELDS + VERSION_2_STEP_FIELDS if step else VERSION_2_FIELDS
    used = [f'"{key}"' for key in fields if key in obj]
    used += [
        f'"{key}" on a check item' for key in ("topic", "pair") if key in obj and "is_scam" in obj
    ]
    for key, values in VERSION_2_VALUES.items():
        found = obj.get(key)
        if isinstance(found, str) and found in values:
            used.append(f"{key} {quoted(found)}")
    for key in ("tactics",):
        found_list = obj.get(key)
        if isinstance(found_list, list):
            used += [f"tactic {quoted(t)}" for t in found_list if t in VERSION_2_VALUES["tactic"]]
    return used


def version_2_problems(
    scenarios: Labelled, items: Labelled, topics: Labelled | None = None
) -> Iterator[str]:
    """Each object of a version 1 pack that uses something only version 2 has."""

    def problems(label: str, obj: dict[str, Any], *, step: bool = False) -> Iterator[str]:
        if used := version_2_uses(obj, step=step):
            yield f'{label}: {", ".join(used)} needs "version": 2'

    for label, topic in topics or []:
        if used := [f'"{key}"' for key in VERSION_2_TOPIC_FIELDS if key in topic]:
            yield f'{label}: {", ".join(used)} needs "version": 2'
    for label, scenario in scenarios:
        yield from problems(label, scenario)
        for step_label, step in labelled(scenario.get("steps"), "step", "key"):
            yield from problems(f"{label}, {step_label}", step, step=True)
            for part in ("red_flags", "options", "choices"):
                for part_label, obj in labelled(step.get(part), part.rstrip("s"), None):
                    yield from problems(f"{label}, {step_label}, {part_label}", obj)
    for label, item in items:
        yield from problems(label, item)
