"""Sign-up and account creation refuse usernames that pass for another account's: other case,
fullwidth letters, look-alike letters from another script
(awareness.accounts.services.username_validate behind awareness.accounts.forms.SignupForm
and account_create)."""

import pytest
from django.core.exceptions import ValidationError

from awareness.accounts import forms as awareness_forms
from awareness.accounts.services import account_create
from awareness.accounts.usernames import username_key
from awareness.models import User
from tests.factories import make_teacher

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-and-long-passphrase-77"
TAKEN = "That username is taken."
LOOKALIKE = "That username looks too much like another account&#x27;s; choose another."
MIXED = "mixes look-alike letters from different alphabets"


def signup(client, username: str):
    return client.post(
        "/accounts/signup/",
        {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("DEMO-TEACHER", TAKEN),
        ("Demo-Teacher", TAKEN),
        ("ｄｅｍｏ-TEACHER", TAKEN),  # fullwidth letters, another case
        ("ＤＥＭＯ-ｔｅａｃｈｅｒ", TAKEN),
        ("d\u0435mo-teacher", MIXED),  # a Cyrillic е among Latin letters
        ("dem0-teacher", LOOKALIKE),  # a zero for the o
        ("derno-teacher", LOOKALIKE),  # rn for m
    ],
)
def test_signup_refuses_a_lookalike_of_an_existing_username(client, username, message):
    make_teacher("demo-teacher")
    response = signup(client, username)
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_signup_error_is_translated(client):
    make_teacher("demo-teacher")
    client.cookies["django_language"] = "zh-hans"
    response = signup(client, "DEMO-TEACHER")
    assert response.status_code == 200
    assert "这个用户名已被使用。" in response.content.decode()


@pytest.mark.parametrize("username", ["demo-pupil", "王小明", "小明abc"])
def test_signup_with_a_distinct_name_works_and_keys_the_account(client, username):
    make_teacher("demo-teacher")
    response = signup(client, username)
    assert response.status_code == 302
    user = User.objects.get(username=username)
    assert user.username_key == username_key(username)
    assert client.get("/").context["user"] == user


def test_account_create_refuses_a_fullwidth_copy_with_a_form_error_not_a_crash():
    make_teacher("demo-teacher")
    with pytest.raises(ValidationError) as refused:
        account_create(username="ｄｅｍｏ-teacher", password=NEW_PASSWORD)
    assert refused.value.code == "username_taken"
    assert User.objects.count() == 1


def test_a_lookalike_taken_between_the_check_and_the_insert_is_a_form_error(client, monkeypatch):
    """Two sign-ups at once: the form's check passes for both, the database refuses one."""
    make_teacher("demo-teacher")
    monkeypatch.setattr(awareness_forms, "username_validate", lambda **kwargs: None)
    response = signup(client, "DEMO-TEACHER")
    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert User.objects.count() == 1
