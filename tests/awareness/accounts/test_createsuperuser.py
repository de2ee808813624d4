"""manage.py createsuperuser (awareness.management.commands.createsuperuser) refuses a
username that passes for another account's, with a message instead of a traceback."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from awareness.accounts.usernames import username_key
from awareness.models import User
from tests.factories import make_teacher

pytestmark = pytest.mark.django_db


def createsuperuser(username: str) -> None:
    call_command(
        "createsuperuser",
        username=username,
        email="",
        interactive=False,
        stdout=StringIO(),
        stderr=StringIO(),
    )


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("DEMO-TEACHER", "That username is taken."),
        ("d\u0435mo-teacher", "mixes look-alike letters"),
    ],
)
def test_createsuperuser_refuses_a_lookalike(username, message):
    make_teacher("demo-teacher")
    with pytest.raises(CommandError, match=message):
        createsuperuser(username)
    assert User.objects.count() == 1


def test_createsuperuser_with_a_distinct_name_works():
    make_teacher("demo-teacher")
    createsuperuser("site-admin")
    admin = User.objects.get(username="site-admin")
    assert admin.is_superuser and admin.username_key == username_key("site-admin")
