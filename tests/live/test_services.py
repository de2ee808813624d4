"""The state machine of a live session and the rules of item 5 of issue 14, on the services."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from live import services
from live.models import LiveParticipant, LiveSession, LiveVote
from live.services import LiveError
from tests.factories import add_student, make_scenario, make_teacher
from tests.live.conftest import join_guest

pytestmark = pytest.mark.django_db
State = LiveSession.State


def fresh(session: LiveSession) -> LiveSession:
    session.refresh_from_db()
    return session


def test_a_new_session_waits_in_the_lobby_with_a_six_character_code(session):
    assert session.state == State.LOBBY
    assert len(session.join_code) == 6
    assert set(session.join_code) <= set(services.JOIN_CODE_ALPHABET)
    assert sorted(session.option_order) == ["d1", "d2", "s1"]
    assert services.session_for_code(session.join_code.lower()) == session


def test_the_whole_state_machine_from_lobby_to_ended(session, classroom):
    teacher = classroom.teacher
    revisions = [session.revision]
    student = services.live_join(session=session, user=add_student(classroom), nickname="")
    guest = join_guest(session)
    revisions.append(fresh(session).revision)

    services.live_start(session=session, teacher=teacher)
    session = fresh(session)
    assert (session.state, session.current_key, session.path) == (State.STEP, "d1", ["m1", "d1"])
    services.live_vote(participant=student, step_key="d1", choice_key="b", selected=[])
    services.live_vote(participant=guest, step_key="d1", choice_key="a", selected=[])
    assert fresh(session).voted_count == 2

    services.live_reveal(session=session, teacher=teacher)
    assert fresh(session).state == State.REVEALED
    # "Let's see what happens if we reply": the teacher picks the branch, not the tie's first.
    services.live_follow(session=session, teacher=teacher, choice_key="b")
    session = fresh(session)
    assert (session.state, session.current_key, session.voted_count) == (State.STEP, "s1", 0)
    assert session.path == ["m1", "d1", "n1", "s1"]
    assert session.followed == {"d1": "b"}

    services.live_vote(participant=guest, step_key="s1", selected=["o1"])
    services.live_reveal(session=session, teacher=teacher)
    services.live_next(session=session, teacher=teacher)
    assert fresh(session).current_key == "d2"

    services.live_vote(participant=student, step_key="d2", choice_key="stop", selected=[])
    services.live_vote(participant=guest, step_key="d2", choice_key="stop", selected=[])
    services.live_reveal(session=session, teacher=teacher)
    services.live_follow(session=session, teacher=teacher)  # the majority: stop
    session = fresh(session)
    assert (session.state, session.current_key) == (State.STEP, "end-partly")
    with pytest.raises(LiveError):
        services.live_reveal(session=session, teacher=teacher)  # nothing to vote on at an end

    services.live_end(session=session, teacher=teacher)
    session = fresh(session)
    assert session.state == State.ENDED and session.ended_at is not None
    revisions.append(session.revision)
    assert revisions == sorted(set(revisions))  # every change bumped the revision
    # Two joins; then start, 5 votes, 3 reveals, 2 follows, next and end.
    assert session.revision == 1 + 2 + 13


def test_a_second_vote_on_a_step_is_refused(session, classroom):
    guest = join_guest(session)
    services.live_start(session=session, teacher=classroom.teacher)
    services.live_vote(participant=guest, step_key="d1", choice_key="a", selected=[])
    with pytest.raises(LiveError) as refused:
        services.live_vote(participant=guest, step_key="d1", choice_key="b", selected=[])
    assert refused.value.status == 409
    assert "already voted" in refused.value.message
    assert LiveVote.objects.get().choice_key == "a"
    assert fresh(session).voted_count == 1


def test_no_vote_after_the_reveal_nor_while_paused_nor_on_another_step(session, classroom):
    teacher = classroom.teacher
    guest = join_guest(session)
    with pytest.raises(LiveError):  # still in the lobby
        services.live_vote(participant=guest, step_key="d1", choice_key="a", selected=[])
    services.live_start(session=session, teacher=teacher)
    services.live_pause(session=session, teacher=teacher, paused=True)
    with pytest.raises(LiveError, match="paused"):
        services.live_vote(participant=guest, step_key="d1", choice_key="a", selected=[])
    services.live_pause(session=session, teacher=teacher, paused=False)
    with pytest.raises(LiveError, match="not open"):
        services.live_vote(participant=guest, step_key="d2", choice_key="pay", selected=[])
    services.live_reveal(session=session, teacher=teacher)
    with pytest.raises(LiveError, match="closed") as refused:
        services.live_vote(participant=guest, step_key="d1", choice_key="a", selected=[])
    assert refused.value.status == 409
    assert not LiveVote.objects.exists()


def test_a_vote_that_does_not_fit_the_step_is_a_400(session, classroom):
    guest = join_guest(session)
    services.live_start(session=session, teacher=classroom.teacher)
    with pytest.raises(LiveError) as refused:
        services.live_vote(participant=guest, step_key="d1", choice_key="zzz", selected=[])
    assert refused.value.status == 400


def test_another_teacher_controls_nothing(session):
    stranger = make_teacher()
    for change in (services.live_start, services.live_end):
        with pytest.raises(LiveError) as refused:
            change(session=session, teacher=stranger)
        assert refused.value.status == 404
    assert fresh(session).state == State.LOBBY


def test_a_class_of_another_teacher_or_a_student_cannot_start_a_session(scenario, classroom):
    with pytest.raises(LiveError):
        services.live_create(teacher=make_teacher(), scenario=scenario, classroom=classroom)
    with pytest.raises(LiveError):
        services.live_create(teacher=add_student(classroom), scenario=scenario)
    draft = make_scenario("draft", publish=False)
    with pytest.raises(LiveError):
        services.live_create(teacher=classroom.teacher, scenario=draft)


def test_follow_the_majority_and_ties_and_nobody_voting(session, classroom):
    teacher = classroom.teacher
    services.live_start(session=session, teacher=teacher)
    services.live_reveal(session=session, teacher=teacher)
    with pytest.raises(LiveError, match="Nobody voted"):
        services.live_follow(session=session, teacher=teacher)
    # A tie goes to the choice shown first.
    other = services.live_create(teacher=teacher, scenario=session.scenario)
    services.live_start(session=other, teacher=teacher)
    for nickname, choice in (("A", "a"), ("B", "b")):
        guest = join_guest(other, nickname)
        services.live_vote(participant=guest, step_key="d1", choice_key=choice, selected=[])
    services.live_reveal(session=other, teacher=teacher)
    services.live_follow(session=other, teacher=teacher)
    first_shown = fresh(other).option_order["d1"][0]
    assert fresh(other).followed == {"d1": first_shown}


def test_joining_twice_keeps_one_participant(session, classroom):
    student = add_student(classroom)
    first = services.live_join(session=session, user=student)
    assert services.live_join(session=session, user=student) == first
    guest = join_guest(session)
    assert services.live_join(session=session, user=None, token=guest.token) == guest
    assert fresh(session).joined_count == 2
    assert LiveParticipant.objects.count() == 2


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Kiwi  ", "Kiwi"),
        ("Ki\u0000wi\u202e", "Kiwi"),  # a NUL and a right-to-left override
        ("Tab\there\nnow", "Tab here now"),
        ("ＫＩＷＩ", "KIWI"),  # full-width letters folded
        ("小明", "小明"),
        ("x" * 20, "x" * 20),
    ],
)
def test_nicknames_lose_control_characters(session, typed, kept):
    assert join_guest(session, typed).nickname == kept


@pytest.mark.parametrize("typed", ["", "   ", "\u0000\u200b\u202e", "x" * 21])
def test_empty_or_long_nicknames_are_refused(session, typed):
    with pytest.raises(LiveError) as refused:
        join_guest(session, typed)
    assert refused.value.status == 400
    assert not LiveParticipant.objects.exists()


def test_ending_deletes_the_guests_and_keeps_their_votes_as_counts(session, classroom):
    teacher = classroom.teacher
    student = services.live_join(session=session, user=add_student(classroom))
    guests = [join_guest(session, f"G{n}") for n in range(3)]
    services.live_start(session=session, teacher=teacher)
    for participant in [student, *guests]:
        services.live_vote(participant=participant, step_key="d1", choice_key="b", selected=[])
    services.live_end(session=session, teacher=teacher)
    assert list(LiveParticipant.objects.all()) == [student]  # no nickname, no token left
    assert LiveVote.objects.filter(session=session).count() == 4
    assert LiveVote.objects.filter(participant__isnull=True).count() == 3
    assert fresh(session).joined_count == 4
    # The code is free again; the ended session cannot be joined.
    with pytest.raises(LiveError):
        services.session_for_code(session.join_code)
    with pytest.raises(LiveError):
        join_guest(session)
    services.live_end(session=session, teacher=teacher)  # twice: nothing changes


def test_sessions_left_open_are_ended_by_the_daily_command(session, classroom):
    join_guest(session)
    fresh_one = services.live_create(teacher=classroom.teacher, scenario=session.scenario)
    LiveSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - timedelta(hours=13)
    )
    call_command("live_end_stale", "--dry-run")
    assert fresh(session).state == State.LOBBY
    call_command("live_end_stale")
    assert fresh(session).state == State.ENDED
    assert fresh(fresh_one).state == State.LOBBY
    assert not LiveParticipant.objects.exists()
