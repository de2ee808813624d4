"""Fixtures for the check tests: the shipped English check items and a logged-in student."""

import pytest

from tests.factories import make_student
from tests.quizzes.check.test_check import load_items


@pytest.fixture
def items():
    return load_items("en")


@pytest.fixture
def student_client(client):
    client.force_login(make_student("checker"))
    return client
