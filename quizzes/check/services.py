"""Writes for the spot-the-scam check: start (or resume) a session, answer one of its
messages, move a visitor's sessions to their account. The server alone decides what is right.

A language's matched pairs are split into three parallel forms (``quizzes.check.bank``). The
measures come in order: "before" any time, "after" once the student has finished
``AFTER_CHECK_SCENARIOS`` scenarios, "later" ``LATER_CHECK_DAYS`` days after "after". Each shows
a whole form, the forms following the Latin-square row that the "before" check drew, so a
student never meets the same message twice across the three. After them, checks are practice:
ten messages from the whole bank, with the answer after each one, never counted.
"""

import hashlib
import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.models import User
from quizzes.check.bank import FORMS, build_forms, form_items, item_dict, rotation
from quizzes.models import Attempt, CheckAnswer, CheckItem, CheckSession, Membership

FALLBACK_LANGUAGE = "en"
# Scams and genuine messages drawn per practice session (so ten messages in all).
PER_KIND = 5
MEASURES = (CheckSession.Kind.PRE, CheckSession.Kind.POST, CheckSession.Kind.LATER)


class CheckError(Exception):
    """An answer that cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class NextCheck:
    """The check someone would start now, or when it opens."""

    kind: str
    opens_at: datetime | None = None  # "later": when it opens
    scenarios_needed: int = 0  # "after": scenarios still to finish first

    @property
    def is_open(self) -> bool:
        return self.opens_at is None and self.scenarios_needed == 0


def check_language(language: str) -> str:
    """The content language for the check: ``language`` if it has items, else English."""
    if language != FALLBACK_LANGUAGE and not CheckItem.objects.filter(language=language).exists():
        return FALLBACK_LANGUAGE
    return language


def _owner_filter(user: User | None, visitor_id: str) -> Q:
    if user is not None:
        return Q(user=user)
    return Q(user__isnull=True, visitor_id=visitor_id)


def _finished_scenarios(user: User | None, visitor_id: str) -> int:
    attempts = Attempt.objects.filter(status=Attempt.Status.COMPLETED)
    owner = Q(user=user) if user is not None else Q(user__isnull=True, visitor_id=visitor_id)
    return attempts.filter(owner).values("scenario_id").distinct().count()


def check_next(user: User | None, visitor_id: str = "") -> NextCheck:
    """Which check comes next for this player, and whether it is open yet."""
    if user is None and not visitor_id:
        return NextCheck(CheckSession.Kind.PRE)  # nobody yet: nothing to look up
    taken = CheckSession.objects.filter(_owner_filter(user, visitor_id), kind__in=MEASURES)
    kinds = {session.kind: session for session in taken.order_by("started_at", "id")}
    if CheckSession.Kind.PRE not in kinds:
        return NextCheck(CheckSession.Kind.PRE)
    if CheckSession.Kind.POST not in kinds:
        if (
            user is not None
            and Membership.objects.filter(
                student=user, classroom__after_check_open=True, classroom__is_archived=False
            ).exists()
        ):
            return NextCheck(CheckSession.Kind.POST)  # the teacher opened it for the class
        needed = settings.AFTER_CHECK_SCENARIOS - _finished_scenarios(user, visitor_id)
        return NextCheck(CheckSession.Kind.POST, scenarios_needed=max(0, needed))
    if CheckSession.Kind.LATER not in kinds:
        after = kinds[CheckSession.Kind.POST]
        if after.finished_at is None:
            return NextCheck(CheckSession.Kind.LATER, opens_at=after.started_at)
        opens = after.finished_at + timedelta(days=settings.LATER_CHECK_DAYS)
        still_closed = opens > timezone.now()
        return NextCheck(CheckSession.Kind.LATER, opens_at=opens if still_closed else None)
    return NextCheck(CheckSession.Kind.PRACTICE)


def _spread_twins(items: list[CheckItem], rng: random.Random) -> list[str]:
    """The keys shuffled so that no pair's twins are shown one right after the other."""
    keys = [item.key for item in items]
    twin = {item.key: item.pair for item in items}
    for _attempt in range(50):
        rng.shuffle(keys)
        if all(twin.get(a) != b for a, b in zip(keys, keys[1:], strict=False)):
            break
    return keys


def check_draw(items: list[CheckItem], *, rng: random.Random) -> list[str]:
    """Practice: up to PER_KIND scams and as many genuine items, shuffled; their keys."""
    scams = [i.key for i in items if i.is_scam]
    genuine = [i.key for i in items if not i.is_scam]
    per_kind = min(PER_KIND, len(scams), len(genuine))
    keys = rng.sample(scams, per_kind) + rng.sample(genuine, per_kind)
    rng.shuffle(keys)
    return keys


def form_keys(bank: list[CheckItem]) -> dict[str, list[str]]:
    """The item keys of each form of this bank. Splitting takes about half a second for 32
    pairs, so the split is kept in the shared cache under a fingerprint of everything it
    depends on: an edited bank gets a new key, and every worker finds the same split."""
    items = [item_dict(item) for item in bank]
    basis = sorted(
        (i["key"], i["pair"], i["topic"], i["channel"], sorted(i["tactics"]), len(i["text"]))
        for i in items
    )
    digest = hashlib.sha256(json.dumps(basis).encode()).hexdigest()

    def split() -> dict[str, list[str]]:
        forms = build_forms(items)
        return {name: [i["key"] for i in form_items(forms, name)] for name in FORMS}

    key = f"check-forms:{digest}"
    forms: dict[str, list[str]] | None = cache.get(key)
    if forms is None:
        forms = split()
        cache.set(key, forms, timeout=None)
    return forms


def _first_form(language: str) -> str:
    """The "before" form: the Latin-square rows taken in turn by each new student."""
    started = CheckSession.objects.filter(language=language, kind=CheckSession.Kind.PRE).count()
    return rotation(started)[0]


@transaction.atomic
def check_session_start(
    *,
    user: User | None,
    visitor_id: str = "",
    language: str,
    rng: random.Random | None = None,
) -> CheckSession:
    """Resume the owner's unfinished check, or start the next one if it is open."""
    if user is None and not visitor_id:
        raise CheckError(_("Taking the check needs an account or a browser session."))
    if user is not None:
        # Serialise a student's starts, so a double click cannot begin two "before" checks.
        User.objects.select_for_update().filter(pk=user.pk).first()
    sessions = CheckSession.objects.filter(_owner_filter(user, visitor_id))
    unfinished = sessions.filter(finished_at__isnull=True).order_by("-started_at", "-id").first()
    if unfinished is not None:
        return unfinished
    upcoming = check_next(user, visitor_id)
    if upcoming.scenarios_needed:
        raise CheckError(
            _("The after check opens once you have finished %(n)s more scenarios.")
            % {"n": upcoming.scenarios_needed},
            status=403,
        )
    if upcoming.opens_at is not None:
        raise CheckError(_("The later check is not open yet."), status=403)
    rng = rng or secrets.SystemRandom()
    measures = {s.kind: s for s in sessions.filter(kind__in=MEASURES)}
    if upcoming.kind == CheckSession.Kind.PRE:
        language = check_language(language)
        form = _first_form(language)
    elif upcoming.kind != CheckSession.Kind.PRACTICE:
        before = measures[CheckSession.Kind.PRE]
        language = before.language  # all three measures in one language, on disjoint forms
        order = rotation(FORMS.index(before.form))
        form = order[MEASURES.index(upcoming.kind)]
    else:
        language = check_language(language)
        form = CheckSession.Form.MIXED
    bank = list(CheckItem.objects.filter(language=language))
    if form == CheckSession.Form.MIXED:
        keys = check_draw(bank, rng=rng)
    else:
        wanted = set(form_keys(bank)[form])
        keys = _spread_twins([i for i in bank if i.key in wanted], rng)
    if not keys:
        raise CheckError(_("The check is not available yet. Please try again later."), status=404)
    return CheckSession.objects.create(
        user=user,
        visitor_id="" if user is not None else visitor_id,
        language=language,
        kind=upcoming.kind,
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
