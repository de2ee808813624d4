from django import template

from live.models import LiveSession
from live.selectors import class_sessions
from quizzes.models import Classroom

register = template.Library()


@register.simple_tag
def live_sessions_of(classroom: Classroom) -> list[LiveSession]:
    """The class's latest live sessions, for the class page's include (one query)."""
    return class_sessions(classroom)


@register.filter
def bar_class(percent: int) -> str:
    """The width class of a bar (site.css ``.rate-0`` … ``.rate-100``): no inline style."""
    return f"rate-{max(0, min(100, int(percent)))}"
