"""Fixtures for the class results tests: a class of four on one scenario, and their checks."""

import pytest

from tests.factories import (
    add_student,
    assign,
    make_branching_scenario,
    make_check_items,
    make_class,
    play,
    take_check,
)


@pytest.fixture
def lesson():
    """A class of four on one scenario: safe, partly harmed, harmed (twice), not started."""
    classroom = make_class(name="7B")
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    students = {
        name: add_student(classroom, display_name=name) for name in ("Ana", "Bo", "Cy", "Di")
    }
    play(scenario, students["Ana"], "safe")
    play(scenario, students["Bo"], "partly-harmed")
    play(scenario, students["Cy"], "harmed")
    play(scenario, students["Cy"], "safe")  # a retry: the first finished attempt counts
    play(scenario, students["Di"], "in-progress")
    return classroom, scenario, students


@pytest.fixture
def checks(lesson):
    """Ana took the check before (7 of 10 right) and after (10 of 10); Bo only before (8 of
    10); Di is halfway through her first one; Cy has not started."""
    classroom, scenario, students = lesson
    make_check_items()
    take_check(students["Ana"], missed=1, false_alarms=2)
    take_check(students["Ana"])
    take_check(students["Bo"], missed=2)
    take_check(students["Di"], finish=False)
    return lesson
