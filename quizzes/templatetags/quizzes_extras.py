from django import template

from quizzes.classes.presenters import (
    Segment,
    outcome_label,
    outcome_segments,
    status_label,
    svg_number,
)
from quizzes.classes.results import ScenarioStats
from quizzes.models import Tactic

register = template.Library()

_LABELS = dict(Tactic.choices)


@register.filter
def tactic_label(value: str) -> str:
    """A tactic's translated name ("urgency" -> "Urgency" / "制造紧迫感")."""
    return str(_LABELS.get(value, value))


@register.filter(name="svg_number")
def svg_number_filter(value: float) -> str:
    """A number for an SVG attribute, never localised (12.5 -> "12.5", not "12,5")."""
    return svg_number(value)


@register.filter(name="outcome_segments")
def outcome_segments_filter(stats: ScenarioStats) -> list[Segment]:
    """A scenario's stacked bar of outcomes (see ``presenters.outcome_segments``)."""
    return outcome_segments(stats)


register.filter("outcome_label", outcome_label)
register.filter("status_label", status_label)
