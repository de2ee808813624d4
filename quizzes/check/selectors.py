"""Reads for the spot-the-scam check: one message page, a session's result, and the before /
after summary that /progress/ and the teacher's results can show."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from awareness.models import User
from quizzes.check import scoring
from quizzes.models import CheckAnswer, CheckItem, CheckSession, Tactic

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How each kind of answer is counted, for annotations over a session's answers.
_HIT = Q(answers__says_scam=True, answers__is_correct=True)
_MISS = Q(answers__says_scam=False, answers__is_correct=False)
_FALSE_ALARM = Q(answers__says_scam=True, answers__is_correct=False)
_CORRECT_REJECTION = Q(answers__says_scam=False, answers__is_correct=True)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class CheckScore:
    """Signal-detection counts for one finished check: scams called scams (hits), scams
    trusted (misses), genuine messages called scams (false alarms) and genuine messages
    trusted (correct rejections)."""

    session_id: int
    kind: str
    form: str
    finished_at: datetime | None
    hits: int = 0
    misses: int = 0
    false_alarms: int = 0
    correct_rejections: int = 0

    @property
    def scams(self) -> int:
        return self.hits + self.misses

    @property
    def genuine(self) -> int:
        return self.false_alarms + self.correct_rejections

    @property
    def total(self) -> int:
        return self.scams + self.genuine

    @property
    def correct(self) -> int:
        return self.hits + self.correct_rejections

    @property
    def hit_rate(self) -> int | None:
        return _percent(self.hits, self.scams)

    @property
    def miss_rate(self) -> int | None:
        return _percent(self.misses, self.scams)

    @property
    def false_alarm_rate(self) -> int | None:
        return _percent(self.false_alarms, self.genuine)

    @property
    def correct_rejection_rate(self) -> int | None:
        return _percent(self.correct_rejections, self.genuine)

    @property
    def accuracy(self) -> int | None:
        return _percent(self.correct, self.total)

    @property
    def kind_label(self) -> "StrOrPromise":
        return CheckSession.Kind(self.kind).label

    def add(self, answer: CheckAnswer) -> None:
        if answer.says_scam:
            if answer.is_correct:
                self.hits += 1
            else:
                self.false_alarms += 1
        elif answer.is_correct:
            self.correct_rejections += 1
        else:
            self.misses += 1


# (count, out of, rate, label, whether a higher value is worse) for each row of a score table.
MEASURES = [
    ("hits", "scams", "hit_rate", _("Scams caught"), False),
    ("correct_rejections", "genuine", "correct_rejection_rate", _("Real messages trusted"), False),
    (
        "false_alarms",
        "genuine",
        "false_alarm_rate",
        _("False alarms: real messages called scams"),
        True,
    ),
    ("misses", "scams", "miss_rate", _("Scams missed"), True),
    ("correct", "total", "accuracy", _("All answers right"), False),
]


def check_score_rows(scores: list[CheckScore]) -> list[dict[str, Any]]:
    """The rows of a score table with one column per score (for example before and after)."""
    return [
        {
            "label": label,
            "warn": warn,
            "cells": [
                {"part": getattr(s, part), "whole": getattr(s, whole), "rate": getattr(s, rate)}
                for s in scores
            ],
        }
        for part, whole, rate, label, warn in MEASURES
    ]


def _owner_filter(user: User | None, visitor_id: str) -> Q:
    if user is not None and user.is_authenticated:
        return Q(user=user)
    return Q(user__isnull=True, visitor_id=visitor_id)


def _latest_finished(owner: Q, kind: str) -> Subquery:
    return Subquery(
        CheckSession.objects.filter(owner, kind=kind, finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .values("pk")[:1]
    )


def check_summary(user: User | None, visitor_id: str = "") -> dict[str, Any] | None:
    """The latest finished "before" and "after" scores of a student or visitor, in one query;
    None when they have finished no check."""
    if (user is None or not user.is_authenticated) and not visitor_id:
        return None
    owner = _owner_filter(user, visitor_id)
    sessions = CheckSession.objects.filter(
        Q(pk=_latest_finished(owner, CheckSession.Kind.PRE))
        | Q(pk=_latest_finished(owner, CheckSession.Kind.POST))
    ).annotate(
        hits=Count("answers", filter=_HIT),
        misses=Count("answers", filter=_MISS),
        false_alarms=Count("answers", filter=_FALSE_ALARM),
        correct_rejections=Count("answers", filter=_CORRECT_REJECTION),
    )
    scores = {
        s.kind: CheckScore(
            session_id=s.pk,
            kind=s.kind,
            form=s.form,
            finished_at=s.finished_at,
            hits=s.hits,
            misses=s.misses,
            false_alarms=s.false_alarms,
            correct_rejections=s.correct_rejections,
        )
        for s in sessions.only("id", "kind", "form", "finished_at")
    }
    if not scores:
        return None
    pre, post = scores.get(CheckSession.Kind.PRE), scores.get(CheckSession.Kind.POST)
    change = None
    if pre is not None and post is not None and pre.accuracy is not None:
        change = (post.accuracy or 0) - pre.accuracy
    shown = [s for s in (pre, post) if s is not None]
    return {
        "pre": pre,
        "post": post,
        "change": change,
        "change_size": abs(change) if change is not None else None,
        "scores": shown,
        "rows": check_score_rows(shown),
    }


def classroom_check_scores(
    student_ids: Iterable[int],
) -> dict[int, dict[str, CheckScore | None]]:
    """Each student's latest finished "before" and "after" scores, in one query whatever the
    number of students: ``{student id: {"pre": CheckScore | None, "post": CheckScore | None}}``
    with both None for a student who has finished no check."""
    ids = list(student_ids)
    scores: dict[int, dict[str, CheckScore | None]] = {
        pk: {CheckSession.Kind.PRE.value: None, CheckSession.Kind.POST.value: None} for pk in ids
    }
    if not ids:
        return scores
    # Per session row, the latest finished session of the same student and kind (served by
    # the (user, kind, finished_at) index); only that one is kept and its answers counted.
    latest = (
        CheckSession.objects.filter(
            user=OuterRef("user"), kind=OuterRef("kind"), finished_at__isnull=False
        )
        .order_by("-finished_at", "-id")
        .values("pk")[:1]
    )
    sessions = (
        CheckSession.objects.filter(user_id__in=ids, finished_at__isnull=False, pk=Subquery(latest))
        .annotate(
            hits=Count("answers", filter=_HIT),
            misses=Count("answers", filter=_MISS),
            false_alarms=Count("answers", filter=_FALSE_ALARM),
            correct_rejections=Count("answers", filter=_CORRECT_REJECTION),
        )
        .only("id", "user", "kind", "form", "finished_at")
        .order_by()
    )
    for s in sessions:
        # Filtered on user_id__in above, so user_id is set (it is optional for visitors).
        scores[cast(int, s.user_id)][s.kind] = CheckScore(
            session_id=s.pk,
            kind=s.kind,
            form=s.form,
            finished_at=s.finished_at,
            hits=s.hits,
            misses=s.misses,
            false_alarms=s.false_alarms,
            correct_rejections=s.correct_rejections,
        )
    return scores


def student_check_summary(user: User) -> dict[str, Any] | None:
    """A student's latest before and after check scores, or None when they have finished no
    check. One query.

    Keys: ``pre`` and ``post`` (CheckScore or None), ``change`` (after minus before, in
    percentage points of answers right; None without both), ``change_size`` (its size),
    ``scores`` (those present, in order) and ``rows`` (for templates/quizzes/check_scores.html).
    """
    return check_summary(user)


def check_open_session(user: User | None, visitor_id: str = "") -> CheckSession | None:
    """The student's or visitor's unfinished check, if any."""
    if (user is None or not user.is_authenticated) and not visitor_id:
        return None
    return (
        CheckSession.objects.filter(_owner_filter(user, visitor_id), finished_at__isnull=True)
        .order_by("-started_at", "-id")
        .first()
    )


def check_next_position(session: CheckSession) -> int:
    """The 1-based position of the first unanswered message (past the end when finished)."""
    return session.answers.count() + 1


@dataclass
class CheckItemPage:
    session: CheckSession
    position: int
    item: CheckItem | None
    answer: CheckAnswer | None
    answered: int
    tactics: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.session.item_keys)

    @property
    def next_position(self) -> int:
        return self.answered + 1

    @property
    def is_last(self) -> bool:
        return self.position == self.total

    @property
    def is_current(self) -> bool:
        """Unanswered and next in line: the only message that may be answered now."""
        return self.answer is None and self.position == self.next_position


def check_item_page(session: CheckSession, position: int) -> CheckItemPage | None:
    """One message of a check and its answer, if given: two queries whatever the pool size.
    None when ``position`` is not part of the session."""
    if not 1 <= position <= len(session.item_keys):
        return None
    answers = list(
        session.answers.only("id", "session", "position", "says_scam", "confidence", "is_correct")
    )
    answer = next((a for a in answers if a.position == position), None)
    page = CheckItemPage(
        session=session, position=position, item=None, answer=answer, answered=len(answers)
    )
    if answer is None and not page.is_current:
        return page  # a message further on: nothing about it is shown yet
    page.item = CheckItem.objects.filter(
        language=session.language, key=session.item_keys[position - 1]
    ).first()
    if page.item is not None and answer is not None and answer.item_is_scam:
        labels = dict(Tactic.choices)
        page.tactics = [str(labels.get(t, t)) for t in page.item.tactics]
    return page


@dataclass
class CheckResult:
    session: CheckSession
    score: CheckScore
    answers: list[CheckAnswer]
    detection: scoring.CheckScore  # d′, criterion and AUC (quizzes/check/scoring.py)

    @property
    def scores(self) -> list[CheckScore]:
        return [self.score]

    @property
    def rows(self) -> list[dict[str, Any]]:
        return check_score_rows([self.score])


def check_result(session: CheckSession) -> CheckResult:
    """A session's score and its answers with their messages, in one query."""
    answers = list(session.answers.select_related("item").order_by("position"))
    score = CheckScore(
        session_id=session.pk, kind=session.kind, form=session.form, finished_at=session.finished_at
    )
    for answer in answers:
        score.add(answer)
    ratings = [scoring.Rating(a.item_is_scam, a.says_scam, a.confidence) for a in answers]
    return CheckResult(
        session=session, score=score, answers=answers, detection=scoring.score(ratings)
    )
