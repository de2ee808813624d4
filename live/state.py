"""The state every live page follows, in one small dict read from the session row alone: the
revision (bumped by every change), what the page shows (``view``), whether nicknames are
hidden, and the counts. ``state.json`` answers it to polling pages; with Redis, the same dict
is published on each change and pushed to the pages as server-sent events (live.events)."""

from typing import Any

from django.http import HttpRequest

from live.guards import has_joined
from live.models import LiveSession, view_of
from quizzes.classes.guards import require_teacher

STATE_FIELDS = (
    "pk",
    "revision",
    "state",
    "current_key",
    "paused",
    "names_hidden",
    "joined_count",
    "voted_count",
)


def payload(row: dict[str, Any]) -> dict[str, Any]:
    """The JSON the pages read, from a row of ``STATE_FIELDS`` (a dict or the session)."""
    return {
        "revision": row["revision"],
        "view": view_of(row["state"], row["current_key"], row["paused"]),
        "hidden": row["names_hidden"],
        "joined": row["joined_count"],
        "voted": row["voted_count"],
    }


def session_payload(session: LiveSession) -> dict[str, Any]:
    return payload({field: getattr(session, field) for field in STATE_FIELDS})


def state_for(request: HttpRequest, pk: int) -> dict[str, Any] | None:
    """The state of session ``pk`` for one of its participants or its teacher (one query, or
    two for a teacher); None when the teacher did not start it. Raises Http404 for anyone who
    is neither a participant nor a teacher."""
    sessions = LiveSession.objects.filter(pk=pk)
    if not has_joined(request, pk):
        sessions = sessions.filter(teacher=require_teacher(request))
    row = sessions.values(*STATE_FIELDS).first()
    return None if row is None else payload(row)
