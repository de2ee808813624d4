"""Rendered pieces of the play pages that many students share, kept in memory per worker.

The conversation shown above a question depends only on the published version (immutable),
the steps walked so far, whether red flags are marked, the channel and the language: every
student who walks the same path sees the same HTML, so it is rendered once per worker.
"""

from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from quizzes.models import Channel
from quizzes.selectors.play import shown_messages
from quizzes.versions import version_content


def simulation_html(
    content: dict[str, Any],
    keys: list[str],
    *,
    channel: str,
    with_flags: bool,
    version_id: int | None = None,
) -> SafeString:
    """The simulated conversation for ``keys``; cached when it comes from a frozen version."""
    if version_id is None:  # an editor's draft preview: it may change at any moment
        return _render(content, tuple(keys), channel, with_flags)
    return _cached(version_id, tuple(keys), channel, with_flags, get_language())


@lru_cache(maxsize=4096)
def _cached(
    version_id: int, keys: tuple[str, ...], channel: str, with_flags: bool, language: str
) -> SafeString:
    return _render(version_content(version_id), keys, channel, with_flags)


def _render(
    content: dict[str, Any], keys: tuple[str, ...], channel: str, with_flags: bool
) -> SafeString:
    scenario = SimpleNamespace(channel=channel, get_channel_display=Channel(channel).label)
    context = {
        "scenario": scenario,
        "messages_shown": shown_messages(content, list(keys), with_flags=with_flags),
    }
    html = render_to_string("quizzes/includes/simulation.html", context).strip()
    return mark_safe(html)  # noqa: S308 (our template; the content is escaped in it)


def clear() -> None:
    """Forget every cached fragment (tests reuse version ids after a rollback)."""
    _cached.cache_clear()
