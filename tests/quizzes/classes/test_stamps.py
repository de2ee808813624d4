"""The class page's stamps: each changes with what its own cached part reads, and only then, in
the same few queries at any class size."""

import pytest
from django.utils import timezone

from awareness.models import User
from quizzes.classes.stamps import ClassStamps, class_stamps
from quizzes.models import Booster, Scenario
from tests.factories import add_student, make_check_items, play, take_check
from tests.quizzes.classes.test_results_cache import _class_of

pytestmark = pytest.mark.django_db


def changed(before: ClassStamps, after: ClassStamps) -> set[str]:
    return {
        part
        for part in ("results", "teach_next", "boosters")
        if getattr(before, part) != getattr(after, part)
    }


def test_nothing_changed_nothing_moves(lesson):
    classroom, _, _ = lesson
    assert changed(class_stamps(classroom), class_stamps(classroom)) == set()


def test_an_answer_moves_the_results_and_the_heatmap_but_not_the_boosters(lesson):
    classroom, scenario, students = lesson
    before = class_stamps(classroom)
    play(scenario, students["Di"], "safe")
    assert changed(before, class_stamps(classroom)) == {"results", "teach_next"}


def test_a_check_answered_halfway_moves_the_heatmap_only(lesson):
    classroom, _, students = lesson
    make_check_items()
    before = class_stamps(classroom)
    take_check(students["Ana"], missed=1, finish=False)
    halfway = class_stamps(classroom)
    assert changed(before, halfway) == {"teach_next"}
    take_check(students["Bo"])  # a finished check: its scores are in the results too
    assert changed(halfway, class_stamps(classroom)) == {"results", "teach_next"}


def test_a_booster_round_moves_the_boosters_only(lesson):
    classroom, _, students = lesson
    before = class_stamps(classroom)
    booster = Booster.objects.create(user=students["Bo"])
    started = class_stamps(classroom)
    assert changed(before, started) == {"boosters"}
    Booster.objects.filter(pk=booster.pk).update(finished_at=timezone.now())
    assert changed(started, class_stamps(classroom)) == {"boosters"}


def test_a_renamed_student_moves_the_results_and_the_boosters(lesson):
    classroom, _, students = lesson
    before = class_stamps(classroom)
    User.objects.filter(pk=students["Cy"].pk).update(display_name="Cyrus")
    assert changed(before, class_stamps(classroom)) == {"results", "boosters"}


def test_a_new_member_moves_all_three(lesson):
    classroom, _, _ = lesson
    before = class_stamps(classroom)
    add_student(classroom, display_name="Eve")
    assert changed(before, class_stamps(classroom)) == {"results", "teach_next", "boosters"}


def test_an_edited_scenario_moves_the_results_and_the_heatmap(lesson):
    classroom, scenario, _ = lesson
    before = class_stamps(classroom)
    Scenario.objects.filter(pk=scenario.pk).update(updated_at=timezone.now())
    assert changed(before, class_stamps(classroom)) == {"results", "teach_next"}


def test_the_stamps_take_five_queries_at_any_size(django_assert_num_queries):
    for classroom in (_class_of(1, 1), _class_of(30, 6)):
        with django_assert_num_queries(5):
            class_stamps(classroom)
