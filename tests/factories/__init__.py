"""Helpers that build test data through the real services where one exists.

``make_scenario`` builds a small scenario with a slug of your choice;
``make_branching_scenario`` a published one with two decisions, a spot step and three endings,
which ``play`` can take to each ending (the class and privacy tests use it).
"""

from tests.factories.classes import (
    add_student,
    assign,
    bulk_attempts,
    bulk_checks,
    make_check_items,
    make_class,
    play,
    take_check,
    tomorrow,
)
from tests.factories.scenarios import (
    BRANCHING_STEPS,
    long_scenario_steps,
    make_branching_scenario,
    make_numbered_topic,
    make_scenario,
    make_topic,
    small_scenario_steps,
)
from tests.factories.users import PASSWORD, make_editor, make_student, make_teacher

__all__ = [
    "BRANCHING_STEPS",
    "PASSWORD",
    "add_student",
    "assign",
    "bulk_attempts",
    "bulk_checks",
    "long_scenario_steps",
    "make_branching_scenario",
    "make_check_items",
    "make_class",
    "make_editor",
    "make_numbered_topic",
    "make_scenario",
    "make_student",
    "make_teacher",
    "make_topic",
    "play",
    "small_scenario_steps",
    "take_check",
    "tomorrow",
]
