"""Spaced boosters: a short round of practice on the tactics a student is due to review.

A tactic is due INTERVALS_DAYS[n] days after the student last met it, where n is the number of
booster rounds since their last mistake on it in which they answered it right: about 1, 4 and
12 weeks; after three such reviews it is not due again until the next mistake. A teacher's
booster sent to the class is due for every member who has not started a round since.

``schedule`` is plain Python over ``Mark`` and ``Review`` records, so the rules are tested
with a moved clock and no database; the readers load what they need in a fixed number of
queries (for one student or for a whole class).
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from awareness.models import User
from quizzes.models import Attempt, Booster, ClassBooster, PracticeAnswer, Tactic
from quizzes.play.mastery import Mark, Mastery, marks_for
from quizzes.play.selectors import published_scenarios
from quizzes.scenarios import engine

INTERVALS_DAYS = (7, 28, 84)
BOOSTER_STEPS = 4


@dataclass(frozen=True)
class Review:
    """A finished booster round: the tactics answered right in it, and those answered wrong."""

    finished_at: datetime
    right: frozenset[str]
    wrong: frozenset[str]


@dataclass(frozen=True)
class TacticDue:
    tactic: str
    last_seen: datetime
    reviews: int
    due_at: datetime | None  # None: reviewed enough, not due until the next mistake


def schedule(marks: Iterable[Mark], reviews: Iterable[Review]) -> dict[str, TacticDue]:
    """When each tactic the student has met is next due for a booster."""
    seen: dict[str, datetime] = {}
    wrong: dict[str, datetime] = {}
    for mark in marks:
        seen[mark.tactic] = max(seen.get(mark.tactic, mark.at), mark.at)
        if not mark.right:
            wrong[mark.tactic] = max(wrong.get(mark.tactic, mark.at), mark.at)
    done = list(reviews)
    result = {}
    for tactic, last_seen in seen.items():
        last_wrong = wrong.get(tactic)
        count = sum(
            1
            for r in done
            if tactic in r.right
            and tactic not in r.wrong
            and (last_wrong is None or r.finished_at > last_wrong)
        )
        due_at = (
            last_seen + timedelta(days=INTERVALS_DAYS[count])
            if count < len(INTERVALS_DAYS)
            else None
        )
        result[tactic] = TacticDue(tactic, last_seen, count, due_at)
    return result


@dataclass
class BoosterStatus:
    """Whether a booster is due for a student, why, and the round to resume if one is open."""

    due_tactics: list[str] = field(default_factory=list)
    sent: bool = False  # a teacher sent the class a booster since the student's last round
    next_due_at: datetime | None = None
    open_booster: Booster | None = None
    rounds_finished: int = 0

    @property
    def due(self) -> bool:
        return bool(self.due_tactics) or self.sent or self.open_booster is not None

    @property
    def due_labels(self) -> list[str]:
        labels = dict(Tactic.choices)
        return [str(labels[t]) for t in self.due_tactics if t in labels]


def status_from(
    marks: list[Mark],
    boosters: list[Booster],
    answers: dict[int, list[tuple[bool, list[str]]]],
    sent_at: datetime | None,
    now: datetime,
) -> BoosterStatus:
    """``answers`` maps a booster to its answers as (right, tactics of the step)."""
    reviews = []
    for booster in boosters:
        if booster.finished_at is None:
            continue
        right = {t for ok, tactics in answers.get(booster.pk, []) if ok for t in tactics}
        missed = {t for ok, tactics in answers.get(booster.pk, []) if not ok for t in tactics}
        reviews.append(Review(booster.finished_at, frozenset(right), frozenset(missed)))
    plan = schedule(marks, reviews)
    due = sorted(
        (d for d in plan.values() if d.due_at is not None and d.due_at <= now),
        key=lambda d: (d.due_at, d.tactic),
    )
    upcoming = [d.due_at for d in plan.values() if d.due_at is not None and d.due_at > now]
    last_started = max((b.started_at for b in boosters), default=None)
    open_booster = next((b for b in boosters if b.finished_at is None), None)
    return BoosterStatus(
        due_tactics=[d.tactic for d in due],
        sent=sent_at is not None and (last_started is None or sent_at > last_started),
        next_due_at=min(upcoming, default=None),
        open_booster=open_booster,
        rounds_finished=len(reviews),
    )


# --- reading ---------------------------------------------------------------------------------


def _item_tactics(booster: Booster) -> dict[tuple[int, str], list[str]]:
    return {(i["version"], i["step"]): i.get("tactics", []) for i in booster.items}


def statuses_for(
    user_ids: Iterable[int], marks: dict[int, list[Mark]] | None = None
) -> dict[int, BoosterStatus]:
    """Booster status for each student (a class), in three queries plus those of ``marks_for``
    when ``marks`` is not given."""
    ids = list(user_ids)
    marks = marks if marks is not None else marks_for(ids)
    boosters: dict[int, list[Booster]] = {pk: [] for pk in ids}
    by_pk: dict[int, Booster] = {}
    for booster in Booster.objects.filter(user__in=ids).order_by("-started_at", "-id"):
        boosters[booster.user_id].append(booster)
        by_pk[booster.pk] = booster
    answers: dict[int, list[tuple[bool, list[str]]]] = {}
    for booster_id, version_id, step_key, right in PracticeAnswer.objects.filter(
        user__in=ids, booster__finished_at__isnull=False
    ).values_list("booster_id", "version_id", "step_key", "is_safe"):
        tactics = _item_tactics(by_pk[booster_id]).get((version_id, step_key), [])
        answers.setdefault(booster_id, []).append((right, tactics))
    sent = dict(
        ClassBooster.objects.filter(classroom__memberships__student__in=ids)
        .values("classroom__memberships__student")
        .annotate(last=Max("created_at"))
        .values_list("classroom__memberships__student", "last")
        .order_by()
    )
    now = timezone.now()
    return {pk: status_from(marks[pk], boosters[pk], answers, sent.get(pk), now) for pk in ids}


def status_of(user: User, marks: list[Mark] | None = None) -> BoosterStatus:
    return statuses_for([user.pk], None if marks is None else {user.pk: marks})[user.pk]


# --- drawing a round -------------------------------------------------------------------------


def step_tactics(step: dict[str, Any]) -> list[str]:
    """The tactics a decision tests, or those of a spot step's red flags."""
    if step["kind"] == "decision":
        return list(step.get("tactics", []))
    if step["kind"] == "spot":
        return sorted(
            {o["tactic"] for o in step["options"] if o.get("is_flag") and o.get("tactic")}
        )
    return []


def wanted_tactics(status: BoosterStatus, mastery: Mastery) -> list[str]:
    """Due tactics first, then the weakest met ones, then those never met."""
    wanted = list(status.due_tactics)
    for row in mastery.weakest + [r for r in mastery.rows if not r.overall.answers]:
        if row.tactic not in wanted:
            wanted.append(row.tactic)
    return wanted


def draw(
    user: User, language: str, wanted: list[str], rng: random.Random | None = None
) -> list[dict[str, Any]]:
    """Up to BOOSTER_STEPS decision or spot steps testing the wanted tactics, one per scenario:
    from scenarios the student has not played first (their earliest steps, which need the
    least lead-up), then from played ones. Two queries."""
    rng = rng or random.SystemRandom()
    played = set(Attempt.objects.filter(user=user).order_by().values_list("scenario_id", flat=True))
    candidates = []
    for scenario in published_scenarios(language).select_related("published_version"):
        version = scenario.published_version
        if version is None:
            continue
        content = version.content
        for step in content["steps"]:
            tactics = step_tactics(step)
            if not tactics:
                continue
            depth = len(engine.path_to(content, step["key"]))
            if depth == 0:
                continue
            item = {"version": version.pk, "step": step["key"], "tactics": tactics}
            candidates.append((scenario.pk in played, depth, rng.random(), scenario.pk, item))
    candidates.sort(key=lambda c: c[:3])
    chosen: list[dict[str, Any]] = []
    used: set[int] = set()
    for tactic in wanted:
        if len(chosen) >= BOOSTER_STEPS:
            break
        pick = next((c for c in candidates if c[3] not in used and tactic in c[4]["tactics"]), None)
        if pick is not None:
            used.add(pick[3])
            chosen.append(pick[4])
    for c in candidates:
        if len(chosen) >= BOOSTER_STEPS:
            break
        if c[3] not in used:
            used.add(c[3])
            chosen.append(c[4])
    return chosen
