"""Fixtures for the play tests: a published scenario and a logged-in student."""

import pytest

from tests.factories import make_scenario, make_student


@pytest.fixture
def scenario():
    return make_scenario()


@pytest.fixture
def student_client(client):
    client.force_login(make_student("kid"))
    return client
