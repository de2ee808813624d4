"""Fixtures for the editors' admin tests: a logged-in editor, a topic and a valid draft."""

import pytest
from django.test import Client

from awareness.models import Topic
from quizzes.models import Scenario
from quizzes.scenarios.publishing import scenario_replace_steps
from tests.factories import make_editor
from tests.quizzes.scenarios.test_admin import make_topic


@pytest.fixture
def editor_client(client: Client) -> Client:
    client.force_login(make_editor())
    return client


@pytest.fixture
def topic() -> Topic:
    return make_topic()


@pytest.fixture
def draft(topic: Topic) -> Scenario:
    """A valid draft built through the publishing service's own step writer."""
    scenario = Scenario.objects.create(
        language="en",
        slug="fake-refund",
        title="Fake refund",
        summary="s",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="n1",
    )
    scenario_replace_steps(
        scenario=scenario,
        steps=[
            {"key": "n1", "kind": "narration", "text": "A text arrives.", "next": "end"},
            {"key": "end", "kind": "ending", "outcome": "safe", "text": "Done."},
        ],
    )
    return scenario
