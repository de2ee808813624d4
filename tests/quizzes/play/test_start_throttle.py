"""Starting attempts and checks is limited per player and, for visitors, per address."""

import pytest
from django.test import Client

from quizzes.models import Attempt, CheckSession
from quizzes.play import start_throttle
from quizzes.play.start_throttle import STARTS_PER_ADDRESS, STARTS_PER_PLAYER
from tests.factories import make_check_items, make_scenario, make_student

pytestmark = pytest.mark.django_db

START = "/scenarios/likes-for-money/start/"


def test_a_visitor_cannot_start_attempts_without_end(client):
    make_scenario()
    for _ in range(STARTS_PER_PLAYER):
        assert client.post(START).status_code == 302
    response = client.post(START)
    assert response.status_code == 429 and "Retry-After" in response
    assert Attempt.objects.count() == STARTS_PER_PLAYER


def test_cookieless_starts_are_limited_per_address(monkeypatch):
    assert STARTS_PER_ADDRESS >= 40 * 5  # a class of 40 visitors, five scenarios each
    monkeypatch.setattr(start_throttle, "STARTS_PER_ADDRESS", 5)
    make_scenario()
    for _ in range(5):
        assert Client().post(START, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert Client().post(START, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert Client().post(START, REMOTE_ADDR="192.0.2.1").status_code == 302


def test_check_starts_count_too(client):
    make_check_items()
    client.force_login(make_student())
    for _ in range(STARTS_PER_PLAYER):
        assert client.post("/check/start/").status_code in (302, 400)
    assert client.post("/check/start/").status_code == 429
    assert CheckSession.objects.count() <= STARTS_PER_PLAYER


def test_a_signed_in_student_is_not_limited_by_the_school_address(client):
    make_scenario()
    for _ in range(3):
        Client().post(START, REMOTE_ADDR="192.0.2.1")
    client.force_login(make_student())
    assert client.post(START, REMOTE_ADDR="192.0.2.1").status_code == 302
