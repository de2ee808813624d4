"""Reactions to other apps' events, connected in ``QuizzesConfig.ready()``."""

from django.http import HttpRequest

from awareness.models import User
from quizzes.check.services import check_sessions_claim
from quizzes.play.services import VISITOR_SESSION_KEY, attempts_claim


def claim_visitor_data(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """A visitor who signs up or logs in keeps what they played in this browser: their
    attempts and checks move to the account (``login()`` keeps the session's data)."""
    session = getattr(request, "session", None)
    visitor = session.get(VISITOR_SESSION_KEY, "") if session is not None else ""
    if visitor:
        attempts_claim(user=user, visitor_id=visitor)
        check_sessions_claim(user=user, visitor_id=visitor)
