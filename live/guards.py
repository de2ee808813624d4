"""Who may see a live session: its teacher (the projector, the controls, the figures) or one of
its participants (the phone pages). Anyone else gets a 404, whatever the method.

A participant is remembered in the browser's session (server-side data, keyed by the session
cookie): ``live`` maps a session id to the guest's random token, or to "" for a signed-in
student, who is known by their account."""

from django.http import Http404, HttpRequest

from live.models import LiveParticipant, LiveSession
from quizzes.classes.guards import require_teacher

SESSION_KEY = "live"


def session_for_teacher(request: HttpRequest, pk: int) -> LiveSession:
    """The live session ``pk`` if the signed-in teacher started it; 404 for anyone else."""
    teacher = require_teacher(request)
    try:
        session = LiveSession.objects.select_related("scenario", "classroom").get(
            pk=pk, teacher=teacher
        )
    except LiveSession.DoesNotExist as error:
        raise Http404 from error
    session.teacher = teacher  # no second query for the owner
    return session


def remember(request: HttpRequest, participant: LiveParticipant) -> None:
    joined = dict(request.session.get(SESSION_KEY, {}))
    joined[str(participant.session_id)] = participant.token
    request.session[SESSION_KEY] = joined


def has_joined(request: HttpRequest, pk: int) -> bool:
    """This browser joined session ``pk`` (no query: the browser's session is already read)."""
    return str(pk) in request.session.get(SESSION_KEY, {})


def participant_for(request: HttpRequest, pk: int) -> LiveParticipant | None:
    """This browser's participant in session ``pk``, with the session; None if it has none
    (never joined, or a guest whose session has ended and who was deleted with it)."""
    participants = LiveParticipant.objects.select_related("session", "session__scenario")
    if request.user.is_authenticated and request.user.is_student:
        return participants.filter(session_id=pk, user=request.user).first()
    token = request.session.get(SESSION_KEY, {}).get(str(pk), "")
    if not token:
        return None
    return participants.filter(session_id=pk, token=token).first()


def participant_or_404(request: HttpRequest, pk: int) -> LiveParticipant:
    participant = participant_for(request, pk)
    if participant is None:
        raise Http404
    return participant
