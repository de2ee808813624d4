"""Join codes cannot be guessed: wrong codes are throttled per account and per address."""

import pytest

from quizzes.classes import services
from quizzes.classes.joining import JOIN_WRONG_PER_ADDRESS, JOIN_WRONG_PER_USER
from tests.factories import make_student, make_teacher

pytestmark = pytest.mark.django_db


def _try(client, code: str, address: str = "192.0.2.1"):
    return client.post("/join/", {"code": code}, REMOTE_ADDR=address)


def test_wrong_codes_are_throttled_per_account_with_a_clear_429(client):
    classroom = services.classroom_create(teacher=make_teacher(), name="7B")
    client.force_login(make_student())
    for _ in range(JOIN_WRONG_PER_USER):
        assert _try(client, "ZZZZZZZZ").status_code == 400
    response = _try(client, "ZZZZZZZZ")
    assert response.status_code == 429
    assert "Too many wrong join codes" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # The right code is refused too while the account is throttled (no oracle).
    assert _try(client, classroom.join_code).status_code == 429


def test_wrong_codes_are_throttled_per_address_across_accounts(client):
    for n in range(JOIN_WRONG_PER_ADDRESS):
        if n % JOIN_WRONG_PER_USER == 0:
            client.force_login(make_student())
        assert _try(client, "ZZZZZZZZ", "198.51.100.7").status_code == 400
    client.force_login(make_student())
    assert _try(client, "ZZZZZZZZ", "198.51.100.7").status_code == 429
    # A pupil at another address is not affected.
    assert _try(client, "ZZZZZZZZ", "192.0.2.55").status_code == 400


def test_a_class_making_a_few_typos_is_not_throttled(client):
    classroom = services.classroom_create(teacher=make_teacher(), name="7B")
    for _ in range(20):
        client.force_login(make_student())
        assert _try(client, "ZZZZZZZZ").status_code == 400
        assert _try(client, classroom.join_code).status_code == 200


def test_new_codes_are_long_enough_for_a_national_deployment():
    classroom = services.classroom_create(teacher=make_teacher(), name="7B")
    assert len(classroom.join_code) == 8
    assert len(services.JOIN_CODE_ALPHABET) ** len(classroom.join_code) > 5 * 10**11
