"""Privacy for minors: everything the site holds about an account, as JSON, deleting an
account with all of its data, and deleting what nobody needs any more (``data_purge``)."""

from datetime import timedelta
from importlib import import_module
from typing import Any, cast

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.models import User
from live.models import LiveParticipant
from live.selectors import votes_of
from quizzes.classes.selectors import describe_answer
from quizzes.models import Attempt, CheckSession, Classroom, Membership

# Reverse relations to User that the export writes out in its own sections, and relations
# that are not the user's own data (the admin's log, the pupils a teacher created).
_HANDLED_MODELS = {Attempt, CheckSession, Membership, Classroom, User, LiveParticipant}
_SKIPPED_RELATIONS = {"logentry"}


def _login_records(username: str) -> list[dict[str, Any]]:
    """Sign-ins and failed sign-ins recorded for the username (by the login throttling)."""
    records = []
    sources = ((AccessLog, "login"), (AccessFailureLog, "failed-login"), (AccessAttempt, "failed"))
    for model, kind in sources:
        for row in model.objects.filter(username=username).order_by("attempt_time"):
            record = {
                "kind": kind,
                "time": row.attempt_time,
                "ip_address": row.ip_address,
                "user_agent": row.user_agent,
            }
            if model is AccessAttempt:
                record["failures"] = row.failures_since_start
            records.append(record)
    return records


def _attempts(user: User) -> list[dict[str, Any]]:
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("scenario", "version")
        .prefetch_related("answers")
        .order_by("started_at", "id")
    )
    data = []
    for attempt in attempts:
        answers = []
        for answer in attempt.answers.all():
            prompt, text = describe_answer(attempt.version.content, answer)
            answers.append(
                {
                    "step": answer.step_key,
                    "question": prompt,
                    "kind": answer.kind,
                    "choice": answer.choice_key,
                    "selected": answer.selected,
                    "answer": text,
                    "safe": answer.is_safe,
                    "flags_found": answer.flags_found,
                    "flags_missed": answer.flags_missed,
                    "wrongly_flagged": answer.wrongly_flagged,
                    "answered_at": answer.created_at,
                }
            )
        data.append(
            {
                "scenario": attempt.scenario.slug,
                # As the student saw it: the played version's, not the editors' draft title.
                "title": attempt.version.content.get("title", attempt.scenario.published_title),
                "language": attempt.scenario.language,
                "version": attempt.version.number,
                "status": attempt.status,
                "outcome": attempt.outcome,
                "decisions": attempt.decisions,
                "safe_decisions": attempt.safe_decisions,
                "flags_found": attempt.flags_found,
                "flags_total": attempt.flags_total,
                "steps_seen": attempt.path,
                "started_at": attempt.started_at,
                "finished_at": attempt.finished_at,
                "answers": answers,
            }
        )
    return data


def _classes_taught(user: User) -> list[dict[str, Any]]:
    classes = Classroom.objects.filter(teacher=user).prefetch_related(
        "memberships", "assignments__scenario"
    )
    return [
        {
            "name": c.name,
            "join_code": c.join_code,
            "archived": c.is_archived,
            "created_at": c.created_at,
            # Pupils' own data is theirs to download, not part of the teacher's.
            "students": len(c.memberships.all()),
            "assignments": [
                {"scenario": a.scenario.slug, "due_date": a.due_date, "assigned_at": a.created_at}
                for a in c.assignments.all()
            ],
        }
        for c in classes
    ]


def _other_records(user: User) -> dict[str, list[dict[str, Any]]]:
    """Rows of any other model that points at the user (for example check sessions), so
    nothing held about them is left out of the download."""
    other: dict[str, list[dict[str, Any]]] = {}
    for relation in User._meta.related_objects:
        # A model class: "self" is resolved when the app registry loads.
        model = cast(type[Model], relation.related_model)
        if model in _HANDLED_MODELS or relation.name in _SKIPPED_RELATIONS:
            continue
        if relation.many_to_many:
            continue
        rows = model._default_manager.filter(**{relation.field.name: user})
        serialised = serializers.serialize("python", rows)
        if serialised:
            other[model._meta.label_lower] = [
                {"id": item["pk"], **item["fields"]} for item in serialised
            ]
    return other


def _checks(user: User) -> list[dict[str, Any]]:
    """The spot-the-scam checks taken, with every answer."""
    sessions = CheckSession.objects.filter(user=user).prefetch_related("answers__item")
    return [
        {
            "kind": session.kind,
            "language": session.language,
            "started_at": session.started_at,
            "finished_at": session.finished_at,
            "answers": [
                {
                    "message": answer.item.text,
                    "said_scam": answer.says_scam,
                    "confidence": answer.confidence,
                    "correct": answer.is_correct,
                    "answered_at": answer.created_at,
                }
                for answer in session.answers.all()
            ],
        }
        for session in sessions
    ]


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything the site holds about ``user``, ready for JSON."""
    memberships = Membership.objects.filter(student=user).select_related("classroom__teacher")
    created_by = user.created_by
    return {
        "format": "scam-spotter-personal-data",
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "must_change_password": user.must_change_password,
            "one_time_password_issued_at": user.one_time_password_issued_at,
            "allow_teacher_reset": user.allow_teacher_reset,
            "created_by_teacher": created_by.shown_name if created_by else None,
        },
        "classes": [
            {
                "name": m.classroom.name,
                "teacher": m.classroom.teacher.display_name or _("your teacher"),
                "joined_at": m.joined_at,
            }
            for m in memberships
        ],
        "classes_taught": _classes_taught(user) if user.is_teacher else [],
        "attempts": _attempts(user),
        "checks": _checks(user),
        "live_votes": votes_of(user),
        "logins": _login_records(user.username),
        "other": _other_records(user),
    }


def _delete_sessions(user: User) -> int:
    """Delete the user's sessions from the database and from the session cache.

    Database-backed sessions (db, cached_db) keep the user id only in encoded data, so every
    live session is decoded once: account deletion is rare.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0  # pragma: no cover - cookie or cache-only sessions expire on their own
    model = store_class.get_model_class()
    live = model.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    mine = [
        session.session_key
        for session in live.iterator(chunk_size=2000)
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    for key in mine:
        store_class(session_key=key).delete()
    return len(mine)


@transaction.atomic
def account_delete(*, user: User, visitor_id: str = "") -> None:
    """Delete the account and everything about it: attempts and answers, class memberships,
    classes taught, sessions and login records (and the browser's visitor attempts)."""
    if user.is_staff or user.is_superuser:
        raise PermissionDenied(_("Staff accounts are removed by the site's administrators."))
    if visitor_id:
        Attempt.objects.filter(user__isnull=True, visitor_id=visitor_id).delete()
        CheckSession.objects.filter(user__isnull=True, visitor_id=visitor_id).delete()
    _delete_sessions(user)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.username).delete()
    # Attempts (and their answers), memberships and classes cascade; accounts this user
    # created as a teacher stay (their created_by becomes empty).
    user.delete()


@transaction.atomic
def data_purge(*, dry_run: bool = False) -> dict[str, int]:
    """Delete visitors' attempts and checks not touched for ``VISITOR_DATA_DAYS``, login
    records older than ``LOGIN_RECORD_DAYS`` and expired sessions. Returns what was (or, with
    ``dry_run``, would be) deleted, by kind."""
    now = timezone.now()
    visitors_before = now - timedelta(days=settings.VISITOR_DATA_DAYS)
    logins_before = now - timedelta(days=settings.LOGIN_RECORD_DAYS)
    targets = {
        "visitor attempts": Attempt.objects.filter(
            user__isnull=True, updated_at__lt=visitors_before
        ),
        "visitor checks": CheckSession.objects.filter(
            user__isnull=True, started_at__lt=visitors_before
        ),
        "login records": AccessLog.objects.filter(attempt_time__lt=logins_before),
        "failed login records": AccessFailureLog.objects.filter(attempt_time__lt=logins_before),
        "login throttle records": AccessAttempt.objects.filter(attempt_time__lt=logins_before),
        "expired sessions": Session.objects.filter(expire_date__lt=now),
    }
    counts = {kind: queryset.count() for kind, queryset in targets.items()}
    if not dry_run:
        for queryset in targets.values():
            queryset.delete()
    return counts
