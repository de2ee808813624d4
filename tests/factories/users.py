"""Accounts built through the real services."""

from itertools import count

from django.contrib.auth.models import Group

from awareness.accounts.services import account_create
from awareness.models import User
from awareness.roles import EDITORS

PASSWORD = "correct-horse-battery-staple-42"
_seq = count(1)


def make_student(username: str | None = None, **extra) -> User:
    user = account_create(username=username or f"student{next(_seq)}", password=PASSWORD)
    if extra:
        User.objects.filter(pk=user.pk).update(**extra)
        user.refresh_from_db()
    return user


def make_teacher(username: str | None = None) -> User:
    return account_create(
        username=username or f"teacher{next(_seq)}", password=PASSWORD, role=User.Role.TEACHER
    )


def make_editor(username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"editor{next(_seq)}", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    return user
