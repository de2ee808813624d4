"""Every change to a live session: each service is one transaction that locks the session row
(``select_for_update``; SQLite's IMMEDIATE transactions serialise writers the same way), checks
who may do it and in which state, changes the rows and bumps the session's revision. Nothing is
kept in a process, so any worker can answer any request and a restarted one loses nothing."""

import secrets
import unicodedata
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.models import User
from live import events
from live.models import NICKNAME_MAX, LiveParticipant, LiveSession, LiveVote
from live.presenters import majority_row, split_of
from live.selectors import session_tallies
from quizzes.classes.services import JOIN_CODE_ALPHABET, join_code_normalise
from quizzes.models import Classroom, Scenario
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content

# Six characters (31**6 = 8.9e8 codes) for a whole room to type from the projector. Only open
# sessions hold a code, a few thousand at most at once, so a guess finds one with p < 1e-5;
# wrong codes are throttled like class codes (live.phone). A stranger who gets in is never
# named on the projector, and the teacher hides nicknames on the controls with one press.
LIVE_CODE_LENGTH = 6
VOTE_KINDS = frozenset({"decision", "spot"})
State = LiveSession.State


class LiveError(Exception):
    """A change the session's state or the request does not allow; ``status`` for the view."""

    def __init__(self, message: str, *, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def nickname_clean(value: str) -> str:
    """The nickname without control, format or unassigned characters (no invisible text, no
    right-to-left overrides), compatibility forms folded, spaces collapsed."""
    value = unicodedata.normalize("NFKC", value or "")
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in value
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join(kept.split())


def nickname_validate(value: str) -> str:
    """The cleaned nickname, or LiveError (400) when it is empty or too long."""
    nickname = nickname_clean(value)
    if not nickname:
        raise LiveError(_("Give a nickname to join."), status=400)
    if len(nickname) > NICKNAME_MAX:
        raise LiveError(
            _("A nickname has at most %(max)d characters.") % {"max": NICKNAME_MAX}, status=400
        )
    return nickname


def _new_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(LIVE_CODE_LENGTH))


def _locked(session: LiveSession) -> LiveSession:
    return LiveSession.objects.select_for_update().get(pk=session.pk)


def _save(session: LiveSession, *fields: str) -> None:
    session.revision += 1
    session.save(update_fields=[*fields, "revision"])
    events.publish_on_commit(session)


def _content(session: LiveSession) -> dict[str, Any]:
    return version_content(session.version_id)


def _current_step(session: LiveSession) -> dict[str, Any]:
    return engine.steps_by_key(_content(session))[session.current_key]


def _check_teacher(session: LiveSession, teacher: User) -> None:
    if session.teacher_id != teacher.pk:
        raise LiveError(_("Only the teacher who started this session controls it."), status=404)


def _check_open(session: LiveSession) -> None:
    if session.state == State.ENDED:
        raise LiveError(_("This live session has ended."))


# --- the teacher ----------------------------------------------------------------------------


def live_create(
    *, teacher: User, scenario: Scenario, classroom: Classroom | None = None
) -> LiveSession:
    """A new session in the lobby, with a free join code and the options' order drawn."""
    if not teacher.is_teacher:
        raise LiveError(_("Only teachers start live sessions."), status=404)
    if classroom is not None and (classroom.teacher_id != teacher.pk or classroom.is_archived):
        raise LiveError(_("Choose one of your classes."), status=400)
    if scenario.published_version_id is None:
        raise LiveError(_("Choose a published scenario."), status=400)
    content = version_content(scenario.published_version_id)
    for _attempt in range(12):  # a collision among open sessions is rare; the index settles it
        code = _new_code()
        if LiveSession.objects.filter(join_code=code).exclude(state=State.ENDED).exists():
            continue
        try:
            with transaction.atomic():
                return LiveSession.objects.create(
                    teacher=teacher,
                    classroom=classroom,
                    scenario=scenario,
                    version_id=scenario.published_version_id,
                    join_code=code,
                    option_order=engine.shuffled_order(content),
                )
        except IntegrityError:
            continue
    raise LiveError(_("No free join code was found. Please try again."))


def _show(session: LiveSession, first_key: str) -> None:
    """Move on to the stop reached from ``first_key`` (through messages and narration)."""
    keys = engine.run_to_stop(_content(session), first_key)
    session.path = [*session.path, *keys]
    session.current_key = keys[-1]
    session.state = State.STEP
    session.voted_count = 0
    session.paused = False


@transaction.atomic
def live_start(*, session: LiveSession, teacher: User) -> LiveSession:
    """From the lobby to the first decision or spot step."""
    session = _locked(session)
    _check_teacher(session, teacher)
    if session.state != State.LOBBY:
        raise LiveError(_("The session has already started."))
    _show(session, _content(session)["start"])
    _save(session, "path", "current_key", "state", "voted_count", "paused")
    return session


@transaction.atomic
def live_reveal(*, session: LiveSession, teacher: User) -> LiveSession:
    """Close the vote on the current step and show the split: no vote is taken after this."""
    session = _locked(session)
    _check_teacher(session, teacher)
    if session.state != State.STEP or _current_step(session)["kind"] not in VOTE_KINDS:
        raise LiveError(_("There is no vote to reveal now."))
    session.state = State.REVEALED
    session.paused = False
    _save(session, "state", "paused")
    return session


def majority_choice(session: LiveSession, step: dict[str, Any]) -> str | None:
    """The choice most voted for (a tie: the one shown first); None without votes."""
    tally = session_tallies(session, step["key"])[step["key"]]
    row = majority_row(split_of(step, tally, session.option_order))
    return row.key if row else None


@transaction.atomic
def live_follow(*, session: LiveSession, teacher: User, choice_key: str = "") -> LiveSession:
    """After a decision's reveal, go down the branch of ``choice_key``, or of the majority's
    choice when none is given ("let's see what happens if we pay")."""
    session = _locked(session)
    _check_teacher(session, teacher)
    step = _current_step(session)
    if session.state != State.REVEALED or step["kind"] != "decision":
        raise LiveError(_("Reveal the votes before following a branch."))
    if not choice_key:
        choice_key = majority_choice(session, step) or ""
        if not choice_key:
            raise LiveError(_("Nobody voted: choose the branch to follow."))
    choice = engine.find_choice(step, choice_key)
    if choice is None:
        raise LiveError(_("Choose one of the choices of this decision."), status=400)
    session.followed = {**session.followed, step["key"]: choice_key}
    _show(session, choice["next"])
    _save(session, "path", "current_key", "state", "voted_count", "paused", "followed")
    return session


@transaction.atomic
def live_next(*, session: LiveSession, teacher: User) -> LiveSession:
    """After a spot step's reveal, go on with the conversation."""
    session = _locked(session)
    _check_teacher(session, teacher)
    step = _current_step(session)
    if session.state != State.REVEALED or step["kind"] != "spot":
        raise LiveError(_("There is no next step to go to now."))
    _show(session, step["next"])
    _save(session, "path", "current_key", "state", "voted_count", "paused")
    return session


@transaction.atomic
def live_pause(*, session: LiveSession, teacher: User, paused: bool) -> LiveSession:
    """Pause (votes wait, the screens say so) or go on."""
    session = _locked(session)
    _check_teacher(session, teacher)
    _check_open(session)
    if session.paused != paused:
        session.paused = paused
        _save(session, "paused")
    return session


@transaction.atomic
def live_hide_names(*, session: LiveSession, teacher: User, hidden: bool) -> LiveSession:
    """Hide (or show again) the nicknames on the teacher's control view."""
    session = _locked(session)
    _check_teacher(session, teacher)
    if session.names_hidden != hidden:
        session.names_hidden = hidden
        _save(session, "names_hidden")
    return session


@transaction.atomic
def live_end(*, session: LiveSession, teacher: User) -> LiveSession:
    """End the session: its code is free again and its guests are deleted (their votes stay,
    without a participant, as anonymous counts). Ending twice changes nothing."""
    session = _locked(session)
    _check_teacher(session, teacher)
    if session.state == State.ENDED:
        return session
    session.state = State.ENDED
    session.paused = False
    session.ended_at = timezone.now()
    _save(session, "state", "paused", "ended_at")
    guests_purge(session=session)
    return session


def guests_purge(*, session: LiveSession) -> int:
    """Delete the guests of an ended session (nickname and token); their votes are kept with
    no participant. Returns how many were deleted."""
    deleted, _by_model = LiveParticipant.objects.filter(session=session, user__isnull=True).delete()
    return deleted


# --- phones ---------------------------------------------------------------------------------


def session_for_code(code: str) -> LiveSession:
    """The open session with this join code, or LiveError (404)."""
    code = join_code_normalise(code)
    if len(code) != LIVE_CODE_LENGTH or not set(code) <= set(JOIN_CODE_ALPHABET):
        raise LiveError(
            _("A live code has %(n)d letters and digits. Check it on the screen.")
            % {"n": LIVE_CODE_LENGTH},
            status=404,
        )
    session = LiveSession.objects.filter(join_code=code).exclude(state=State.ENDED).first()
    if session is None:
        raise LiveError(_("No live session has this code. Check it on the screen."), status=404)
    return session


@transaction.atomic
def live_join(
    *, session: LiveSession, user: User | None, nickname: str = "", token: str = ""
) -> LiveParticipant:
    """Join as a signed-in student (``user``), or as a guest with a nickname; a student or a
    guest (known by ``token``) who has joined already gets their participant back."""
    session = _locked(session)
    _check_open(session)
    if user is not None and user.is_student:
        participant, created = LiveParticipant.objects.get_or_create(session=session, user=user)
    else:
        if token:
            found = LiveParticipant.objects.filter(session=session, token=token).first()
            if found is not None:
                return found
        participant = LiveParticipant.objects.create(
            session=session, nickname=nickname_validate(nickname), token=secrets.token_urlsafe(16)
        )
        created = True
    if created:
        session.joined_count += 1
        _save(session, "joined_count")
    return participant


@transaction.atomic
def live_vote(
    *, participant: LiveParticipant, step_key: str, choice_key: str = "", selected: list[str]
) -> LiveVote:
    """One vote on the current step: refused (409) when already voted, after the reveal, while
    paused or on a step that is no longer shown; 400 when it does not fit the step."""
    session = _locked(participant.session)
    if session.state == State.REVEALED and step_key == session.current_key:
        raise LiveError(_("Voting on this step is closed: the answer is on the screen."))
    if session.state != State.STEP or step_key != session.current_key:
        raise LiveError(_("This step is not open for votes. Look at the screen."))
    if session.paused:
        raise LiveError(_("The session is paused. Wait for your teacher."))
    if LiveVote.objects.filter(participant=participant, step_key=step_key).exists():
        raise LiveError(_("You have already voted on this step."))
    try:
        judged = engine.judge(_content(session), step_key, choice_key, selected)
    except engine.InvalidAnswer as error:
        raise LiveError(_("Choose one of the options."), status=400) from error
    try:
        with transaction.atomic():
            vote = LiveVote.objects.create(
                session=session,
                participant=participant,
                step_key=step_key,
                choice_key=judged.choice_key,
                selected=judged.selected,
                is_safe=judged.is_safe,
            )
    except IntegrityError as error:  # a double tap that raced past the check above
        raise LiveError(_("You have already voted on this step.")) from error
    session.voted_count += 1
    _save(session, "voted_count")
    return vote


def live_end_stale(*, hours: int, dry_run: bool = False) -> int:
    """End the open sessions started more than ``hours`` ago (a teacher who never pressed
    "End"), so that their guests' nicknames do not linger. Returns how many."""
    cutoff = timezone.now() - timedelta(hours=hours)
    stale = list(
        LiveSession.objects.filter(created_at__lt=cutoff)
        .exclude(state=State.ENDED)
        .select_related("teacher")
    )
    if not dry_run:
        for session in stale:
            live_end(session=session, teacher=session.teacher)
    return len(stale)
