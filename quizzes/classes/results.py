"""What the teacher's results page is made of: one cell per student and assigned scenario, a
row per student, per-scenario and per-step statistics, and the class's check averages.

Plain data with the arithmetic on it; the queries that fill it are in selectors.py and the
wording and geometry for the page in presenters.py.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from awareness.models import User
from quizzes.check.impact import ClassImpact
from quizzes.check.selectors import CheckScore
from quizzes.models import (
    Assignment,
    Attempt,
    Classroom,
    Membership,
    Outcome,
    Scenario,
)

NOT_STARTED = "not-started"
IN_PROGRESS = Attempt.Status.IN_PROGRESS.value
COMPLETED = Attempt.Status.COMPLETED.value


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


@dataclass
class Cell:
    """One student on one assigned scenario: the attempt that counts and how many there were.

    The attempt that counts is the first one finished (later retries know the answers); if
    none is finished, the latest one in progress.
    """

    assignment: Assignment
    attempt: Attempt | None = None
    attempts: int = 0

    @property
    def status(self) -> str:
        return self.attempt.status if self.attempt else NOT_STARTED

    @property
    def outcome(self) -> str:
        return self.attempt.outcome if self.attempt else ""

    @property
    def safe_rate(self) -> float | None:
        return self.attempt.safe_rate if self.attempt else None

    @property
    def safe_percent(self) -> int | None:
        rate = self.safe_rate
        return None if rate is None else round(100 * rate)

    @property
    def sort_key(self) -> tuple[int, float]:
        rank = {NOT_STARTED: 0, IN_PROGRESS: 1}.get(self.status, 2)
        if self.status == COMPLETED:
            # Harmed (or an unknown outcome) adds nothing, partly harmed 1, safe 2.
            rank += max(Outcome.rank(self.outcome) - 1, 0)
        rate = self.safe_rate
        return rank, -1.0 if rate is None else rate


@dataclass
class StudentRow:
    membership: Membership
    student: User
    label: str
    created_by_teacher: bool
    cells: list[Cell] = field(default_factory=list)
    # The latest finished spot-the-scam checks, before and after (None: not taken).
    check_pre: CheckScore | None = None
    check_post: CheckScore | None = None

    @property
    def check_change(self) -> int | None:
        """After minus before, in percentage points of answers right; None without both."""
        if self.check_pre is None or self.check_post is None:
            return None
        if self.check_pre.accuracy is None or self.check_post.accuracy is None:
            return None
        return self.check_post.accuracy - self.check_pre.accuracy

    @property
    def check_change_size(self) -> int | None:
        change = self.check_change
        return None if change is None else abs(change)

    @property
    def completed(self) -> int:
        return sum(1 for cell in self.cells if cell.status == COMPLETED)

    @property
    def safe_rate(self) -> float | None:
        counted = [cell.attempt for cell in self.cells if cell.attempt]
        decisions = sum(a.decisions for a in counted)
        return sum(a.safe_decisions for a in counted) / decisions if decisions else None

    @property
    def safe_percent(self) -> int | None:
        rate = self.safe_rate
        return None if rate is None else round(100 * rate)


@dataclass
class OptionStat:
    key: str
    text: str
    safe: bool
    count: int = 0
    percent: float = 0.0
    is_top_unsafe: bool = False


@dataclass
class StepStat:
    key: str
    kind: str  # "decision" or "spot"
    prompt: str
    answered: int = 0
    options: list[OptionStat] = field(default_factory=list)

    @property
    def top_unsafe(self) -> OptionStat | None:
        return next((o for o in self.options if o.is_top_unsafe), None)


@dataclass
class ScenarioStats:
    assignment: Assignment
    students: int
    completed: int = 0
    in_progress: int = 0
    outcomes: Counter = field(default_factory=Counter)
    safe_decisions: int = 0
    decisions: int = 0
    steps: list[StepStat] = field(default_factory=list)

    @property
    def scenario(self) -> Scenario:
        return self.assignment.scenario

    @property
    def not_started(self) -> int:
        return self.students - self.completed - self.in_progress

    @property
    def safe_percent(self) -> int | None:
        return round(percent(self.safe_decisions, self.decisions)) if self.decisions else None


@dataclass
class CheckAverage:
    """The class on one kind of check (before or after): totals over the students who took
    it, shown as averages per student."""

    students: int = 0
    hits: int = 0
    scams: int = 0
    false_alarms: int = 0
    genuine: int = 0
    correct: int = 0
    total: int = 0

    def add(self, score: CheckScore) -> None:
        self.students += 1
        self.hits += score.hits
        self.scams += score.scams
        self.false_alarms += score.false_alarms
        self.genuine += score.genuine
        self.correct += score.correct
        self.total += score.total

    def _mean(self, value: int) -> float | None:
        return value / self.students if self.students else None

    @property
    def accuracy(self) -> int | None:
        return round(percent(self.correct, self.total)) if self.total else None

    @property
    def mean_hits(self) -> float | None:
        return self._mean(self.hits)

    @property
    def mean_scams(self) -> float | None:
        return self._mean(self.scams)

    @property
    def mean_false_alarms(self) -> float | None:
        return self._mean(self.false_alarms)

    @property
    def mean_genuine(self) -> float | None:
        return self._mean(self.genuine)


@dataclass
class CheckOverview:
    """The class's before and after averages, and the mean change of the students who took
    both (a difference of the two averages would compare different groups of students)."""

    pre: CheckAverage = field(default_factory=CheckAverage)
    post: CheckAverage = field(default_factory=CheckAverage)
    taken: int = 0  # students who finished at least one check
    both: int = 0
    change_total: int = 0

    @property
    def change(self) -> int | None:
        return round(self.change_total / self.both) if self.both else None

    @property
    def change_size(self) -> int | None:
        change = self.change
        return None if change is None else abs(change)


def check_overview(rows: list[StudentRow]) -> CheckOverview:
    overview = CheckOverview()
    for row in rows:
        if row.check_pre is not None or row.check_post is not None:
            overview.taken += 1
        if row.check_pre is not None:
            overview.pre.add(row.check_pre)
        if row.check_post is not None:
            overview.post.add(row.check_post)
        if row.check_change is not None:
            overview.both += 1
            overview.change_total += row.check_change
    return overview


@dataclass
class ClassResults:
    classroom: Classroom
    assignments: list[Assignment]
    rows: list[StudentRow]
    scenarios: list[ScenarioStats] = field(default_factory=list)
    checks: CheckOverview | None = None  # None when the check scores were not asked for
    impact: ClassImpact | None = None  # d′, AUC, paired change and verdict (with checks)

    @property
    def student_count(self) -> int:
        return len(self.rows)


def step_options(step: dict[str, Any]) -> list[tuple[str, str, bool]]:
    if step["kind"] == "decision":
        return [(c["key"], c["text"], bool(c["safe"])) for c in step["choices"]]
    return [(o["key"], o["quote"], bool(o["is_flag"])) for o in step["options"]]


def step_stats(contents: list[dict[str, Any]], picks: Counter, answered: Counter) -> list[StepStat]:
    """Decision and spot steps with how many picked each option; the published version's
    steps first, then steps only older versions had (if anyone answered them)."""
    stats: dict[str, StepStat] = {}
    for index, content in enumerate(contents):
        for step in content.get("steps", []):
            if step["kind"] not in ("decision", "spot"):
                continue
            if index > 0 and step["key"] not in stats and not answered[step["key"]]:
                continue
            stat = stats.setdefault(
                step["key"], StepStat(key=step["key"], kind=step["kind"], prompt=step["prompt"])
            )
            known = {o.key for o in stat.options}
            for key, text, safe in step_options(step):
                if key not in known and (index == 0 or picks[(step["key"], key)]):
                    stat.options.append(OptionStat(key=key, text=text, safe=safe))
    for stat in stats.values():
        stat.answered = answered[stat.key]
        for option in stat.options:
            option.count = picks[(stat.key, option.key)]
            option.percent = percent(option.count, stat.answered)
        if stat.kind == "decision":
            unsafe = [o for o in stat.options if not o.safe and o.count]
            if unsafe:
                max(unsafe, key=lambda o: o.count).is_top_unsafe = True
    return list(stats.values())


SORTS = ("name", "completed", "rate")


def sort_rows(results: ClassResults, sort: str) -> tuple[str, bool]:
    """Sort the matrix rows in place by ``sort`` ("name", "completed", "rate" or "a<assignment
    id>", with "-" for descending); unknown values sort by name. Returns (key, descending)."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    columns = {f"a{a.pk}": index for index, a in enumerate(results.assignments)}
    if key == "completed":
        results.rows.sort(key=lambda r: (r.completed, r.label.casefold()), reverse=descending)
    elif key == "rate":
        results.rows.sort(
            key=lambda r: (-1.0 if r.safe_rate is None else r.safe_rate, r.label.casefold()),
            reverse=descending,
        )
    elif key in columns:
        index = columns[key]
        results.rows.sort(
            key=lambda r: (r.cells[index].sort_key, r.label.casefold()), reverse=descending
        )
    else:
        key = "name"
        results.rows.sort(key=lambda r: r.label.casefold(), reverse=descending)
    return key, descending
