"""The content audit: figures that show whether a pack can be passed by test-wiseness instead
of discernment (the longest option is the safe one, the safe one comes first, every story is a
scam, a careful player sees the story end at once, most spot options are flags).

Pure functions over packs in content-pack form, so the same figures serve the
``audit_content`` command, its tests and anyone reading a pack.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from quizzes.check.audit import BankAudit, audit_bank

# Limits a shipped pack must meet (docs/content-pack.md, "Content audit").
MAX_LONGEST_IS_SAFE = 0.45
# The reverse cue: writers who shorten safe options to pass the limit above must not make
# "pick the shortest" work instead (chance is about 45 % on the shipped packs).
MAX_SHORTEST_IS_SAFE = 0.50
MIN_GENUINE = 0.30
MIN_PATH_DECISIONS = 3  # or 2 decisions and a spot step
MAX_FLAG_OPTIONS = 0.60


@dataclass(frozen=True)
class PathCount:
    decisions: int
    spots: int

    @property
    def long_enough(self) -> bool:
        """At least 3 decisions, or 2 decisions and a spot step."""
        return self.decisions >= MIN_PATH_DECISIONS or (
            self.decisions == MIN_PATH_DECISIONS - 1 and self.spots > 0
        )


@dataclass
class PackAudit:
    language: str
    scenarios: int = 0
    genuine: int = 0
    decisions: int = 0
    longest_is_safe: int = 0
    shortest_is_safe: int = 0
    safe_first: int = 0
    spot_options: int = 0
    flag_options: int = 0
    check_items: int = 0
    check_scams: int = 0
    shortest_path: int | None = None  # fewest decisions on any path of any scenario
    short_path_scenarios: list[str] = field(default_factory=list)
    bank: BankAudit | None = None  # the check items' forms and cues (when the pack has items)

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def longest_is_safe_share(self) -> float:
        return self.share(self.longest_is_safe, self.decisions)

    @property
    def shortest_is_safe_share(self) -> float:
        return self.share(self.shortest_is_safe, self.decisions)

    @property
    def safe_first_share(self) -> float:
        return self.share(self.safe_first, self.decisions)

    @property
    def genuine_share(self) -> float:
        return self.share(self.genuine, self.scenarios)

    @property
    def flag_share(self) -> float:
        return self.share(self.flag_options, self.spot_options)

    def problems(self) -> list[str]:
        """Each limit the pack breaks, in words (empty: the pack passes)."""
        problems = []
        if self.longest_is_safe_share > MAX_LONGEST_IS_SAFE:
            problems.append(
                f"the safe choice is the longest option in {self.longest_is_safe_share:.0%} of "
                f"decisions (at most {MAX_LONGEST_IS_SAFE:.0%})"
            )
        if self.shortest_is_safe_share > MAX_SHORTEST_IS_SAFE:
            problems.append(
                f"the safe choice is the shortest option in {self.shortest_is_safe_share:.0%} of "
                f"decisions (at most {MAX_SHORTEST_IS_SAFE:.0%})"
            )
        if self.genuine_share < MIN_GENUINE:
            problems.append(
                f"{self.genuine_share:.0%} of scenarios are genuine (at least {MIN_GENUINE:.0%})"
            )
        if self.short_path_scenarios:
            problems.append(
                f"{len(self.short_path_scenarios)} scenario(s) have a path with fewer than "
                f"{MIN_PATH_DECISIONS} decisions (or 2 and a spot step): "
                + ", ".join(self.short_path_scenarios)
            )
        if self.flag_share > MAX_FLAG_OPTIONS:
            problems.append(
                f"{self.flag_share:.0%} of spot options are flags (at most {MAX_FLAG_OPTIONS:.0%})"
            )
        if self.bank is not None:
            problems += self.bank.problems()
        return problems


def paths(scenario: dict[str, Any]) -> Iterator[PathCount]:
    """Decisions and spot steps on every path from the start to an ending (loops are walked
    once: going round again only adds decisions)."""
    steps = {step["key"]: step for step in scenario.get("steps", [])}

    def walk(key: str, seen: frozenset[str], decisions: int, spots: int) -> Iterator[PathCount]:
        step = steps.get(key)
        if step is None or key in seen:
            return
        seen = seen | {key}
        kind = step.get("kind")
        if kind == "ending":
            yield PathCount(decisions, spots)
        elif kind == "decision":
            for choice in step.get("choices", []):
                yield from walk(choice.get("next", ""), seen, decisions + 1, spots)
        else:
            yield from walk(step.get("next", ""), seen, decisions, spots + (kind == "spot"))

    yield from walk(scenario.get("start", ""), frozenset(), 0, 0)


def _longest_is_safe(choices: list[dict[str, Any]]) -> bool:
    """The single longest option (no tie) is a safe one."""
    lengths = sorted((len(str(c.get("text", ""))), bool(c.get("safe"))) for c in choices)
    return len(lengths) > 1 and lengths[-1][0] > lengths[-2][0] and lengths[-1][1]


def _shortest_is_safe(choices: list[dict[str, Any]]) -> bool:
    """The single shortest option (no tie) is a safe one."""
    lengths = sorted((len(str(c.get("text", ""))), not c.get("safe")) for c in choices)
    return len(lengths) > 1 and lengths[0][0] < lengths[1][0] and not lengths[0][1]


def audit_pack(pack: dict[str, Any]) -> PackAudit:
    audit = PackAudit(language=str(pack.get("language", "")))
    for scenario in pack.get("scenarios", []):
        audit.scenarios += 1
        audit.genuine += bool(scenario.get("genuine"))
        for step in scenario.get("steps", []):
            if step.get("kind") == "decision" and step.get("choices"):
                audit.decisions += 1
                audit.longest_is_safe += _longest_is_safe(step["choices"])
                audit.shortest_is_safe += _shortest_is_safe(step["choices"])
                audit.safe_first += bool(step["choices"][0].get("safe"))
            elif step.get("kind") == "spot":
                options = step.get("options", [])
                audit.spot_options += len(options)
                audit.flag_options += sum(1 for o in options if o.get("is_flag"))
        counts = list(paths(scenario))
        if counts:
            fewest = min(c.decisions for c in counts)
            if audit.shortest_path is None or fewest < audit.shortest_path:
                audit.shortest_path = fewest
        if not counts or not all(c.long_enough for c in counts):
            audit.short_path_scenarios.append(str(scenario.get("slug", "?")))
    items = pack.get("check_items", [])
    audit.check_items = len(items)
    audit.check_scams = sum(bool(item.get("is_scam")) for item in items)
    if items:
        audit.bank = audit_bank(items, audit.language)
    return audit
