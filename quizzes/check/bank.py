"""The check's item bank split into three parallel forms (A, B, C) of whole matched pairs.

Each form gets whole pairs (a scam and its genuine twin), balanced by fraud type (topic),
channel and tactic, with mean text lengths within 10 % of each other. The split is computed
from the bank, the same every time for the same bank: pairs are dealt in order and then swapped
between forms while a swap makes the forms more alike. Which form a student takes before,
after and later follows a 3 × 3 Latin square, so across a class every form is used equally at
every time point and form difficulty cancels out.

Works on items in content-pack form (dicts), so the audit can check a pack file and the
services the database (``CheckItem`` rows turned into dicts by ``item_dict``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from statistics import mean
from typing import Any

FORMS = ("a", "b", "c")
# Rows of a Latin square: the forms of the before, after and later checks.
ORDERS = (("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b"))

# Limits of a balanced split (docs/content-pack.md, "Content audit").
MAX_COUNT_GAP = 1  # topics and channels: counts per form differ by at most this
MAX_TACTIC_GAP = 2  # tactics (a pair can have several)
MAX_LENGTH_GAP = 0.10  # mean text length of a form within 10 % of every other form's


@dataclass(frozen=True)
class Pair:
    key: str  # the scam's key (or the item's own, for a pair missing its twin)
    items: tuple[dict[str, Any], ...]
    topic: str
    channel: str
    tactics: tuple[str, ...]

    @property
    def length(self) -> float:
        return mean(len(i.get("text", "")) for i in self.items)


def item_dict(item: Any) -> dict[str, Any]:
    """A CheckItem row as the fields the bank needs."""
    return {
        "key": item.key,
        "pair": item.pair,
        "topic": item.topic,
        "channel": item.channel,
        "tactics": list(item.tactics),
        "text": item.text,
        "is_scam": item.is_scam,
    }


def pairs_of(items: Iterable[dict[str, Any]]) -> list[Pair]:
    """Matched pairs (both twins present and naming each other); others are left out."""
    by_key = {i["key"]: i for i in items}
    pairs = []
    for item in by_key.values():
        twin = by_key.get(item.get("pair") or "")
        if not item["is_scam"] or twin is None or twin.get("pair") != item["key"]:
            continue
        pairs.append(
            Pair(
                key=item["key"],
                items=(item, twin),
                topic=item.get("topic") or "",
                channel=item["channel"],
                tactics=tuple(sorted(set(item.get("tactics") or []))),
            )
        )
    return sorted(pairs, key=lambda p: (p.topic, p.channel, p.key))


def _gap_cost(counts: list[int], allowed: int) -> float:
    """Small for an uneven spread, large past what the balance limits allow."""
    gap = max(counts) - min(counts)
    return gap**2 + 100 * max(0, gap - allowed) ** 2


def _imbalance(forms: Sequence[list[Pair]], overall_length: float) -> float:
    score = 0.0
    for attribute in ("topic", "channel"):
        for value in {getattr(p, attribute) for form in forms for p in form}:
            counts = [sum(getattr(p, attribute) == value for p in form) for form in forms]
            score += _gap_cost(counts, MAX_COUNT_GAP)
    tactics = {t for form in forms for p in form for t in p.tactics}
    for tactic in tactics:
        counts = [sum(tactic in p.tactics for p in form) for form in forms]
        score += 0.5 * _gap_cost(counts, MAX_TACTIC_GAP)
    if overall_length:
        lengths = [mean(p.length for p in form) for form in forms if form]
        spread = (max(lengths) - min(lengths)) / overall_length
        score += 400 * spread**2 + 10_000 * max(0.0, spread - MAX_LENGTH_GAP * 0.9) ** 2
    return score


def build_forms(items: Iterable[dict[str, Any]]) -> dict[str, list[Pair]]:
    """The bank's pairs split into forms A, B and C (sizes differ by at most one pair)."""
    pairs = pairs_of(items)
    forms: list[list[Pair]] = [[], [], []]
    for index, pair in enumerate(pairs):  # snake order: a b c c b a a b c ...
        row, column = divmod(index, 3)
        forms[column if row % 2 == 0 else 2 - column].append(pair)
    if pairs:
        overall = mean(p.length for p in pairs)
        best = _imbalance(forms, overall)
        improved = True
        while improved:
            improved = False
            for first, second in combinations(range(3), 2):
                for i in range(len(forms[first])):
                    for j in range(len(forms[second])):
                        a, b = forms[first][i], forms[second][j]
                        forms[first][i], forms[second][j] = b, a
                        trial = _imbalance(forms, overall)
                        if trial < best - 1e-9:
                            best, improved = trial, True
                        else:
                            forms[first][i], forms[second][j] = a, b
    return {
        name: sorted(form, key=lambda p: p.key) for name, form in zip(FORMS, forms, strict=True)
    }


def balance_problems(forms: dict[str, list[Pair]]) -> list[str]:
    """How the forms break the balance limits, in words (empty: balanced)."""
    problems = []
    lists = [forms[name] for name in FORMS]
    for attribute, label in (("topic", "fraud type"), ("channel", "channel")):
        for value in sorted({getattr(p, attribute) for form in lists for p in form}):
            counts = [sum(getattr(p, attribute) == value for p in form) for form in lists]
            if max(counts) - min(counts) > MAX_COUNT_GAP:
                problems.append(f"{label} {value!r}: {counts} pairs in forms A, B, C")
    for tactic in sorted({t for form in lists for p in form for t in p.tactics}):
        counts = [sum(tactic in p.tactics for p in form) for form in lists]
        if max(counts) - min(counts) > MAX_TACTIC_GAP:
            problems.append(f"tactic {tactic!r}: {counts} pairs in forms A, B, C")
    lengths = [mean(p.length for p in form) for form in lists if form]
    if len(lengths) == 3 and (max(lengths) - min(lengths)) > MAX_LENGTH_GAP * min(lengths):
        shown = ", ".join(f"{length:.0f}" for length in lengths)
        problems.append(f"mean text length {shown} differs by more than 10 %")
    return problems


def form_items(forms: dict[str, list[Pair]], form: str) -> list[dict[str, Any]]:
    return [item for pair in forms[form] for item in pair.items]


def rotation(row: int) -> tuple[str, str, str]:
    """The forms of the before, after and later checks for Latin-square row ``row``."""
    return ORDERS[row % len(ORDERS)]
