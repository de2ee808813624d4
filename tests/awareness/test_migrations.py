"""awareness/migrations/0005_username_key.py: existing accounts get their keys; of accounts that
already look alike, the oldest keeps the plain key and the later ones get "#<id>" appended."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from awareness.accounts.usernames import KEY_MAX_LENGTH, username_key
from awareness.models import User

pytestmark = pytest.mark.django_db

migration = importlib.import_module("awareness.migrations.0005_username_key")


def test_backfill_keys_every_account_and_keeps_them_unique():
    names = ["demo-teacher", "王小明", "DEMO-TEACHER", "d\u0435mo-teacher", "m" * 150, "꽦" * 60]
    # Accounts as they were before the migration, look-alikes included: update() writes the
    # columns as given, without the key the model would compute.
    users = [User.objects.create(username=f"placeholder-{i}") for i in range(len(names))]
    for user, name in zip(users, names, strict=True):
        User.objects.filter(pk=user.pk).update(username=name, username_key=f"unset-{user.pk}")

    migration.backfill_username_keys(apps, SimpleNamespace(connection=connection))

    keys = dict(User.objects.values_list("username", "username_key"))
    upper, cyrillic, hangul = users[2], users[3], users[5]
    assert keys["demo-teacher"] == username_key("demo-teacher")
    assert keys["王小明"] == "王小明"
    assert keys["DEMO-TEACHER"] == f"{username_key('demo-teacher')}#{upper.pk}"
    assert keys["d\u0435mo-teacher"] == f"{username_key('demo-teacher')}#{cyrillic.pk}"
    assert keys["m" * 150] == username_key("m" * 150)  # 300 characters: it fits
    assert len(username_key("꽦" * 60)) > KEY_MAX_LENGTH  # too long: cut, and made unique
    assert len(keys["꽦" * 60]) == KEY_MAX_LENGTH and keys["꽦" * 60].endswith(f"#{hangul.pk}")
    assert len(set(keys.values())) == len(names)
