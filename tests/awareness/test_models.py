"""awareness.models.User: the look-alike key is kept on every write and unique in the database."""

import pytest
from django.db import IntegrityError, transaction

from awareness.accounts.usernames import username_key
from awareness.models import User
from tests.factories import make_student

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lookalike", ["DEMO-TEACHER", "ｄｅｍｏ-teacher", "d\u0435mo-teacher"])
def test_the_database_refuses_a_second_account_with_the_same_key(lookalike):
    make_student("demo-teacher")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=lookalike)
    assert User.objects.count() == 1


def test_bulk_created_accounts_get_their_key_and_the_same_constraint():
    make_student("demo-teacher")
    (pupil,) = User.objects.bulk_create([User(username="Pupil-One")])
    assert User.objects.get(pk=pupil.pk).username_key == username_key("pupil-one")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(username="Demo-Teacher")])


def test_a_rename_saved_with_update_fields_updates_the_key():
    make_student("demo-teacher")
    user = make_student("someone")
    user.username = "Demo-Teacher"
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save(update_fields=["username"])
    user.username = "Someone-Else"
    user.save(update_fields=["username"])
    assert User.objects.get(pk=user.pk).username_key == username_key("someone-else")
