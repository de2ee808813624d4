from django.contrib.auth.models import Group
from django.db import transaction

from awareness.models import User
from awareness.roles import TEACHERS


@transaction.atomic
def account_create(*, username: str, password: str, role: str = User.Role.STUDENT) -> User:
    """Create a student or teacher account (no e-mail, no real name) and put it in its group."""
    user = User.objects.create_user(username=username, password=password, role=role)
    if role == User.Role.TEACHER:
        group, _ = Group.objects.get_or_create(name=TEACHERS)
        user.groups.add(group)
    return user


@transaction.atomic
def account_set_password(*, user: User, password: str) -> User:
    """Set a user's own password and clear any "change it at first login" flag."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user
