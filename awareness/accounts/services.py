from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from awareness.accounts.usernames import KEY_MAX_LENGTH, username_key, username_mixes_scripts
from awareness.models import User
from awareness.roles import TEACHERS

USERNAME_TAKEN = gettext_lazy("That username is taken.")
USERNAME_LOOKALIKE = gettext_lazy(
    "That username looks too much like another account's; choose another."
)
USERNAME_MIXED_SCRIPTS = gettext_lazy(
    "That username mixes look-alike letters from different alphabets (such as Latin and "
    "Cyrillic); use one alphabet."
)


def username_validate(*, username: str, user: User | None = None) -> None:
    """Refuse a new username (or ``user``'s new one) that mixes look-alike scripts or that a
    reader could take for another account's; the database's unique key is the backstop."""
    username = User.normalize_username(username)
    if username_mixes_scripts(username):
        raise ValidationError(USERNAME_MIXED_SCRIPTS, code="username_mixed_scripts")
    key = username_key(username)
    if len(key) > KEY_MAX_LENGTH:
        raise ValidationError(gettext_lazy("The name is too long."), code="username_too_long")
    others = User.objects.filter(username_key=key)
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    existing = others.values_list("username", flat=True).first()
    if existing is None:
        return
    if User.normalize_username(existing).casefold() == username.casefold():
        raise ValidationError(USERNAME_TAKEN, code="username_taken")
    raise ValidationError(USERNAME_LOOKALIKE, code="username_lookalike")


@transaction.atomic
def account_create(*, username: str, password: str, role: str = User.Role.STUDENT) -> User:
    """Create a student or teacher account (no e-mail, no real name) and put it in its group."""
    username_validate(username=username)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password, role=role)
    except IntegrityError:
        # Someone took the name (or a look-alike) since the check: say so, as the check would.
        username_validate(username=username)
        raise
    if role == User.Role.TEACHER:
        group, _ = Group.objects.get_or_create(name=TEACHERS)
        user.groups.add(group)
    return user


@transaction.atomic
def account_set_password(
    *, user: User, password: str, allow_teacher_reset: bool | None = None
) -> User:
    """Set a user's own password (ending any one-time password) and, when given, record whether
    the teacher who created the account may reset it."""
    user.set_password(password)
    user.must_change_password = False
    user.one_time_password_issued_at = None
    fields = ["password", "must_change_password", "one_time_password_issued_at"]
    if allow_teacher_reset is not None and user.created_by_id is not None:
        user.allow_teacher_reset = allow_teacher_reset
        fields.append("allow_teacher_reset")
    user.save(update_fields=fields)
    return user
