"""Writes for classes: create, rename, archive, join codes, membership, assignments and the
pupil accounts a teacher creates in a batch.

Every service checks that the acting user may do what it asks (the views 404 before that, so
these checks are the second line) and runs in one transaction.
"""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.accounts.hashers import OneTimePasswordHasher
from awareness.accounts.usernames import username_key
from awareness.models import User
from quizzes.models import Assignment, Classroom, Membership, Scenario

# No look-alikes: no 0/O, 1/I/L. Codes are upper case; what students type is upper-cased.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# New codes have 8 characters: 31**8 = 8.5e11 codes. A national deployment with a million
# active classes fills one code in 850,000, so a guess hits a class with p = 1.2e-6. Wrong codes
# are throttled (quizzes.classes.views: 10 per account and 30 per address per 10 minutes), so
# one address gets at most 4,320 guesses a day: one class found every ~190 days, and each
# teacher sees who joined and can rotate the code. (Six characters, 31**6 = 8.9e8, would give
# ~5 classes a day at that size.) Codes of 6 characters issued earlier still work.
JOIN_CODE_LENGTH = 8
JOIN_CODE_MIN_LENGTH = 6
JOIN_CODE_MAX_LENGTH = 8
JOIN_CODE_RE = re.compile(
    rf"^[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_MIN_LENGTH},{JOIN_CODE_MAX_LENGTH}}}$"
)

# One-time passwords: lower case without i, l, o, 0, 1, in three groups of four, easy to copy
# from a slip: 31**12 ≈ 2**59.5 equally likely passwords, chosen by `secrets`. That is what
# lets them use the quick OneTimePasswordHasher (its docstring has the arithmetic).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet, not a secret)
PASSWORD_GROUPS = 3
PASSWORD_GROUP_LENGTH = 4

# Pupil usernames are "<word>-<4 digits>"; short animal words are easy to read and type.
USERNAME_WORDS = (
    "bear", "bison", "camel", "crane", "deer", "dove", "eagle", "falcon", "finch", "fox",
    "gecko", "goose", "hare", "hawk", "heron", "hippo", "koala", "lemur", "lynx", "moose",
    "otter", "owl", "panda", "parrot", "puffin", "quail", "rabbit", "raven", "robin", "seal",
    "shark", "sloth", "swan", "tiger", "toucan", "turtle", "whale", "wolf", "yak", "zebra",
)  # fmt: skip
USERNAME_DIGITS = "23456789"
MAX_BATCH = 60


def _require_teacher(user: User) -> None:
    if not user.is_authenticated or not user.is_teacher:
        raise PermissionDenied(_("Only teachers can manage classes."))


def _require_owner(classroom: Classroom, teacher: User) -> None:
    _require_teacher(teacher)
    if classroom.teacher_id != teacher.pk:
        raise PermissionDenied(_("This is not your class."))


def join_code_normalise(code: str) -> str:
    """What a student typed, as stored: upper case, without spaces or hyphens."""
    return re.sub(r"[\s\-]+", "", code or "").upper()


def _new_join_code(length: int = JOIN_CODE_LENGTH) -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def _assign_free_code(classroom: Classroom) -> None:
    """Give the class an unused code and save it; the database constraint settles races."""
    # 31**8 codes: a collision is rare even with millions of classes; retry a few times.
    for _attempt in range(12):
        code = _new_join_code()
        if Classroom.objects.filter(join_code=code, is_archived=False).exists():
            continue
        classroom.join_code = code
        try:
            with transaction.atomic():
                classroom.save()
        except IntegrityError:
            continue
        return
    raise RuntimeError("Could not find a free join code")  # pragma: no cover


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the class a name.")})
    max_length = Classroom._meta.get_field("name").max_length
    if max_length is not None and len(name) > max_length:
        raise ValidationError({"name": _("The name is too long.")})
    return name


@transaction.atomic
def classroom_create(*, teacher: User, name: str) -> Classroom:
    """Create a class owned by ``teacher`` with a fresh join code."""
    _require_teacher(teacher)
    classroom = Classroom(teacher=teacher, name=_clean_name(name))
    _assign_free_code(classroom)
    return classroom


@transaction.atomic
def classroom_rename(*, classroom: Classroom, teacher: User, name: str) -> Classroom:
    """Rename a class."""
    _require_owner(classroom, teacher)
    classroom.name = _clean_name(name)
    classroom.save(update_fields=["name"])
    return classroom


@transaction.atomic
def classroom_rotate_code(*, classroom: Classroom, teacher: User) -> Classroom:
    """Replace the join code (the old one stops working at once)."""
    _require_owner(classroom, teacher)
    if classroom.is_archived:
        raise ValidationError(_("An archived class has no join code to change."))
    _assign_free_code(classroom)
    return classroom


def classroom_open_after_check(*, classroom: Classroom, teacher: User, is_open: bool) -> None:
    """Let the class's students take their "after" check now (or go back to waiting until each
    has finished enough scenarios)."""
    _require_owner(classroom, teacher)
    classroom.after_check_open = is_open
    classroom.save(update_fields=["after_check_open"])


@transaction.atomic
def classroom_archive(*, classroom: Classroom, teacher: User, archived: bool = True) -> Classroom:
    """Archive a class (nobody can join; results stay) or bring it back with a free code."""
    _require_owner(classroom, teacher)
    if classroom.is_archived == archived:
        return classroom
    classroom.is_archived = archived
    if archived:
        classroom.save(update_fields=["is_archived"])
    else:
        # Archived classes release their code; another class may hold it by now.
        try:
            with transaction.atomic():
                classroom.save(update_fields=["is_archived"])
        except IntegrityError:
            _assign_free_code(classroom)
    return classroom


class JoinError(Exception):
    """The code does not open any class the student can join; the message says why."""


def classroom_for_code(code: str) -> Classroom:
    """The active class with this join code, or JoinError."""
    code = join_code_normalise(code)
    if not JOIN_CODE_RE.match(code):
        raise JoinError(_("A join code has 6 to 8 letters and digits. Check it with your teacher."))
    classroom = (
        Classroom.objects.select_related("teacher")
        .filter(join_code=code, is_archived=False)
        .first()
    )
    if classroom is None:
        raise JoinError(_("No class has this code. Check it with your teacher."))
    return classroom


@transaction.atomic
def classroom_join(*, student: User, code: str, display_name: str) -> Membership:
    """Join the class with this code, showing the teacher ``display_name``. Joining twice is
    harmless."""
    if not student.is_authenticated or not student.is_student:
        raise JoinError(_("Only student accounts can join a class."))
    classroom = classroom_for_code(code)
    display_name = (display_name or "").strip()
    if not display_name:
        raise ValidationError({"display_name": _("Enter the name your teacher will see.")})
    max_length = User._meta.get_field("display_name").max_length
    if max_length is not None and len(display_name) > max_length:
        raise ValidationError({"display_name": _("The name is too long.")})
    if student.display_name != display_name:
        student.display_name = display_name
        student.save(update_fields=["display_name"])
    membership, _created = Membership.objects.get_or_create(classroom=classroom, student=student)
    return membership


@transaction.atomic
def classroom_leave(*, student: User, classroom: Classroom) -> None:
    """Leave a class; the teacher no longer sees this student's results."""
    Membership.objects.filter(classroom=classroom, student=student).delete()


@transaction.atomic
def classroom_remove_student(*, classroom: Classroom, teacher: User, student: User) -> None:
    """Take a student out of the class; their results disappear from it."""
    _require_owner(classroom, teacher)
    Membership.objects.filter(classroom=classroom, student=student).delete()


@transaction.atomic
def assignment_save(
    *, classroom: Classroom, teacher: User, scenario: Scenario, due_date: date | None = None
) -> Assignment:
    """Assign a published scenario to the class, or change the due date if already assigned."""
    _require_owner(classroom, teacher)
    if scenario.status != Scenario.Status.PUBLISHED or scenario.published_version_id is None:
        raise ValidationError({"scenario": _("Only published scenarios can be assigned.")})
    assignment, _created = Assignment.objects.update_or_create(
        classroom=classroom, scenario=scenario, defaults={"due_date": due_date}
    )
    return assignment


@transaction.atomic
def assignments_add(
    *,
    classroom: Classroom,
    teacher: User,
    scenarios: Iterable[Scenario],
    due_date: date | None = None,
) -> list[Assignment]:
    """Assign several published scenarios to the class at once, all with ``due_date``. Those
    already assigned are left as they are (their due dates too). Returns the new assignments."""
    _require_owner(classroom, teacher)
    chosen = list({scenario.pk: scenario for scenario in scenarios}.values())
    if not chosen:
        raise ValidationError({"scenario": _("Choose at least one scenario.")})
    if any(s.status != Scenario.Status.PUBLISHED or s.published_version_id is None for s in chosen):
        raise ValidationError({"scenario": _("Only published scenarios can be assigned.")})
    # Locked: two submissions of the same form (a double click) add each scenario once.
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    taken = set(
        Assignment.objects.filter(classroom=classroom, scenario__in=chosen).values_list(
            "scenario_id", flat=True
        )
    )
    return Assignment.objects.bulk_create(
        Assignment(classroom=classroom, scenario=scenario, due_date=due_date)
        for scenario in chosen
        if scenario.pk not in taken
    )


@transaction.atomic
def assignment_set_due_date(
    *, assignment: Assignment, teacher: User, due_date: date | None
) -> Assignment:
    """Change an assignment's due date (None: no due date)."""
    _require_owner(assignment.classroom, teacher)
    assignment.due_date = due_date
    assignment.save(update_fields=["due_date"])
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, teacher: User) -> None:
    """Remove an assignment; the students' attempts stay theirs."""
    _require_owner(assignment.classroom, teacher)
    assignment.delete()


def _one_time_password() -> str:
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def _hash_one_time(password: str) -> str:
    # Random and short-lived, so a quick hash is enough: about 16 ms instead of Django's
    # default 0.8 s, which made a batch of 60 outlast the worker timeout.
    return make_password(password, hasher=OneTimePasswordHasher.algorithm)


def _free_usernames(count: int) -> list[str]:
    """Unused pupil usernames: none looks like an existing account's (nor like another one)."""
    chosen: dict[str, str] = {}  # username key -> username
    while len(chosen) < count:
        candidates: dict[str, str] = {}
        while len(candidates) < (count - len(chosen)) * 2:
            word = secrets.choice(USERNAME_WORDS)
            digits = "".join(secrets.choice(USERNAME_DIGITS) for _ in range(4))
            username = f"{word}-{digits}"
            candidates[username_key(username)] = username
        for key in chosen:
            candidates.pop(key, None)
        taken = set(
            User.objects.filter(username_key__in=candidates).values_list("username_key", flat=True)
        )
        free = sorted(name for key, name in candidates.items() if key not in taken)
        chosen.update((username_key(name), name) for name in free[: count - len(chosen)])
    return list(chosen.values())


@dataclass(frozen=True)
class IssuedAccount:
    """A pupil account and the one-time password to hand out (never stored in clear)."""

    user: User
    password: str


@transaction.atomic
def accounts_create_batch(
    *,
    classroom: Classroom,
    teacher: User,
    count: int = 0,
    display_names: list[str] | None = None,
) -> list[IssuedAccount]:
    """Create pupil accounts in the class, one per display name (or ``count`` unnamed ones),
    each with a one-time password the pupil replaces at first login."""
    _require_owner(classroom, teacher)
    if classroom.is_archived:
        raise ValidationError(_("Bring the class back from the archive first."))
    names = [n.strip() for n in (display_names or []) if n.strip()]
    total = len(names) or count
    if not 1 <= total <= MAX_BATCH:
        raise ValidationError(
            _("Create between 1 and %(max)d accounts at a time.") % {"max": MAX_BATCH}
        )
    max_name = User._meta.get_field("display_name").max_length
    if max_name is not None and any(len(n) > max_name for n in names):
        raise ValidationError(
            _("Each name can have at most %(max)d characters.") % {"max": max_name}
        )
    names += [""] * (total - len(names))
    usernames = _free_usernames(total)
    passwords = [_one_time_password() for _ in range(total)]
    now = timezone.now()
    users = [
        User(
            username=username,
            password=_hash_one_time(password),
            role=User.Role.STUDENT,
            display_name=name,
            created_by=teacher,
            must_change_password=True,
            one_time_password_issued_at=now,
        )
        for username, password, name in zip(usernames, passwords, names, strict=True)
    ]
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create(Membership(classroom=classroom, student=u) for u in users)
    return [IssuedAccount(user=u, password=p) for u, p in zip(users, passwords, strict=True)]


@transaction.atomic
def account_reset_password(*, teacher: User, account: User) -> IssuedAccount:
    """Give a pupil account this teacher created a new one-time password: while it still has
    one (lost slip, expired), or once the pupil has chosen their own only with their consent."""
    _require_teacher(teacher)
    if account.created_by_id != teacher.pk or not account.is_student:
        raise PermissionDenied(_("You can only reset accounts you created."))
    # Locked and read again: the pupil may be setting their own password right now.
    current = User.objects.select_for_update().get(pk=account.pk)
    if not current.teacher_may_reset:
        raise PermissionDenied(
            _(
                "This pupil has chosen their own password. Only they (by allowing their teacher "
                "to reset it) or a site administrator can reset it."
            )
        )
    password = _one_time_password()
    account.password = _hash_one_time(password)
    account.must_change_password = True
    account.one_time_password_issued_at = timezone.now()
    account.save(update_fields=["password", "must_change_password", "one_time_password_issued_at"])
    return IssuedAccount(user=account, password=password)
