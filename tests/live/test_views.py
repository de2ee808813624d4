"""The live pages through HTTP: who may see and press what (404 for anyone else), join codes
throttled like class codes, nicknames filtered, votes refused with a 409 and a clear message,
names never on the projector, the class page and the figures."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from live import services
from live.models import LiveParticipant, LiveSession, LiveVote
from live.phone import LIVE_WRONG_PER_ADDRESS
from quizzes.classes.joining import JOIN_WRONG_PER_ADDRESS, JOIN_WRONG_PER_USER
from quizzes.scenarios.versions import version_content
from tests.factories import add_student, make_class, make_student, make_teacher
from tests.live.conftest import join_guest

version_content_cache_clear = version_content.cache_clear

pytestmark = pytest.mark.django_db
State = LiveSession.State


def url(name: str, session: LiveSession) -> str:
    return reverse(f"live:{name}", args=[session.pk])


def teacher_client(session: LiveSession) -> Client:
    client = Client()
    client.force_login(session.teacher)
    return client


def guest_client(session: LiveSession, nickname: str = "Kiwi") -> Client:
    client = Client()
    response = client.post(reverse("live:join", args=[session.join_code]), {"nickname": nickname})
    assert response.status_code == 302
    assert response["Location"] == url("phone", session)
    return client


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def press(client: Client, session: LiveSession, action: str, **extra) -> int:
    return client.post(url("control", session), {"action": action, **extra}).status_code


# --- the teacher ------------------------------------------------------------------------------


def test_the_teacher_opens_a_session_for_a_class(client, scenario, classroom):
    client.force_login(classroom.teacher)
    page = client.get(reverse("live:new") + f"?class={classroom.pk}")
    assert page.status_code == 200
    assert f'<option value="{classroom.pk}" selected>' in page.content.decode()
    response = client.post(
        reverse("live:new"), {"scenario": scenario.pk, "classroom": classroom.pk}
    )
    session = LiveSession.objects.get()
    assert response["Location"] == url("screen", session)
    assert session.classroom == classroom and session.version_id == scenario.published_version_id
    screen = client.get(url("screen", session)).content.decode()
    assert session.join_code in screen
    assert '<svg role="img"' in screen and "QR code" in screen  # drawn on the server
    assert f"/live/join/{session.join_code}/" in screen


def test_a_room_of_guests_needs_no_class_and_a_bad_form_is_a_400(client, scenario):
    teacher = make_teacher()
    client.force_login(teacher)
    assert client.post(reverse("live:new"), {"scenario": scenario.pk}).status_code == 302
    assert LiveSession.objects.get().classroom is None
    assert client.post(reverse("live:new"), {"scenario": "x"}).status_code == 400
    other_class = make_class()  # someone else's class
    bad = client.post(reverse("live:new"), {"scenario": scenario.pk, "classroom": other_class.pk})
    assert bad.status_code == 400


def test_students_and_visitors_cannot_open_a_session(client, scenario):
    client.force_login(make_student())
    assert client.get(reverse("live:new")).status_code == 404


@pytest.mark.parametrize("name", ["screen", "control", "results", "state"])
def test_another_teacher_or_a_student_gets_a_404(session, name):
    for user in (make_teacher(), make_student()):
        client = Client()
        client.force_login(user)
        assert client.get(url(name, session)).status_code == 404
        assert client.post(url(name, session), {"action": "end"}).status_code in (404, 405)
    assert Client().get(url("state", session)).status_code == 404
    assert LiveSession.objects.get().state == State.LOBBY


def test_another_teacher_cannot_press_anything(session):
    client = Client()
    client.force_login(make_teacher())
    for action in ("start", "reveal", "follow", "next", "pause", "hide-names", "end"):
        assert press(client, session, action) == 404
    assert LiveSession.objects.get().revision == session.revision


def test_the_controls_move_the_session_on(session, classroom):
    client = teacher_client(session)
    guest = guest_client(session)
    assert press(client, session, "start") == 302
    guest.post(url("vote", session), {"step": "d1", "choice": "a"})
    assert press(client, session, "follow") == 409  # not revealed yet
    assert press(client, session, "reveal", back="screen") == 302
    assert press(client, session, "follow", choice="b") == 302
    assert LiveSession.objects.get().current_key == "s1"
    assert press(client, session, "pause") == 302 and LiveSession.objects.get().paused
    assert press(client, session, "resume") == 302 and not LiveSession.objects.get().paused
    assert press(client, session, "dance") == 400
    assert press(client, session, "end") == 302
    assert LiveSession.objects.get().state == State.ENDED


def test_a_refused_press_says_why(session):
    response = teacher_client(session).post(url("control", session), {"action": "reveal"})
    assert response.status_code == 409
    assert "There is no vote to reveal now." in response.content.decode()


# --- names ------------------------------------------------------------------------------------


def test_names_are_never_on_the_projector_and_can_be_hidden_on_the_controls(session, classroom):
    student = add_student(classroom, display_name="Mei Visible")
    student_client = Client()
    student_client.force_login(student)
    student_client.post(reverse("live:join", args=[session.join_code]))
    guest_client(session, "Zebra42")
    teacher = teacher_client(session)
    for state_change in (None, "start", "reveal"):
        if state_change:
            press(teacher, session, state_change)
        screen = teacher.get(url("screen", session)).content.decode()
        assert "Zebra42" not in screen and "Mei Visible" not in screen
    controls = teacher.get(url("control", session)).content.decode()
    assert "Zebra42" in controls and "Mei Visible" in controls
    press(teacher, session, "hide-names")
    controls = teacher.get(url("control", session)).content.decode()
    assert "Zebra42" not in controls and "Mei Visible" not in controls
    assert "Nicknames are hidden." in controls


# --- phones: codes, nicknames, votes ----------------------------------------------------------


def test_a_student_types_the_code_and_joins_as_themselves(session, classroom):
    student = add_student(classroom)
    client = Client()
    client.force_login(student)
    response = client.post(reverse("live:enter"), {"code": session.join_code.lower()})
    assert response["Location"] == reverse("live:join", args=[session.join_code])
    page = client.get(response["Location"])
    assert "nickname" not in page.content.decode()
    assert client.post(response["Location"])["Location"] == url("phone", session)
    assert LiveParticipant.objects.get().user == student
    # Joined already: the link goes straight to the session.
    assert client.get(response["Location"])["Location"] == url("phone", session)


def test_wrong_codes_are_throttled_per_address(client, session):
    for _ in range(LIVE_WRONG_PER_ADDRESS):
        assert client.post(reverse("live:enter"), {"code": "ZZZZZZ"}).status_code == 400
    refused = client.post(reverse("live:enter"), {"code": session.join_code})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert client.get(reverse("live:join", args=[session.join_code])).status_code == 429


def test_a_room_behind_one_address_that_mistypes_still_joins(session):
    """40 phones behind a school's one address, each mistyping once: more wrong codes than
    an address may try for class codes, and every phone still gets in."""
    assert JOIN_WRONG_PER_ADDRESS < 40 < LIVE_WRONG_PER_ADDRESS
    phones = [Client() for _ in range(40)]
    for phone in phones:
        assert phone.post(reverse("live:enter"), {"code": "ZZZZZZ"}).status_code == 400
    for phone in phones:
        assert phone.post(reverse("live:enter"), {"code": session.join_code}).status_code == 302


def test_wrong_codes_are_throttled_per_account_and_by_link(session):
    client = Client()
    client.force_login(make_student())
    for _ in range(JOIN_WRONG_PER_USER):
        assert client.get(reverse("live:join", args=["ZZZZZZ"])).status_code == 404
    assert client.get(reverse("live:join", args=[session.join_code])).status_code == 429


def test_malformed_codes_are_a_4xx_never_a_500(client, session):
    assert client.get(reverse("live:enter") + "?code=" + "x" * 500).status_code == 400
    assert client.get(reverse("live:join", args=["%00%FF" * 30])).status_code == 404
    assert client.post(reverse("live:enter"), {"code": ""}).status_code == 400


@pytest.mark.parametrize(
    ("typed", "status", "kept"),
    [
        ("", 400, None),
        ("\u0007\u200b ", 400, None),
        ("y" * 21, 400, None),
        ("Ki\u0000wi\u202e", 302, "Kiwi"),
        ("  Cool   cat ", 302, "Cool cat"),
    ],
)
def test_nicknames_are_filtered(client, session, typed, status, kept):
    response = client.post(reverse("live:join", args=[session.join_code]), {"nickname": typed})
    assert response.status_code == status
    nicknames = list(LiveParticipant.objects.values_list("nickname", flat=True))
    assert nicknames == ([kept] if kept else [])


def test_a_second_vote_is_a_409_with_a_clear_message(session):
    guest = guest_client(session)
    press(teacher_client(session), session, "start")
    assert guest.post(url("vote", session), {"step": "d1", "choice": "a"}).status_code == 302
    again = guest.post(url("vote", session), {"step": "d1", "choice": "b"})
    assert again.status_code == 409
    assert "You have already voted on this step." in again.content.decode()
    assert LiveVote.objects.get().choice_key == "a"


def test_a_vote_after_the_reveal_is_a_409_and_the_phone_says_if_it_was_safe(session):
    voter, late = guest_client(session, "Voter"), guest_client(session, "Late")
    teacher = teacher_client(session)
    press(teacher, session, "start")
    assert "Vote" in voter.get(url("phone", session)).content.decode()
    voter.post(url("vote", session), {"step": "d1", "choice": "b"})
    press(teacher, session, "reveal")
    refused = late.post(url("vote", session), {"step": "d1", "choice": "a"})
    assert refused.status_code == 409
    assert "Voting on this step is closed" in refused.content.decode()
    phone = voter.get(url("phone", session)).content.decode()
    assert "Risky choice" in phone and "This is how the task scam starts." in phone


def test_bad_votes_are_a_400_and_strangers_a_404(session):
    guest = guest_client(session)
    press(teacher_client(session), session, "start")
    assert guest.post(url("vote", session), {"step": "d1", "choice": "nope"}).status_code == 400
    assert guest.post(url("vote", session), {"choice": "a"}).status_code == 400
    assert guest.post(url("vote", session), {"step": "x" * 500}).status_code == 400
    assert Client().post(url("vote", session), {"step": "d1", "choice": "a"}).status_code == 404
    assert Client().get(url("phone", session)).status_code == 404


def test_a_guest_is_told_the_session_ended_after_being_deleted(session):
    guest = guest_client(session)
    press(teacher_client(session), session, "end")
    page = guest.get(url("phone", session))
    assert page.status_code == 200
    assert "This live session has ended." in page.content.decode()
    assert not LiveParticipant.objects.exists()


# --- the class page and the figures ----------------------------------------------------------


def test_the_class_page_says_played_live_and_the_figures_name_only_students(session, classroom):
    student = add_student(classroom, display_name="Mei")
    participant = services.live_join(session=session, user=student)
    guest = join_guest(session, "Zebra42")
    teacher = classroom.teacher
    services.live_start(session=session, teacher=teacher)
    services.live_vote(participant=participant, step_key="d1", choice_key="b", selected=[])
    services.live_vote(participant=guest, step_key="d1", choice_key="a", selected=[])
    services.live_reveal(session=session, teacher=teacher)
    services.live_end(session=session, teacher=teacher)
    client = teacher_client(session)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "Played live on" in page and url("results", session) in page
    figures = client.get(url("results", session)).content.decode()
    assert "Mei" in figures and "Zebra42" not in figures
    assert "Sounds great, tell me more!" in figures
    assert "1 vote (50 %)" in figures


# --- the state every page polls ---------------------------------------------------------------


def _many_votes(session: LiveSession, count: int) -> None:
    for n in range(count):
        services.live_vote(
            participant=join_guest(session, f"G{n}"), step_key="d1", choice_key="a", selected=[]
        )


@pytest.mark.parametrize("size", [1, 40])
def test_the_state_endpoint_reads_one_row_and_renders_no_template(
    session, classroom, django_assert_num_queries, size
):
    services.live_start(session=session, teacher=classroom.teacher)
    _many_votes(session, size)
    guest = guest_client(session, "Poller")
    student = Client()
    student.force_login(add_student(classroom))
    student.post(reverse("live:join", args=[session.join_code]))
    teacher = teacher_client(session)
    session.refresh_from_db()
    # A guest: the session row (the browser's session is the infrastructure's, not counted).
    # A student or the teacher: their account, then the session row.
    for client, queries in ((guest, 1), (student, 2), (teacher, 2)):
        with django_assert_num_queries(queries):
            response = client.get(url("state", session))
        assert response.status_code == 200
        assert response.templates == []
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "revision": session.revision,
            "view": "step:d1:0",
            "hidden": False,
            "joined": size + 2,
            "voted": size,
        }
        with django_assert_num_queries(queries):
            unchanged = client.get(url("state", session) + f"?since={session.revision}")
        assert unchanged.status_code == 204 and unchanged.templates == []
        assert "no-store" in response["Cache-Control"]


def test_a_spot_step_is_voted_with_ticks_and_explained_after_the_reveal(session):
    guest = guest_client(session)
    teacher = teacher_client(session)
    press(teacher, session, "start")
    guest.post(url("vote", session), {"step": "d1", "choice": "b"})
    press(teacher, session, "reveal")
    press(teacher, session, "follow")  # the majority: b, on to the spot step
    assert guest.post(url("vote", session), {"step": "s1"}).status_code == 400  # nothing ticked
    ticked = guest.post(url("vote", session), {"step": "s1", "options": ["o1", "o2"]})
    assert ticked.status_code == 302
    screen = text(teacher.get(url("screen", session)))
    assert "1 of 1 voted" in screen and "Top up 500 first" in screen
    press(teacher, session, "reveal")
    screen = teacher.get(url("screen", session)).content.decode()
    assert screen.count("1 vote (100 %)") == 2 and 'class="flag"' in screen
    phone = guest.get(url("phone", session)).content.decode()
    assert "Found:" in phone and "Not a red flag:" in phone
    press(teacher, session, "next")
    assert LiveSession.objects.get().current_key == "d2"


def _class_session_of(classroom, scenario, students: int, guests: int) -> LiveSession:
    """A revealed first decision with ``students`` signed-in and ``guests`` guest votes."""
    session = services.live_create(teacher=classroom.teacher, scenario=scenario)
    services.live_start(session=session, teacher=classroom.teacher)
    participants = [
        services.live_join(session=session, user=add_student(classroom)) for _ in range(students)
    ]
    participants += [join_guest(session, f"G{n}") for n in range(guests)]
    for n, participant in enumerate(participants):
        choice = "ab"[n % 2]
        services.live_vote(participant=participant, step_key="d1", choice_key=choice, selected=[])
    services.live_reveal(session=session, teacher=classroom.teacher)
    return session


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # The user; the session with its scenario and class; the votes on the step shown; the
        # version's content (read once per worker: versions never change).
        ("screen", 4),
        # The same and the participants with their accounts.
        ("control", 5),
        # The user; the session; every vote counted; the signed-in participants with their
        # accounts; their votes; the version's content.
        ("results", 6),
    ],
)
def test_the_teacher_pages_take_the_same_queries_at_any_size(
    scenario, classroom, django_assert_num_queries, name, queries
):
    client = Client()
    client.force_login(classroom.teacher)
    for students, guests in ((1, 1), (20, 20)):
        session = _class_session_of(classroom, scenario, students, guests)
        version_content_cache_clear()
        with django_assert_num_queries(queries):
            assert client.get(url(name, session)).status_code == 200


def test_the_phone_page_takes_the_same_queries_at_any_size(
    scenario, classroom, django_assert_num_queries
):
    for students, guests in ((1, 1), (20, 20)):
        session = _class_session_of(classroom, scenario, students, guests)
        guest = guest_client(session, "Poller")
        version_content_cache_clear()
        # The participant with its session and scenario; their vote; the version's content.
        with django_assert_num_queries(3):
            assert guest.get(url("phone", session)).status_code == 200


def test_a_students_live_votes_are_in_download_my_data_and_go_with_the_account(
    client, session, classroom
):
    student = add_student(classroom)
    participant = services.live_join(session=session, user=student)
    services.live_start(session=session, teacher=session.teacher)
    services.live_vote(participant=participant, step_key="d1", choice_key="b", selected=[])
    client.force_login(student)
    data = client.get(reverse("privacy:my-data")).json()
    [joined] = data["live_votes"]
    assert joined["scenario"] == session.scenario.published_title
    assert [(v["step"], v["choice"], v["safe"]) for v in joined["votes"]] == [("d1", "b", False)]
    assert "live.liveparticipant" not in data["other"]  # in its own section, once

    student.delete()  # the vote stays as an anonymous count in the session's figures
    assert LiveVote.objects.filter(session=session, participant=None).count() == 1
