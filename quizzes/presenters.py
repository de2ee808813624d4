"""Presentation of the teacher's class results: SVG geometry and the labels beside it.

The selectors (``quizzes.selectors.classes``) return counts; the functions here turn them into
what the templates draw, through the filters in ``quizzes.templatetags.quizzes_extras``.
"""

from dataclasses import dataclass

from quizzes.models import Outcome
from quizzes.selectors.classes import (
    IN_PROGRESS,
    NOT_STARTED,
    ScenarioStats,
    outcome_label,
    percent,
    status_label,
)


@dataclass
class Segment:
    """One part of a stacked bar, with its text equivalent."""

    key: str
    label: str
    count: int
    percent: float
    x: str = "0"
    width: str = "0"


def svg_number(value: float) -> str:
    """A number for an SVG attribute: never localised (a decimal comma would break it)."""
    return f"{value:.1f}"


def outcome_segments(stats: ScenarioStats) -> list[Segment]:
    """The scenario's stacked bar: outcomes best first, then in progress and not started."""
    parts = [
        (outcome, outcome_label(outcome), stats.outcomes[outcome])
        for outcome in Outcome.best_first()
    ]
    parts += [
        (IN_PROGRESS, status_label(IN_PROGRESS), stats.in_progress),
        (NOT_STARTED, status_label(NOT_STARTED), stats.not_started),
    ]
    segments, x = [], 0.0
    for key, label, count in parts:
        share = percent(count, stats.students)
        segments.append(
            Segment(
                key=key,
                label=label,
                count=count,
                percent=share,
                x=svg_number(x),
                width=svg_number(share),
            )
        )
        x += share
    return segments
