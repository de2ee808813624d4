"""Reads for the live pages: the teacher's and the class's sessions, the votes counted per
step, the signed-in students' own votes."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from awareness.models import User
from live.models import LiveParticipant, LiveSession, LiveVote
from quizzes.models import Classroom


@dataclass
class Tally:
    """The votes on one step: how many voted, and the count per choice or per option ticked."""

    voters: int = 0
    counts: Counter[str] = field(default_factory=Counter)


def session_tallies(session: LiveSession, step_key: str | None = None) -> dict[str, Tally]:
    """Votes counted per step (only ``step_key``'s when given): one query, anonymous votes of
    guests who are gone included."""
    votes = LiveVote.objects.filter(session=session)
    if step_key is not None:
        votes = votes.filter(step_key=step_key)
    tallies: dict[str, Tally] = defaultdict(Tally)
    for key, choice_key, selected in votes.values_list("step_key", "choice_key", "selected"):
        tally = tallies[key]
        tally.voters += 1
        if choice_key:
            tally.counts[choice_key] += 1
        tally.counts.update(selected or [])
    return tallies


def teacher_sessions(teacher: User, limit: int = 20) -> QuerySet[LiveSession]:
    """The teacher's latest sessions with their scenario and class names (one query)."""
    return (
        LiveSession.objects.filter(teacher=teacher)
        .select_related("scenario", "classroom")
        .only(
            "id",
            "state",
            "created_at",
            "ended_at",
            "joined_count",
            "join_code",
            "scenario__published_title",
            "classroom__name",
        )[:limit]
    )


def class_sessions(classroom: Classroom, limit: int = 10) -> list[LiveSession]:
    """The class's latest live sessions, for its page: "played live on <date>" (one query)."""
    return list(
        LiveSession.objects.filter(classroom=classroom)
        .select_related("scenario")
        .only("id", "state", "created_at", "joined_count", "scenario__published_title")[:limit]
    )


def signed_in_votes(session: LiveSession) -> list[tuple[LiveParticipant, dict[str, LiveVote]]]:
    """The signed-in students who joined, in joining order, each with their votes by step
    (two queries)."""
    participants = list(
        LiveParticipant.objects.filter(session=session, user__isnull=False)
        .select_related("user")
        .order_by("created_at", "id")
    )
    votes: dict[int, dict[str, LiveVote]] = defaultdict(dict)
    for vote in LiveVote.objects.filter(session=session, participant__user__isnull=False):
        if vote.participant_id is not None:
            votes[vote.participant_id][vote.step_key] = vote
    return [(participant, votes[participant.pk]) for participant in participants]


def own_vote(participant: LiveParticipant, step_key: str) -> LiveVote | None:
    return LiveVote.objects.filter(participant=participant, step_key=step_key).first()


def votes_of(user: User) -> list[dict[str, Any]]:
    """For "download my data": each live session the student joined, with their votes (one
    query each for the sessions and the votes)."""
    participants = (
        LiveParticipant.objects.filter(user=user)
        .select_related("session__scenario")
        .order_by("created_at", "id")
    )
    votes: dict[int, list[LiveVote]] = defaultdict(list)
    for vote in LiveVote.objects.filter(participant__user=user).order_by("created_at", "id"):
        if vote.participant_id is not None:
            votes[vote.participant_id].append(vote)
    return [
        {
            "scenario": p.session.scenario.published_title or p.session.scenario.title,
            "joined_at": p.created_at,
            "votes": [
                {
                    "step": vote.step_key,
                    "choice": vote.choice_key,
                    "options_ticked": vote.selected,
                    "safe": vote.is_safe,
                    "voted_at": vote.created_at,
                }
                for vote in votes[p.pk]
            ],
        }
        for p in participants
    ]
