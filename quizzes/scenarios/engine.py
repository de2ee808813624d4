"""Pure functions over a frozen scenario (content-pack form): walking the graph, judging
answers and marking red flags. No database access, so the same rules serve attempts, previews
and tests."""

import random
from dataclasses import dataclass
from functools import cache
from typing import Any

STOP_KINDS = frozenset({"decision", "spot", "ending"})
# Steps that are part of the simulated conversation (a spot step is a message to check).
MESSAGE_KINDS = frozenset({"message", "narration", "spot"})


def steps_by_key(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["key"]: step for step in content["steps"]}


def run_to_stop(content: dict[str, Any], key: str) -> list[str]:
    """Keys from ``key`` through messages and narration to the next stop (decision, spot, end)."""
    steps = steps_by_key(content)
    keys = [key]
    while steps[key]["kind"] not in STOP_KINDS:
        key = steps[key]["next"]
        keys.append(key)
    return keys


def _links(step: dict[str, Any]) -> list[str]:
    if step["kind"] == "decision":
        return [choice["next"] for choice in step["choices"]]
    return [step["next"]] if "next" in step else []


def path_to(content: dict[str, Any], key: str) -> list[str]:
    """The keys of a shortest walk from the start to ``key`` (included); [] if unreachable.
    Practice shows a step out of its attempt with the lead-up of this walk."""
    steps = steps_by_key(content)
    came_from: dict[str, str | None] = {content["start"]: None}
    queue = [content["start"]]
    for current in queue:
        if current == key:
            walk: list[str] = []
            node: str | None = current
            while node is not None:
                walk.append(node)
                node = came_from[node]
            return walk[::-1]
        for nxt in _links(steps[current]):
            if nxt not in came_from:
                came_from[nxt] = current
                queue.append(nxt)
    return []


def decisions_remaining(content: dict[str, Any], key: str) -> int:
    """The fewest decision and spot steps between ``key`` (included) and any ending."""
    steps = steps_by_key(content)

    @cache
    def fewest(k: str) -> int:
        step = steps[k]
        if step["kind"] == "ending":
            return 0
        own = 1 if step["kind"] in {"decision", "spot"} else 0
        return own + min(fewest(n) for n in _links(step))

    return fewest(key)


def answered_count(content: dict[str, Any], path: list[str]) -> int:
    """Decisions and spot steps already answered: every one the path has moved past."""
    steps = steps_by_key(content)
    return sum(1 for key in path[:-1] if steps[key]["kind"] in {"decision", "spot"})


@dataclass(frozen=True)
class SpotResult:
    found: list[str]
    missed: list[str]
    wrong: list[str]

    @property
    def all_found(self) -> bool:
        return not self.missed and not self.wrong


def judge_spot(step: dict[str, Any], selected: list[str]) -> SpotResult:
    chosen = set(selected)
    flags = [o["key"] for o in step["options"] if o["is_flag"]]
    harmless = [o["key"] for o in step["options"] if not o["is_flag"]]
    return SpotResult(
        found=[k for k in flags if k in chosen],
        missed=[k for k in flags if k not in chosen],
        wrong=[k for k in harmless if k in chosen],
    )


def red_flags(step: dict[str, Any]) -> list[dict[str, Any]]:
    """The red flags of a message (quote, field, why, tactic); a spot step's are its flag
    options. A flag with a ``field`` quotes the channel's chrome (address, subject, url,
    attachment) rather than the text."""
    if step["kind"] == "spot":
        return [
            {
                "quote": o["quote"],
                "field": o.get("field", ""),
                "why": o["why"],
                "tactic": o.get("tactic", ""),
            }
            for o in step["options"]
            if o["is_flag"]
        ]
    return step.get("red_flags", [])


# --- the order options are shown in -------------------------------------------------------


def _options(step: dict[str, Any]) -> list[dict[str, Any]]:
    if step["kind"] == "decision":
        return step["choices"]
    return step.get("options", []) if step["kind"] == "spot" else []


def shuffled_order(
    content: dict[str, Any], rng: random.Random | None = None
) -> dict[str, list[str]]:
    """A random order for the options of every decision and spot step, keyed by step: drawn
    once per attempt and stored with it, so that the position of an option tells nothing and a
    reload or a resumed attempt shows the same order."""
    rng = rng or random.SystemRandom()
    order = {}
    for step in content["steps"]:
        keys = [option["key"] for option in _options(step)]
        if len(keys) > 1:
            order[step["key"]] = rng.sample(keys, len(keys))
    return order


def in_shown_order(step: dict[str, Any], order: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The step's options in the attempt's order; options it does not name (an attempt started
    before orders were stored) keep the pack's order, after the named ones."""
    options = _options(step)
    position = {key: index for index, key in enumerate(order.get(step["key"], []))}
    return sorted(options, key=lambda option: position.get(option["key"], len(position)))


def find_choice(step: dict[str, Any], choice_key: str) -> dict[str, Any] | None:
    return next((c for c in step.get("choices", []) if c["key"] == choice_key), None)


def mark_quotes(text: str, marks: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Split ``text`` into (segment, mark) pairs; each quote's first free occurrence is marked.

    ``marks`` pairs a quote with whatever the template needs (a number, a state); unmarked
    segments carry None. Overlapping quotes keep the earlier one.
    """
    spans: list[tuple[int, int, Any]] = []
    for quote, mark in marks:
        start = text.find(quote)
        while start != -1 and any(s < start + len(quote) and start < e for s, e, _ in spans):
            start = text.find(quote, start + 1)
        if start != -1 and quote:
            spans.append((start, start + len(quote), mark))
    spans.sort(key=lambda span: span[0])
    segments: list[tuple[str, Any]] = []
    position = 0
    for start, end, mark in spans:
        if start > position:
            segments.append((text[position:start], None))
        segments.append((text[start:end], mark))
        position = end
    if position < len(text):
        segments.append((text[position:], None))
    return segments


class InvalidAnswer(Exception):
    """The submitted answer does not fit the step (unknown choice, no options ticked...)."""


@dataclass(frozen=True)
class Judged:
    """What answering a step means: its verdict and the keys shown up to the next stop."""

    kind: str
    choice_key: str
    selected: list[str]
    is_safe: bool
    found: int
    missed: int
    wrong: int
    next_path: list[str]


def judge(content: dict[str, Any], step_key: str, choice_key: str, selected: list[str]) -> Judged:
    """Judge an answer to a decision or spot step; raise InvalidAnswer if it does not fit."""
    step = steps_by_key(content)[step_key]
    if step["kind"] == "decision":
        choice = find_choice(step, choice_key)
        if choice is None:
            raise InvalidAnswer("choice")
        return Judged(
            kind="decision",
            choice_key=choice_key,
            selected=[],
            is_safe=choice["safe"],
            found=0,
            missed=0,
            wrong=0,
            next_path=run_to_stop(content, choice["next"]),
        )
    if step["kind"] == "spot":
        chosen = sorted(set(selected))
        if not chosen or not set(chosen) <= {o["key"] for o in step["options"]}:
            raise InvalidAnswer("options")
        result = judge_spot(step, chosen)
        return Judged(
            kind="spot",
            choice_key="",
            selected=chosen,
            is_safe=result.all_found,
            found=len(result.found),
            missed=len(result.missed),
            wrong=len(result.wrong),
            next_path=run_to_stop(content, step["next"]),
        )
    raise InvalidAnswer("kind")
