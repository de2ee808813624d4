"""A live session of the small branching scenario (tests/factories/scenarios.py): m1 -> d1
(a: safe, to an ending; b: risky, on to the spot step s1 and the decision d2)."""

import pytest

from live import services
from live.models import LiveSession
from tests.factories import make_class, make_scenario, small_scenario_steps

DISCUSSION = ["Why would a stranger pay 300 a day for likes?", "Who could you ask?"]


def live_steps() -> list[dict]:
    steps = small_scenario_steps()
    next(step for step in steps if step["key"] == "d1")["discussion"] = DISCUSSION
    return steps


@pytest.fixture
def scenario(db):
    return make_scenario(steps=live_steps())


@pytest.fixture
def classroom(db):
    return make_class()


@pytest.fixture
def session(scenario, classroom) -> LiveSession:
    return services.live_create(teacher=classroom.teacher, scenario=scenario, classroom=classroom)


def join_guest(session: LiveSession, nickname: str = "Kiwi"):
    return services.live_join(session=session, user=None, nickname=nickname)
