import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.models import Answer, Attempt
from quizzes.play.services import PlayError, attempt_answer, attempt_start, attempts_claim
from quizzes.scenarios.publishing import scenario_publish
from tests.factories import make_scenario, make_student

pytestmark = pytest.mark.django_db


def test_start_runs_through_messages_to_the_first_decision():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    assert attempt.path == ["m1", "d1"]
    assert attempt.current_key == "d1"
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_safe_choice_ends_the_attempt_safely():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    answer = attempt_answer(attempt=attempt, step_key="d1", choice_key="a")
    attempt.refresh_from_db()
    assert answer.is_safe
    assert attempt.status == Attempt.Status.COMPLETED
    assert attempt.outcome == "safe"
    assert (attempt.decisions, attempt.safe_decisions) == (1, 1)
    assert attempt.finished_at is not None


def test_an_answer_moves_the_attempts_updated_at():
    """The class pages' cache stamps read the latest change of the class's attempts: every
    answer must move it (an answer saves only the fields it changes)."""
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    started = Attempt.objects.get(pk=attempt.pk).updated_at
    attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    assert Attempt.objects.get(pk=attempt.pk).updated_at > started


def test_unsafe_path_through_spot_step_counts_flags():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    attempt.refresh_from_db()
    assert attempt.current_key == "s1" and attempt.path == ["m1", "d1", "n1", "s1"]
    spot = attempt_answer(attempt=attempt, step_key="s1", selected=["o2"])
    assert (spot.flags_found, spot.flags_missed, spot.wrongly_flagged) == (0, 1, 1)
    attempt_answer(attempt=attempt, step_key="d2", choice_key="pay")
    attempt.refresh_from_db()
    assert attempt.outcome == "harmed"
    assert (attempt.flags_found, attempt.flags_total) == (0, 1)
    assert (attempt.decisions, attempt.safe_decisions) == (2, 0)


def test_answer_twice_changes_nothing():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    first = attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    again = attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    attempt.refresh_from_db()
    assert first.pk == again.pk
    assert Answer.objects.count() == 1
    assert attempt.decisions == 1


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"].split(" WHERE ")[0] for q in queries.captured_queries]


def test_a_first_answer_locks_the_attempt_and_writes_without_reading_answers():
    """The answer POST students send most: one locked read of the attempt, then the answer
    and the attempt written; there is no earlier answer to look for."""
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    with CaptureQueriesContext(connection) as queries:
        attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    sql = statements(queries)
    assert not [q for q in sql if q.startswith("SELECT") and '"quizzes_answer"' in q], sql
    assert [q.split()[0] for q in sql if not q.startswith(("SAVEPOINT", "RELEASE"))] == [
        "SELECT",  # the attempt, locked (FOR UPDATE on PostgreSQL)
        "INSERT",
        "UPDATE",
    ], sql


def test_a_repeat_is_answered_from_one_read_without_the_write_lock():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    first = attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    attempt.refresh_from_db()  # as the view reads it for the repeat
    with CaptureQueriesContext(connection) as queries:
        again = attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    assert again.pk == first.pk
    sql = statements(queries)
    assert len(sql) == 1 and sql[0].startswith("SELECT") and '"quizzes_answer"' in sql[0], sql


def test_a_repeat_sent_from_a_stale_read_is_settled_under_the_lock():
    """Two taps read the attempt before either answer is saved: the second finds, under the
    lock, that the step is answered and gets the stored answer (or a 409 if different)."""
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    stale = Attempt.objects.get(pk=attempt.pk)
    first = attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    assert attempt_answer(attempt=stale, step_key="d1", choice_key="b").pk == first.pk
    with pytest.raises(PlayError) as error:
        attempt_answer(attempt=stale, step_key="d1", choice_key="a")
    assert error.value.status == 409
    assert Answer.objects.count() == 1


def test_a_different_answer_to_an_answered_step_is_refused():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    with pytest.raises(PlayError) as error:
        attempt_answer(attempt=attempt, step_key="d1", choice_key="a")
    assert error.value.status == 409
    assert Answer.objects.get().choice_key == "b"


@pytest.mark.parametrize(
    ("step_key", "choice_key", "selected", "status"),
    [
        ("d2", "pay", None, 409),  # not the current step
        ("d1", "zzz", None, 400),  # unknown choice
        ("d1", "o1", None, 400),  # an option of another step
        ("m1", "", None, 409),  # a message step
    ],
)
def test_bad_answers_store_nothing(step_key, choice_key, selected, status):
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    with pytest.raises(PlayError) as error:
        attempt_answer(attempt=attempt, step_key=step_key, choice_key=choice_key, selected=selected)
    assert error.value.status == status
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.current_key == "d1" and attempt.decisions == 0


def test_spot_with_unknown_or_no_options_is_refused():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    for selected in ([], ["nope"], ["a"]):
        with pytest.raises(PlayError):
            attempt_answer(attempt=attempt, step_key="s1", selected=selected)
    assert Answer.objects.count() == 1


def test_finished_attempt_takes_no_more_answers():
    attempt = attempt_start(scenario=make_scenario(), user=make_student())
    attempt_answer(attempt=attempt, step_key="d1", choice_key="a")
    with pytest.raises(PlayError) as error:
        attempt_answer(attempt=attempt, step_key="d2", choice_key="pay")
    assert error.value.status == 409


def test_republishing_keeps_an_attempt_in_progress_on_its_version():
    scenario = make_scenario()
    attempt = attempt_start(scenario=scenario, user=make_student())
    # The editor swaps where d2's choices lead and rewrites a feedback, then republishes.
    d2 = scenario.steps.get(key="d2")
    d2.choices.filter(key="pay").update(next_key="end-partly")
    d2.choices.filter(key="stop").update(next_key="end-harm")
    scenario.steps.get(key="d1").choices.filter(key="b").update(feedback="Changed.")
    new_version = scenario_publish(scenario=scenario)
    assert new_version.number == 2

    attempt_answer(attempt=attempt, step_key="d1", choice_key="b")
    attempt.refresh_from_db()
    assert attempt.version.number == 1
    assert attempt.current_key == "s1"
    attempt_answer(attempt=attempt, step_key="s1", selected=["o1"])
    attempt_answer(attempt=attempt, step_key="d2", choice_key="stop")
    attempt.refresh_from_db()
    assert attempt.outcome == "partly-harmed"  # the old graph: "stop" still ends partly harmed
    scenario.refresh_from_db()
    assert attempt_start(scenario=scenario, user=attempt.user).version == new_version


def test_publishing_unchanged_draft_reuses_the_version():
    scenario = make_scenario()
    assert scenario_publish(scenario=scenario).number == 1


def test_visitor_attempts_move_to_the_account_once():
    scenario = make_scenario()
    attempt = attempt_start(scenario=scenario, user=None, visitor_id="v-123")
    user = make_student()
    assert attempts_claim(user=user, visitor_id="v-123") == 1
    assert attempts_claim(user=user, visitor_id="v-123") == 0
    attempt.refresh_from_db()
    assert attempt.user == user and attempt.visitor_id == ""
    assert Attempt.objects.count() == 1


def test_start_needs_a_published_scenario():
    scenario = make_scenario(publish=False)
    with pytest.raises(PlayError):
        attempt_start(scenario=scenario, user=make_student())


def test_deleting_a_published_scenario_with_attempts_removes_it_whole():
    from quizzes.models import Scenario, ScenarioVersion

    scenario = make_scenario()
    attempt_start(scenario=scenario, user=make_student())
    Scenario.objects.get(pk=scenario.pk).delete()
    assert not ScenarioVersion.objects.exists() and not Attempt.objects.exists()


def test_a_published_version_cannot_be_deleted_alone():
    from django.db.models import RestrictedError

    scenario = make_scenario()
    with pytest.raises(RestrictedError):
        scenario.published_version.delete()
