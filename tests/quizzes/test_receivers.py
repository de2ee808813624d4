"""A visitor's play moves to the account they sign up or log in with, whichever way."""

from pathlib import Path

import pytest

import awareness.accounts
from quizzes.models import Attempt
from tests.factories import PASSWORD, make_scenario, make_student

pytestmark = pytest.mark.django_db


def _play_as_visitor(client) -> Attempt:
    make_scenario()
    client.post("/scenarios/likes-for-money/start/")
    return Attempt.objects.get()


def test_logging_in_claims_the_visitors_attempts(client):
    attempt = _play_as_visitor(client)
    student = make_student()
    response = client.post("/accounts/login/", {"username": student.username, "password": PASSWORD})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user == student and attempt.visitor_id == ""


def test_signing_up_claims_the_visitors_attempts(client):
    attempt = _play_as_visitor(client)
    password = "a-new-pass-phrase-77"
    response = client.post(
        "/accounts/signup/",
        {"username": "otter-4821", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user is not None and attempt.user.username == "otter-4821"


def test_the_account_package_does_not_import_quizzes():
    """Dependencies run one way: quizzes listens to sign-ins, accounts know nothing of it."""
    package = Path(awareness.accounts.__file__).parent
    modules = sorted(package.glob("*.py"))
    assert len(modules) > 5, modules
    for module in modules:
        assert "quizzes" not in module.read_text(encoding="utf-8"), module
