"""The simulated conversation shown above a question (a chat, an SMS thread, a call...)."""

from types import SimpleNamespace
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from quizzes.models import Channel
from quizzes.play.selectors import shown_messages


def simulation_html(
    content: dict[str, Any], keys: list[str], *, channel: str, with_flags: bool
) -> SafeString:
    """The conversation of the steps ``keys`` of ``content``, with red flags marked or not."""
    scenario = SimpleNamespace(channel=channel, get_channel_display=Channel(channel).label)
    context = {
        "scenario": scenario,
        "messages_shown": shown_messages(content, keys, with_flags=with_flags),
    }
    html = render_to_string("quizzes/play/includes/simulation.html", context).strip()
    return mark_safe(html)  # noqa: S308 (our template; the content is escaped in it)
