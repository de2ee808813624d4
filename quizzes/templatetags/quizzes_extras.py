from django import template

from quizzes.models import Tactic

register = template.Library()

_LABELS = dict(Tactic.choices)


@register.filter
def tactic_label(value: str) -> str:
    """A tactic's translated name ("urgency" -> "Urgency" / "制造紧迫感")."""
    return str(_LABELS.get(value, value))
