"""Mastery per tactic × channel, from every decision, spot option and check item a student
answered. Recent answers weigh more (a half-life of HALF_LIFE_DAYS); a tactic is "mastered"
after MASTERED_RIGHT right answers on at least two channels at a weighted rate of at least
MASTERED_RATE with no mistake in the last SHAKY_DAYS, and "shaky" after a recent mistake.

``mastery_of(user)`` reads the answers in a fixed number of queries (attempts with their
answers, the versions they were played on, check answers with their items); the rest is
plain Python over ``Mark`` records, so the rules are tested without a database.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from awareness.models import User
from quizzes.models import (
    Answer,
    Channel,
    CheckAnswer,
    PracticeAnswer,
    Scenario,
    ScenarioVersion,
    Tactic,
)
from quizzes.scenarios import engine

HALF_LIFE_DAYS = 30
MASTERED_RIGHT = 4
MASTERED_RATE = 0.8
SHAKY_DAYS = 14
CHANNELS = list(Channel.values)
TACTICS = list(Tactic.values)


@dataclass(frozen=True)
class Mark:
    """One answer that shows (or not) that a tactic was seen through, on one channel."""

    tactic: str
    channel: str
    right: bool
    at: datetime


@dataclass
class Cell:
    right: float = 0.0  # weighted
    total: float = 0.0  # weighted
    answers: int = 0

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(100 * rate)

    @property
    def level(self) -> str:
        """A colour band (and its text label in the template): none, low, mid, high."""
        rate = self.rate
        if rate is None:
            return "none"
        return "high" if rate >= MASTERED_RATE else "mid" if rate >= 0.5 else "low"


@dataclass
class TacticRow:
    tactic: str
    label: str
    cells: list[Cell]
    state: str = "not-met"  # not-met, learning, shaky, mastered
    overall: Cell = field(default_factory=Cell)


@dataclass
class Mastery:
    rows: list[TacticRow]
    channels: list[tuple[str, str]]

    @property
    def weakest(self) -> list[TacticRow]:
        """The three tactics most in need of practice: met but weakest first."""
        met = [row for row in self.rows if row.overall.answers]
        met.sort(key=lambda row: (row.overall.rate or 0.0, row.label))
        return [row for row in met if row.state != "mastered"][:3]

    @property
    def answered(self) -> bool:
        return any(row.overall.answers for row in self.rows)


def weight(at: datetime, now: datetime) -> float:
    age = max(0.0, (now - at).total_seconds() / 86400)
    return 0.5 ** (age / HALF_LIFE_DAYS)


def mastery_from(marks: Iterable[Mark], now: datetime | None = None) -> Mastery:
    now = now or timezone.now()
    labels = dict(Tactic.choices)
    by_tactic: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.tactic in labels and mark.channel in CHANNELS:
            by_tactic[mark.tactic].append(mark)
    rows = []
    for tactic in TACTICS:
        cells = {channel: Cell() for channel in CHANNELS}
        row = TacticRow(tactic, str(labels[tactic]), [cells[c] for c in CHANNELS])
        found = by_tactic.get(tactic, [])
        for mark in found:
            w = weight(mark.at, now)
            for cell in (cells[mark.channel], row.overall):
                cell.total += w
                cell.right += w * mark.right
                cell.answers += 1
        row.state = _state(found, row.overall, now)
        rows.append(row)
    return Mastery(rows, [(c, str(Channel(c).label)) for c in CHANNELS])


def _state(marks: list[Mark], overall: Cell, now: datetime) -> str:
    if not marks:
        return "not-met"
    if any(not m.right and now - m.at <= timedelta(days=SHAKY_DAYS) for m in marks):
        return "shaky"
    right_channels = {m.channel for m in marks if m.right}
    right = sum(m.right for m in marks)
    if (
        right >= MASTERED_RIGHT
        and len(right_channels) >= 2
        and (overall.rate or 0) >= MASTERED_RATE
    ):
        return "mastered"
    return "learning"


# --- reading a student's answers ------------------------------------------------------------


def marks_of(user: User) -> list[Mark]:
    """Every tactic-bearing answer of the student: decisions (the tactics each tests), spot
    options that were flags (found or missed), practice answers (a mistake tried again, a
    booster step) and scam check items (caught or not)."""
    return marks_for([user.pk])[user.pk]


def marks_for(user_ids: Iterable[int]) -> dict[int, list[Mark]]:
    """``marks_of`` for several students at once (a class), in four queries in all."""
    ids = list(user_ids)
    marks: dict[int, list[Mark]] = {pk: [] for pk in ids}
    answers = list(
        Answer.objects.filter(attempt__user__in=ids)
        .values_list(
            "attempt__user_id",
            "attempt__version_id",
            "step_key",
            "is_safe",
            "selected",
            "created_at",
        )
        .order_by()
    )
    practice = list(
        PracticeAnswer.objects.filter(user__in=ids)
        .values_list("user_id", "version_id", "step_key", "is_safe", "selected", "created_at")
        .order_by()
    )
    played = answers + practice
    versions = dict(
        ScenarioVersion.objects.filter(pk__in={row[1] for row in played})
        .values_list("pk", "content")
        .order_by()
    )
    steps = {pk: engine.steps_by_key(content) for pk, content in versions.items()}
    for user_id, version_id, step_key, is_safe, selected, at in played:
        content = versions.get(version_id)
        step = steps[version_id].get(step_key) if content is not None else None
        if content is not None and step is not None:
            marks[user_id] += step_marks(content, step, is_safe, selected, at)
    checks = (
        CheckAnswer.objects.filter(session__user__in=ids)
        .values_list(
            *("session__user_id", "item__tactics", "item__channel"),
            *("says_scam", "is_correct", "created_at"),
        )
        .order_by()
    )
    for owner, tactics, channel, says_scam, is_correct, at in checks:
        # Scam items only (what the item was when answered: CheckAnswer.item_is_scam).
        if says_scam == is_correct and owner in marks:
            marks[owner] += [Mark(t, channel, says_scam, at) for t in tactics]
    return marks


def step_marks(
    content: dict, step: dict, is_safe: bool, selected: list[str], at: datetime
) -> list[Mark]:
    """The marks one answer to a decision or spot ``step`` of ``content`` gives."""
    channel = step.get("channel") or content["channel"]
    if step["kind"] == "decision":
        return [Mark(t, channel, is_safe, at) for t in step.get("tactics", [])]
    if step["kind"] == "spot":
        chosen = set(selected)
        return [
            Mark(o["tactic"], channel, o["key"] in chosen, at)
            for o in step.get("options", [])
            if o.get("is_flag") and o.get("tactic")
        ]
    return []


@dataclass(frozen=True)
class Practice:
    """For a weak tactic: a published scenario that tests it and the student has not finished."""

    row: TacticRow
    scenario: Scenario | None


def mastery_of(user: User) -> Mastery:
    return mastery_from(marks_of(user))


def practice_for(mastery: Mastery, published: list[Scenario], finished: set[int]) -> list[Practice]:
    """What to play next for each of the three weakest tactics: a scenario of ``published``
    (with their ``published_tactics``) that tests it and is not among the ``finished`` ones.
    No query: /progress/ has read both (quizzes.play.selectors.student_progress)."""
    weakest = mastery.weakest
    if not weakest:
        return []
    candidates = [(s, set(s.published_tactics)) for s in published if s.pk not in finished]
    chosen: set[int] = set()
    result = []
    for row in weakest:
        pick = next(
            (s for s, tested in candidates if s.pk not in chosen and row.tactic in tested),
            None,
        )
        if pick is not None:
            chosen.add(pick.pk)
        result.append(Practice(row, pick))
    return result
