"""Fixtures for the check tests: a bank of matched pairs (three forms of five pairs) and a
logged-in student."""

import pytest

from tests.factories import make_check_items, make_student


@pytest.fixture
def items():
    return make_check_items("en")


@pytest.fixture
def student_client(client):
    client.force_login(make_student("checker"))
    return client
