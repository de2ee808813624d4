from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from quizzes.classes.presenters import (
    Segment,
    ending_phrase,
    option_row,
    outcome_label,
    outcome_segments,
    result_cell,
    safe_choices_phrase,
    status_label,
    svg_number,
)
from quizzes.classes.results import ScenarioStats
from quizzes.models import Tactic
from quizzes.play.presenters import mastery_cells
from quizzes.play.simulation import Segments

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
register.filter("ending_phrase", ending_phrase)
register.filter("safe_choices_phrase", safe_choices_phrase)
register.simple_tag(result_cell)
register.simple_tag(option_row)
register.simple_tag(mastery_cells)


@register.simple_tag
def marked(segments: Segments) -> SafeString:
    """Text split by ``simulation.draw_message``, its quoted red flags in <mark> (numbered when
    the mark has a number); everything else escaped. One line of HTML: .sim-text keeps spaces."""
    parts = []
    for text, mark in segments:
        if mark is None:
            parts.append(conditional_escape(text))
            continue
        number = format_html('<sup class="flag-num">{}</sup>', mark.number) if mark.number else ""
        parts.append(format_html('<mark class="{}">{}{}</mark>', mark.css, text, number))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


@register.filter
def impact_width(value: float) -> str:
    """A d′ (0 to 3 shown) as a width in the 120-unit impact bar, for an SVG attribute."""
    return svg_number(max(0.0, min(3.0, float(value))) * 40)
