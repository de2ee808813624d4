"""Writes for the spot-the-scam check: start (or resume) a session, answer one of its
messages, move a visitor's sessions to their account. The server alone decides what is right.

A language's items are split into two parallel forms, A and B, each half scams and half
genuine look-alikes. The first check someone takes is the "before" measure on form A; every
later one is an "after" measure, on form B, then A, then B... so two checks in a row never
show the same messages.
"""

import random
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.models import User
from quizzes.models import CheckAnswer, CheckItem, CheckSession

FALLBACK_LANGUAGE = "en"
# Scams and genuine messages drawn per session (so ten messages in all).
PER_KIND = 5


class CheckError(Exception):
    """An answer that cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def check_forms_split(items: Iterable[CheckItem]) -> dict[str, list[CheckItem]]:
    """Split items into the two parallel forms, each balanced between scams and genuine ones.

    Scams and genuine items are each sorted by key and dealt alternately to A and B, so the
    split is the same every time and only changes where editors add or remove items.
    """
    forms: dict[str, list[CheckItem]] = {CheckSession.Form.A: [], CheckSession.Form.B: []}
    for is_scam in (True, False):
        same_kind = sorted((i for i in items if i.is_scam is is_scam), key=lambda i: i.key)
        for index, item in enumerate(same_kind):
            forms[CheckSession.Form.A if index % 2 == 0 else CheckSession.Form.B].append(item)
    return forms


def check_language(language: str) -> str:
    """The content language for the check: ``language`` if it has items, else English."""
    if language != FALLBACK_LANGUAGE and not CheckItem.objects.filter(language=language).exists():
        return FALLBACK_LANGUAGE
    return language


def _owner_filter(user: User | None, visitor_id: str) -> Q:
    if user is not None:
        return Q(user=user)
    return Q(user__isnull=True, visitor_id=visitor_id)


def check_draw(items: list[CheckItem], *, rng: random.Random) -> list[str]:
    """Draw up to PER_KIND scams and as many genuine items, shuffled; returns their keys."""
    scams = [i.key for i in items if i.is_scam]
    genuine = [i.key for i in items if not i.is_scam]
    per_kind = min(PER_KIND, len(scams), len(genuine))
    keys = rng.sample(scams, per_kind) + rng.sample(genuine, per_kind)
    rng.shuffle(keys)
    return keys


@transaction.atomic
def check_session_start(
    *,
    user: User | None,
    visitor_id: str = "",
    language: str,
    rng: random.Random | None = None,
) -> CheckSession:
    """Resume the owner's unfinished check, or start the next one (before, then after)."""
    if user is None and not visitor_id:
        raise CheckError(_("Taking the check needs an account or a browser session."))
    if user is not None:
        # Serialise a student's starts, so a double click cannot begin two "before" checks.
        User.objects.select_for_update().filter(pk=user.pk).first()
    sessions = CheckSession.objects.filter(_owner_filter(user, visitor_id))
    unfinished = sessions.filter(finished_at__isnull=True).order_by("-started_at", "-id").first()
    if unfinished is not None:
        return unfinished
    taken = sessions.count()
    kind = CheckSession.Kind.PRE if taken == 0 else CheckSession.Kind.POST
    form = CheckSession.Form.A if taken % 2 == 0 else CheckSession.Form.B
    language = check_language(language)
    items = check_forms_split(CheckItem.objects.filter(language=language))[form]
    keys = check_draw(items, rng=rng or secrets.SystemRandom())
    if not keys:
        raise CheckError(_("The check is not available yet. Please try again later."), status=404)
    return CheckSession.objects.create(
        user=user,
        visitor_id="" if user is not None else visitor_id,
        language=language,
        kind=kind,
        form=form,
        item_keys=keys,
    )


def check_answer(
    *, session: CheckSession, position: int, says_scam: bool, confidence: int
) -> CheckAnswer:
    """Answer the message at ``position`` (1-based), which must be the next one unanswered.

    Answering a message again is refused with a 409 and changes nothing.
    """
    if confidence not in CheckAnswer.Confidence.values:
        raise CheckError(_("Choose how sure you are."))
    try:
        with transaction.atomic():
            return _check_answer(
                session=session, position=position, says_scam=says_scam, confidence=confidence
            )
    except IntegrityError as exc:
        # Two submissions for the same message raced; the other one was stored first.
        raise CheckError(_("You have already answered this message."), status=409) from exc


def _check_answer(
    *, session: CheckSession, position: int, says_scam: bool, confidence: int
) -> CheckAnswer:
    session = CheckSession.objects.select_for_update().get(pk=session.pk)
    if not 1 <= position <= len(session.item_keys):
        raise CheckError(_("That message is not part of this check."), status=404)
    answered = session.answers.count()
    if position <= answered:
        raise CheckError(_("You have already answered this message."), status=409)
    if session.finished_at is not None:
        raise CheckError(_("This check is already finished."), status=409)
    if position != answered + 1:
        raise CheckError(_("Please answer the messages in order."), status=409)
    item = CheckItem.objects.filter(
        language=session.language, key=session.item_keys[position - 1]
    ).first()
    if item is None:
        raise CheckError(_("This message is no longer available."), status=410)
    answer = CheckAnswer.objects.create(
        session=session,
        item=item,
        position=position,
        says_scam=says_scam,
        confidence=confidence,
        is_correct=says_scam == item.is_scam,
    )
    if position == len(session.item_keys):
        session.finished_at = timezone.now()
        session.save(update_fields=["finished_at"])
    return answer


@transaction.atomic
def check_sessions_claim(*, user: User, visitor_id: str) -> int:
    """Move a visitor's check sessions to the account they signed up or in with.

    Only when the account has none yet: otherwise its own before/after order would be mixed up.
    """
    if not visitor_id or CheckSession.objects.filter(user=user).exists():
        return 0
    return CheckSession.objects.filter(user__isnull=True, visitor_id=visitor_id).update(
        user=user, visitor_id=""
    )
