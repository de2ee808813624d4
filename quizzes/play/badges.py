"""Badges earned for discernment, never for clicking or for failing: each trick mastered, a real
(genuine) scenario handled right, a sharp "after" or "later" check, a booster streak, mistakes
tried again and got right, every red flag found in several scenarios.

A badge is computed from the student's history (no table of its own), so it also says when it
was earned. The rules are plain functions over plain records (``Play``, ``Measure``,
``Round``, ``Retry`` and the ``Mark`` records of quizzes.play.mastery), tested with a moved
clock; ``history_for`` loads the records of one student or of a whole class in a fixed number
of queries (``marks_for``'s four, unless the caller already has the marks, plus four).

A replay after feedback is not discernment: the scenario badges count only the first time a
student played each scenario (its earliest attempt), since the feedback and the recap show
what was real and where the red flags were.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from django.db.models import Exists, OuterRef, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awareness.models import User
from quizzes.check import scoring
from quizzes.models import (
    Answer,
    Attempt,
    Booster,
    CheckAnswer,
    CheckSession,
    Outcome,
    PracticeAnswer,
    ScenarioVersion,
    Tactic,
)
from quizzes.play.mastery import (
    MASTERED_RIGHT,
    SHAKY_DAYS,
    TACTICS,
    Mark,
    marks_for,
    mastery_from,
)

# "Sharp eye": d′ (quizzes/check/scoring.py) in an "after" or "later" check at least this high.
# 1.5 is about 77 % of scams caught with 23 % of real messages flagged, or better.
SHARP_EYE_D_PRIME = 1.5
# "Booster streak": this many finished rounds in a row, each started at least a day and within
# BOOSTER_GAP_DAYS after the one before (spaced, not three in one sitting), and each with at
# least BOOSTER_RIGHT_SHARE of its steps right.
BOOSTER_STREAK = 3
BOOSTER_GAP_DAYS = 14
BOOSTER_MIN_GAP = timedelta(days=1)
BOOSTER_RIGHT_SHARE = 0.5
# "Second look": this many different mistakes tried again and answered right.
SECOND_LOOK = 5
# "Flag finder": spot steps with every flag found and nothing harmless ticked, in this many
# different scenarios.
FLAG_FINDER = 3

MEASURES = (CheckSession.Kind.PRE, CheckSession.Kind.POST, CheckSession.Kind.LATER)
AFTER_MEASURES = (CheckSession.Kind.POST, CheckSession.Kind.LATER)
# The badges that are not one per trick, in the order they are shown.
SPECIAL = ("genuine", "sharp-eye", "flag-finder", "second-look", "booster-streak")


# --- the records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Play:
    """One attempt at a scenario."""

    scenario_id: int
    title: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str  # "" while in progress
    genuine: bool  # the version played was a genuine (real, not scam) scenario
    perfect_spot_at: datetime | None  # the first spot step with every flag and nothing else


@dataclass(frozen=True)
class Measure:
    """A finished "before", "after" or "later" check and its signal-detection score."""

    kind: str
    finished_at: datetime
    score: scoring.CheckScore

    @property
    def right(self) -> int:
        return self.score.hits + self.score.correct_rejections

    @property
    def total(self) -> int:
        return self.score.scams + self.score.genuine

    @property
    def percent(self) -> int | None:
        return round(100 * self.right / self.total) if self.total else None


@dataclass(frozen=True)
class Round:
    """A finished booster round."""

    started_at: datetime
    finished_at: datetime
    steps: int
    right: int


@dataclass(frozen=True)
class Retry:
    """A mistake tried again and answered right."""

    version_id: int
    step_key: str
    at: datetime


@dataclass
class History:
    marks: list[Mark] = field(default_factory=list)
    plays: list[Play] = field(default_factory=list)  # oldest first
    measures: list[Measure] = field(default_factory=list)  # oldest first
    rounds: list[Round] = field(default_factory=list)
    retries: list[Retry] = field(default_factory=list)

    def first_plays(self) -> list[Play]:
        """Each scenario's earliest attempt."""
        first: dict[int, Play] = {}
        for play in sorted(self.plays, key=lambda p: p.started_at):
            first.setdefault(play.scenario_id, play)
        return list(first.values())

    def completed(self) -> list[Play]:
        """One play per scenario finished at least once (its first finish), in that order."""
        done: dict[int, Play] = {}
        for play in sorted(
            (p for p in self.plays if p.finished_at is not None),
            key=lambda p: p.finished_at or p.started_at,
        ):
            done.setdefault(play.scenario_id, play)
        return list(done.values())

    def latest_measure(self, *kinds: str) -> Measure | None:
        found = [m for m in self.measures if m.kind in kinds]
        return max(found, key=lambda m: m.finished_at) if found else None


# --- the rules -------------------------------------------------------------------------------


# A mistake makes a trick "shaky" while now - its time <= SHAKY_DAYS: just after, it no longer does.
_SHAKY_OVER = timedelta(days=SHAKY_DAYS, microseconds=1)


def mastered_at(marks: Iterable[Mark], tactic: str, now: datetime) -> datetime | None:
    """When ``tactic`` was first "mastered" by the rules of quizzes.play.mastery, judged at each
    moment its state can change: each answer, and each mistake ceasing to be recent. Earned
    once, kept: a later mistake makes the trick shaky in the grid, not the badge undone."""
    own = sorted((m for m in marks if m.tactic == tactic and m.at <= now), key=lambda m: m.at)
    times = [m.at for m in own]
    moments = sorted({*times, *(m.at + _SHAKY_OVER for m in own if not m.right)})
    right = 0
    channels: set[str] = set()
    counted = 0
    for moment in (t for t in moments if t <= now):
        end = bisect_right(times, moment)
        for mark in own[counted:end]:
            right += mark.right
            if mark.right:
                channels.add(mark.channel)
        counted = end
        if right < MASTERED_RIGHT or len(channels) < 2:
            continue  # cannot be mastered yet, whatever the rates (saves the full rule)
        row = next(r for r in mastery_from(own[:end], now=moment).rows if r.tactic == tactic)
        if row.state == "mastered":
            return moment
    return None


def genuine_at(history: History) -> datetime | None:
    """A genuine scenario played for the first time and finished with the safe outcome."""
    return min(
        (
            p.finished_at
            for p in history.first_plays()
            if p.genuine and p.outcome == Outcome.SAFE and p.finished_at is not None
        ),
        default=None,
    )


def sharp_eye_at(history: History) -> datetime | None:
    """An "after" or "later" check with d′ of at least SHARP_EYE_D_PRIME."""
    return min(
        (
            m.finished_at
            for m in history.measures
            if m.kind in AFTER_MEASURES and m.score.d_prime >= SHARP_EYE_D_PRIME
        ),
        default=None,
    )


def flag_finder_at(history: History) -> datetime | None:
    """Every flag and nothing harmless in a spot step of FLAG_FINDER different scenarios,
    each the first time it was played."""
    found = sorted(p.perfect_spot_at for p in history.first_plays() if p.perfect_spot_at)
    return found[FLAG_FINDER - 1] if len(found) >= FLAG_FINDER else None


def second_look_at(history: History) -> datetime | None:
    """SECOND_LOOK different mistakes tried again and answered right."""
    first: dict[tuple[int, str], datetime] = {}
    for retry in history.retries:
        key = (retry.version_id, retry.step_key)
        first[key] = min(first.get(key, retry.at), retry.at)
    times = sorted(first.values())
    return times[SECOND_LOOK - 1] if len(times) >= SECOND_LOOK else None


def booster_streak_at(history: History) -> datetime | None:
    """BOOSTER_STREAK finished rounds in a row, each at least BOOSTER_RIGHT_SHARE right and
    started a day to BOOSTER_GAP_DAYS after the previous one: when the streak's last round
    ended."""
    gap = timedelta(days=BOOSTER_GAP_DAYS)
    streak: list[Round] = []
    for done in sorted(history.rounds, key=lambda r: r.started_at):
        if done.steps == 0 or done.right < BOOSTER_RIGHT_SHARE * done.steps:
            streak = []  # a round mostly wrong breaks the streak: no badge for clicking through
            continue
        if streak and done.started_at - streak[-1].started_at < BOOSTER_MIN_GAP:
            continue  # another round the same day: practice, but not spacing
        if streak and done.started_at - streak[-1].started_at > gap:
            streak = []
        streak.append(done)
        if len(streak) >= BOOSTER_STREAK:
            return max(r.finished_at for r in streak[-BOOSTER_STREAK:])
    return None


_RULES = {
    "genuine": genuine_at,
    "sharp-eye": sharp_eye_at,
    "flag-finder": flag_finder_at,
    "second-look": second_look_at,
    "booster-streak": booster_streak_at,
}


# --- the badges ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    key: str  # one of SPECIAL, or "mastered" for a trick's badge
    earned_at: datetime | None
    tactic: str = ""

    @property
    def earned(self) -> bool:
        return self.earned_at is not None

    @property
    def name(self) -> str:
        if self.tactic:
            label = dict(Tactic.choices).get(self.tactic, self.tactic)
            return _("Seen through: %(trick)s") % {"trick": label}
        return {
            "genuine": _("A real one, handled right"),
            "sharp-eye": _("Sharp eye"),
            "flag-finder": _("Flag finder"),
            "second-look": _("Second look"),
            "booster-streak": _("Booster streak"),
        }[self.key]

    @property
    def how(self) -> str:
        """How the badge is earned, shown whether it is earned or not."""
        if self.tactic:
            return ngettext(
                "Master this trick: right at least %(n)d time, on two channels or more, mostly "
                "right, and no mistake with it in the last %(days)d days.",
                "Master this trick: right at least %(n)d times, on two channels or more, mostly "
                "right, and no mistake with it in the last %(days)d days.",
                MASTERED_RIGHT,
            ) % {"n": MASTERED_RIGHT, "days": SHAKY_DAYS}
        if self.key == "genuine":
            return _(
                "Some scenarios are real, not scams. Play one the first time and end it safely: "
                "check through an official route, then act."
            )
        if self.key == "sharp-eye":
            return _(
                "In the after or the later spot-the-scam check, tell scams from real messages "
                "with a discernment score (d′) of %(level)s or more."
            ) % {"level": formats.number_format(SHARP_EYE_D_PRIME, 1)}
        if self.key == "flag-finder":
            return ngettext(
                "Find every red flag, and tick nothing harmless, in a spot step of %(n)d "
                "scenario the first time you play it.",
                "Find every red flag, and tick nothing harmless, in a spot step of %(n)d "
                "different scenarios, the first time you play each.",
                FLAG_FINDER,
            ) % {"n": FLAG_FINDER}
        if self.key == "second-look":
            return ngettext(
                "Try %(n)d of your mistakes again and get it right.",
                "Try %(n)d of your mistakes again and get them right.",
                SECOND_LOOK,
            ) % {"n": SECOND_LOOK}
        return ngettext(
            "Finish %(n)d booster round with at least half right, each started within %(days)d "
            "days of the one before.",
            "Finish %(n)d booster rounds in a row, each with at least half right and started "
            "on another day, within %(days)d days of the one before.",
            BOOSTER_STREAK,
        ) % {"n": BOOSTER_STREAK, "days": BOOSTER_GAP_DAYS}


@dataclass(frozen=True)
class Badges:
    special: list[Badge]  # in SPECIAL order
    tactics: list[Badge]  # one per trick, in Tactic order

    @property
    def all(self) -> list[Badge]:
        return self.special + self.tactics

    @property
    def earned(self) -> list[Badge]:
        return [b for b in self.all if b.earned]

    @property
    def tactics_earned(self) -> list[Badge]:
        return [b for b in self.tactics if b.earned]


def badges_from(history: History, now: datetime | None = None) -> Badges:
    """Every badge, earned or not, with the moment it was earned."""
    now = now or timezone.now()

    def until_now(moment: datetime | None) -> datetime | None:
        return moment if moment is not None and moment <= now else None

    return Badges(
        special=[Badge(key, until_now(_RULES[key](history))) for key in SPECIAL],
        tactics=[
            Badge("mastered", mastered_at(history.marks, tactic, now), tactic) for tactic in TACTICS
        ],
    )


# --- reading ---------------------------------------------------------------------------------


def history_for(
    user_ids: Iterable[int], marks: dict[int, list[Mark]] | None = None
) -> dict[int, History]:
    """The records the badges and the certificate need, for each student: four queries, plus
    the four of ``marks_for`` when ``marks`` is not given (/progress/ has them already)."""
    ids = list(user_ids)
    marks = marks if marks is not None else marks_for(ids)
    histories = {pk: History(marks=list(marks.get(pk, []))) for pk in ids}
    for user_id, play in _plays(ids):
        histories[user_id].plays.append(play)
    for user_id, measure in _measures(ids):
        histories[user_id].measures.append(measure)
    for user_id, started, finished, steps, right in (
        Booster.objects.filter(user_id__in=ids, finished_at__isnull=False)
        .order_by()
        .values_list("user_id", "started_at", "finished_at", "position", "right")
    ):
        # Filtered on finished_at__isnull=False, so finished is set.
        histories[user_id].rounds.append(Round(started, cast(datetime, finished), steps, right))
    for user_id, version_id, step_key, at in (
        PracticeAnswer.objects.filter(
            user_id__in=ids, source=PracticeAnswer.Source.MISTAKE, is_safe=True
        )
        .order_by()
        .values_list("user_id", "version_id", "step_key", "created_at")
    ):
        histories[user_id].retries.append(Retry(version_id, step_key, at))
    return histories


def _plays(ids: list[int]) -> list[tuple[int, Play]]:
    """Every attempt with its scenario's title, whether the version was genuine and its first
    perfect spot answer: one query."""
    perfect = (
        Answer.objects.filter(
            attempt=OuterRef("pk"),
            kind="spot",
            flags_found__gt=0,
            flags_missed=0,
            wrongly_flagged=0,
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    genuine = ScenarioVersion.objects.filter(pk=OuterRef("version_id"), content__genuine=True)
    rows = (
        Attempt.objects.filter(user_id__in=ids)
        .annotate(genuine=Exists(genuine), perfect_spot_at=Subquery(perfect))
        .order_by("started_at", "id")
        .values_list(
            "user_id",
            "scenario_id",
            "scenario__published_title",
            "started_at",
            "finished_at",
            "outcome",
            "genuine",
            "perfect_spot_at",
        )
    )
    return [
        (user_id, Play(scenario_id, title, started, finished, outcome, genuine, perfect_at))
        for user_id, scenario_id, title, started, finished, outcome, genuine, perfect_at in rows
    ]


def _measures(ids: list[int]) -> list[tuple[int, Measure]]:
    """Every finished "before", "after" and "later" check, scored: one query."""
    rows = (
        CheckAnswer.objects.filter(
            session__user_id__in=ids,
            session__kind__in=MEASURES,
            session__finished_at__isnull=False,
        )
        .order_by("session__finished_at", "session_id", "position")
        .values_list(
            "session__user_id",
            "session_id",
            "session__kind",
            "session__finished_at",
            "says_scam",
            "is_correct",
            "confidence",
        )
    )
    sessions: dict[int, tuple[int, str, datetime]] = {}
    ratings: dict[int, list[scoring.Rating]] = defaultdict(list)
    for user_id, session_id, kind, finished, says_scam, is_correct, confidence in rows:
        # Filtered on finished sessions, so finished is set.
        sessions[session_id] = (user_id, kind, cast(datetime, finished))
        # As CheckAnswer.item_is_scam: what the item was when answered.
        ratings[session_id].append(scoring.Rating(says_scam == is_correct, says_scam, confidence))
    return [
        (user_id, Measure(kind, finished, scoring.score(ratings[session_id])))
        for session_id, (user_id, kind, finished) in sessions.items()
    ]


def badges_of(
    user: User, marks: Sequence[Mark] | None = None, now: datetime | None = None
) -> Badges:
    """A student's badges (for /progress/, which passes the marks it has already read)."""
    given = None if marks is None else {user.pk: list(marks)}
    return badges_from(history_for([user.pk], given)[user.pk], now)
