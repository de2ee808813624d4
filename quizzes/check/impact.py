"""What a class learned, from its students' measured checks (before, after, later): per check
the mean d′, criterion and AUC with 95 % intervals; the paired change before → after and before
→ later with its effect size and a plain verdict; and the tricks the class still misses.

One query for all the answers of the students' latest finished measures; the statistics are in
``quizzes.check.scoring``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from quizzes.check import scoring
from quizzes.models import CheckAnswer, CheckSession, Tactic

MEASURES = ("pre", "post", "later")
# A trick is listed as still missed when the class misses at least this share of its scams.
MISSED_SHARE = 0.3


@dataclass(frozen=True)
class KindFigures:
    kind: str
    d_prime: scoring.Estimate
    criterion: scoring.Estimate
    auc: scoring.Estimate


@dataclass(frozen=True)
class Comparison:
    later_kind: str  # "post" or "later": compared with "pre"
    change: scoring.PairedChange | None  # None: fewer than scoring.MIN_PAIRS students
    pairs: int
    verdict: str


@dataclass(frozen=True)
class MissedTactic:
    tactic: str
    label: str
    missed: int
    seen: int

    @property
    def percent(self) -> int:
        return round(100 * self.missed / self.seen)


@dataclass
class ClassImpact:
    kinds: list[KindFigures] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    missed: list[MissedTactic] = field(default_factory=list)
    scores: dict[int, dict[str, scoring.CheckScore]] = field(default_factory=dict)

    @property
    def taken(self) -> bool:
        return bool(self.kinds)


def class_impact(student_ids: Iterable[int]) -> ClassImpact:
    ids = list(student_ids)
    answers = (
        CheckAnswer.objects.filter(
            session__user_id__in=ids,
            session__kind__in=MEASURES,
            session__finished_at__isnull=False,
        )
        .select_related("item", "session")
        .only(
            *("says_scam", "is_correct", "confidence", "item__tactics"),
            *("session__user_id", "session__kind", "session__finished_at", "session__id"),
        )
        .order_by("session__finished_at", "session_id", "position")
    )
    # Per student and kind, the answers of their latest finished session of that kind.
    latest: dict[tuple[int, str], int] = {}
    by_session: dict[int, list[CheckAnswer]] = defaultdict(list)
    for answer in answers:
        session: CheckSession = answer.session
        latest[(session.user_id or 0, session.kind)] = session.pk
        by_session[session.pk].append(answer)
    impact = ClassImpact()
    for (student, kind), session_id in latest.items():
        shown = by_session[session_id]
        ratings = [scoring.Rating(a.item_is_scam, a.says_scam, a.confidence) for a in shown]
        impact.scores.setdefault(student, {})[kind] = scoring.score(ratings)
    for kind in MEASURES:
        taken = [s[kind] for s in impact.scores.values() if kind in s]
        d, c, a = (
            scoring.estimate([getattr(t, name) for t in taken])
            for name in ("d_prime", "criterion", "auc")
        )
        if d is not None and c is not None and a is not None:
            impact.kinds.append(KindFigures(kind, d, c, a))
    for later_kind in ("post", "later"):
        pairs = [
            (s["pre"], s[later_kind])
            for s in impact.scores.values()
            if {"pre", later_kind} <= set(s)
        ]
        if pairs or later_kind == "post":
            change = scoring.paired_change(pairs)
            impact.comparisons.append(
                Comparison(later_kind, change, len(pairs), scoring.verdict(change))
            )
    impact.missed = _missed_tactics(latest, by_session)
    return impact


def _missed_tactics(
    latest: dict[tuple[int, str], int], by_session: dict[int, list[CheckAnswer]]
) -> list[MissedTactic]:
    """Per trick, how many of the scams using it the class missed in each student's most recent
    measure; the tricks missed at least MISSED_SHARE of the time, most missed first."""
    newest: dict[int, int] = {}
    for kind in ("pre", "post", "later"):  # a later measure replaces an earlier one
        for (student, taken), session_id in latest.items():
            if taken == kind:
                newest[student] = session_id
    seen: dict[str, int] = defaultdict(int)
    missed: dict[str, int] = defaultdict(int)
    for session_id in newest.values():
        for answer in by_session[session_id]:
            if not answer.item_is_scam:
                continue
            for tactic in answer.item.tactics:
                seen[tactic] += 1
                missed[tactic] += not answer.says_scam
    labels = dict(Tactic.choices)
    found = [
        MissedTactic(t, str(labels.get(t, t)), missed[t], seen[t])
        for t in seen
        if missed[t] >= MISSED_SHARE * seen[t] and missed[t] > 0
    ]
    return sorted(found, key=lambda m: (-m.missed / m.seen, m.label))
