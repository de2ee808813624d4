"""Classes: creating, renaming, archiving, join codes, joining and leaving, who may open which
class URL, and bad input of any shape."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from quizzes.classes import services
from quizzes.classes.selectors import classroom_results
from quizzes.models import Assignment, Classroom, Membership
from tests.factories import (
    add_student,
    assign,
    make_branching_scenario,
    make_class,
    make_editor,
    make_student,
    make_teacher,
    play,
)

pytestmark = pytest.mark.django_db


LOOK_ALIKES = set("0O1IL")


# --- join codes ----------------------------------------------------------------------------


def test_join_codes_use_an_alphabet_without_look_alikes():
    assert not LOOK_ALIKES & set(services.JOIN_CODE_ALPHABET)
    assert not set("0o1il") & set(services.PASSWORD_ALPHABET)
    teacher = make_teacher()
    codes = [services.classroom_create(teacher=teacher, name=f"c{i}").join_code for i in range(40)]
    for code in codes:
        assert 6 <= len(code) <= 8
        assert set(code) <= set(services.JOIN_CODE_ALPHABET)
    assert len(set(codes)) == len(codes)


def test_a_code_taken_by_an_active_class_is_never_given_twice(monkeypatch):
    first = make_class()
    offered = iter([first.join_code, first.join_code, "ZZZZZZ"])
    monkeypatch.setattr(services, "_new_join_code", lambda length=6: next(offered))
    second = make_class(name="8C")
    assert second.join_code == "ZZZZZZ"


def test_an_archived_class_releases_its_code_and_gets_a_fresh_one_when_restored(monkeypatch):
    old = make_class()
    services.classroom_archive(classroom=old, teacher=old.teacher)
    monkeypatch.setattr(services, "_new_join_code", lambda length=6: old.join_code)
    reuse = make_class(name="new class")  # the archived class's code is free again
    assert reuse.join_code == old.join_code
    monkeypatch.setattr(services, "_new_join_code", lambda length=6: "QQQQQQ")
    services.classroom_archive(classroom=old, teacher=old.teacher, archived=False)
    old.refresh_from_db()
    assert not old.is_archived and old.join_code == "QQQQQQ"


def test_rotating_the_code_stops_the_old_one():
    classroom = make_class()
    old_code = classroom.join_code
    services.classroom_rotate_code(classroom=classroom, teacher=classroom.teacher)
    assert classroom.join_code != old_code
    with pytest.raises(services.JoinError):
        services.classroom_for_code(old_code)
    assert services.classroom_for_code(classroom.join_code.lower()) == classroom


def test_what_a_student_types_is_normalised():
    assert services.join_code_normalise(" abc-23 4 ") == "ABC234"


# --- class pages ---------------------------------------------------------------------------


def test_teacher_creates_renames_and_archives_a_class(client):
    teacher = make_teacher()
    client.force_login(teacher)
    response = client.post(reverse("classes:create"), {"name": "  7B media  "})
    classroom = Classroom.objects.get(teacher=teacher)
    assert response.status_code == 302 and response["Location"] == classroom.get_absolute_url()
    assert classroom.name == "7B media"
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert classroom.join_code in page

    client.post(reverse("classes:rename", args=[classroom.pk]), {"name": "7C"})
    classroom.refresh_from_db()
    assert classroom.name == "7C"

    client.post(reverse("classes:archive", args=[classroom.pk]), {"action": "archive"})
    classroom.refresh_from_db()
    assert classroom.is_archived
    listing = client.get(reverse("classes:list")).content.decode()
    assert "Archived classes" in listing and "7C" in listing
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "This class is archived" in page and classroom.join_code not in page

    client.post(reverse("classes:archive", args=[classroom.pk]), {"action": "restore"})
    classroom.refresh_from_db()
    assert not classroom.is_archived


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "x" * 5000])
def test_bad_class_names_get_a_form_error(client, name):
    teacher = make_teacher()
    client.force_login(teacher)
    response = client.post(reverse("classes:create"), {"name": name})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Classroom.objects.exists()


def test_the_class_list_shows_only_the_teachers_own_classes(client):
    mine = make_class(name="Mine 7B")
    make_class(name="Someone else's 9A")
    client.force_login(mine.teacher)
    page = client.get(reverse("classes:list")).content.decode()
    assert "Mine 7B" in page and "Someone else" not in page


def test_rotate_code_by_post(client):
    classroom = make_class()
    old = classroom.join_code
    client.force_login(classroom.teacher)
    assert client.get(reverse("classes:rotate-code", args=[classroom.pk])).status_code == 405
    client.post(reverse("classes:rotate-code", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert classroom.join_code != old


def _class_urls(classroom, student, assignment):
    pk = classroom.pk
    return [
        ("get", reverse("classes:detail", args=[pk])),
        ("get", reverse("classes:rename", args=[pk])),
        ("post", reverse("classes:rename", args=[pk])),
        ("post", reverse("classes:archive", args=[pk])),
        ("post", reverse("classes:rotate-code", args=[pk])),
        ("get", reverse("classes:assign", args=[pk])),
        ("post", reverse("classes:assign", args=[pk])),
        ("post", reverse("classes:unassign", args=[pk, assignment.pk])),
        ("get", reverse("classes:student", args=[pk, student.pk])),
        ("get", reverse("classes:remove-student", args=[pk, student.pk])),
        ("post", reverse("classes:remove-student", args=[pk, student.pk])),
        ("get", reverse("classes:reset-password", args=[pk, student.pk])),
        ("post", reverse("classes:reset-password", args=[pk, student.pk])),
        ("get", reverse("classes:batch-accounts", args=[pk])),
        ("post", reverse("classes:batch-accounts", args=[pk])),
        ("get", reverse("classes:batch-sheet", args=[pk])),
        ("post", reverse("classes:batch-sheet", args=[pk])),
        ("get", reverse("classes:export-csv", args=[pk])),
        ("get", reverse("classes:export-answers-csv", args=[pk])),
    ]


@pytest.mark.parametrize("who", ["other-teacher", "student", "member", "editor", "visitor"])
def test_nobody_but_the_owner_can_open_any_class_url(client, who):
    classroom = make_class()
    student = add_student(classroom, created_by=classroom.teacher)
    assignment = assign(classroom, make_branching_scenario())
    play(assignment.scenario, student)
    before = (classroom.name, classroom.join_code, classroom.is_archived)
    users = {
        "other-teacher": make_teacher(),
        "student": make_student(),
        "member": student,
        "editor": make_editor(),
    }
    if who in users:
        client.force_login(users[who])
    for method, url in _class_urls(classroom, student, assignment):
        response = getattr(client, method)(url, {"name": "hacked", "count": 3})
        if who == "visitor":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
        else:
            assert response.status_code == 404, (method, url)
    classroom.refresh_from_db()
    assert (classroom.name, classroom.join_code, classroom.is_archived) == before
    assert Membership.objects.filter(classroom=classroom).count() == 1
    assert Assignment.objects.filter(classroom=classroom).count() == 1


@pytest.mark.parametrize("who", ["student", "editor", "visitor"])
def test_only_teachers_have_a_class_list(client, who):
    if who != "visitor":
        client.force_login(make_student() if who == "student" else make_editor())
    for url in (reverse("classes:list"), reverse("classes:create")):
        response = client.get(url)
        assert response.status_code == (302 if who == "visitor" else 404)


def test_a_missing_class_is_a_404_for_its_would_be_owner(client):
    teacher = make_teacher()
    client.force_login(teacher)
    assert client.get("/classes/999999/").status_code == 404
    assert client.get("/classes/999999/export.csv").status_code == 404


def test_services_refuse_other_teachers():
    classroom = make_class()
    other = make_teacher()
    scenario = make_branching_scenario()
    with pytest.raises(PermissionDenied):
        services.classroom_rename(classroom=classroom, teacher=other, name="x")
    with pytest.raises(PermissionDenied):
        services.assignment_save(classroom=classroom, teacher=other, scenario=scenario)
    with pytest.raises(PermissionDenied):
        services.accounts_create_batch(classroom=classroom, teacher=other, count=2)
    with pytest.raises(PermissionDenied):
        services.classroom_create(teacher=make_student(), name="x")


# --- joining and leaving -------------------------------------------------------------------


def test_join_page_says_what_the_teacher_will_see_before_the_student_confirms(client):
    classroom = make_class(name="Media 7B")
    student = make_student()
    client.force_login(student)
    assert client.get(reverse("classes:join")).status_code == 200

    response = client.post(reverse("classes:join"), {"code": classroom.join_code.lower()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Media 7B" in page
    assert "What your teacher will see" in page
    for shared in ("display name", "scenario results", "check results"):
        assert shared in page
    assert not Membership.objects.exists()  # not yet: the student has to confirm

    response = client.post(
        reverse("classes:join"), {"code": classroom.join_code, "display_name": " Lina "}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(classroom=classroom, student=student).exists()
    student.refresh_from_db()
    assert student.display_name == "Lina"
    page = client.get(reverse("classes:join")).content.decode()
    assert "Media 7B" in page  # listed under "Your classes"


def test_a_join_link_goes_straight_to_the_confirmation(client):
    classroom = make_class(name="Linked class")
    client.force_login(make_student())
    response = client.get(reverse("classes:join"), {"code": classroom.join_code})
    assert response.status_code == 200
    assert "Linked class" in response.content.decode()
    assert response.templates[0].name == "quizzes/classes/join_confirm.html"
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    "code", ["", "ABC", "ABCDEFGHJ", "ABC0O1", "<script>", "x" * 5000, "ZZZZZZ"]
)
def test_bad_or_unknown_codes_get_a_clear_error(client, code):
    make_class()
    client.force_login(make_student())
    response = client.post(reverse("classes:join"), {"code": code})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert not Membership.objects.exists()


def test_an_archived_class_cannot_be_joined(client):
    classroom = make_class()
    services.classroom_archive(classroom=classroom, teacher=classroom.teacher)
    client.force_login(make_student())
    response = client.post(
        reverse("classes:join"), {"code": classroom.join_code, "display_name": "Bo"}
    )
    assert response.status_code == 400
    assert not Membership.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "y" * 5000])
def test_the_display_name_is_required_and_bounded(client, name):
    classroom = make_class()
    student = make_student()
    client.force_login(student)
    response = client.post(
        reverse("classes:join"), {"code": classroom.join_code, "display_name": name}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["display_name"]
    assert not Membership.objects.exists()
    student.refresh_from_db()
    assert student.display_name == ""


def test_joining_twice_changes_nothing():
    classroom = make_class()
    student = make_student()
    services.classroom_join(student=student, code=classroom.join_code, display_name="Bo")
    services.classroom_join(student=student, code=classroom.join_code, display_name="Bo")
    assert Membership.objects.filter(student=student).count() == 1


def test_teachers_cannot_join_and_visitors_must_log_in(client):
    classroom = make_class()
    assert client.get(reverse("classes:join"))["Location"].startswith(reverse("accounts:login"))
    client.force_login(make_teacher())
    response = client.post(
        reverse("classes:join"), {"code": classroom.join_code, "display_name": "T"}
    )
    assert response.status_code == 403
    assert not Membership.objects.exists()


def test_a_student_can_leave_a_class(client):
    classroom = make_class()
    student = add_student(classroom)
    client.force_login(student)
    url = reverse("classes:leave", args=[classroom.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(student=student).exists()
    assert client.post(url).status_code == 404  # not a member any more


def test_leaving_someone_elses_class_is_a_404(client):
    classroom = make_class()
    add_student(classroom)
    client.force_login(make_student())
    assert client.post(reverse("classes:leave", args=[classroom.pk])).status_code == 404
    assert Membership.objects.count() == 1


def test_teacher_removes_a_student_and_their_results_disappear_from_the_class(client):
    classroom = make_class()
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    stays = add_student(classroom, display_name="Stays")
    goes = add_student(classroom, display_name="Goes Away")
    play(scenario, stays, "safe")
    play(scenario, goes, "harmed")
    client.force_login(classroom.teacher)
    url = reverse("classes:remove-student", args=[classroom.pk, goes.pk])
    assert "Goes Away" in client.get(url).content.decode()  # the confirmation page
    assert Membership.objects.filter(student=goes).exists()
    response = client.post(url, follow=True)
    assert "Goes Away was removed from the class." in response.content.decode()
    assert not Membership.objects.filter(student=goes).exists()

    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "Goes Away" not in page and "Stays" in page
    [stats] = classroom_results(classroom).scenarios
    assert (stats.students, stats.completed, dict(stats.outcomes)) == (1, 1, {"safe": 1})
    csv_text = client.get(reverse("classes:export-csv", args=[classroom.pk])).content
    assert "Goes Away" not in csv_text.decode("utf-8-sig")
    answers_csv = client.get(reverse("classes:export-answers-csv", args=[classroom.pk]))
    assert "Goes Away" not in answers_csv.content.decode("utf-8-sig")
    student_url = reverse("classes:student", args=[classroom.pk, goes.pk])
    assert client.get(student_url).status_code == 404


# --- bad input of any shape ----------------------------------------------------------------


@given(code=st.text(max_size=40), name=st.text(max_size=80))
@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_join_input_gets_an_answer_not_an_error(client, code, name):
    student = make_student()
    client.force_login(student)
    for data in ({"code": code}, {"code": code, "display_name": name}):
        response = client.post(reverse("classes:join"), data)
        assert response.status_code in (200, 302, 400)
    response = client.get(reverse("classes:join"), {"code": code})
    assert response.status_code == 200


@given(names=st.text(max_size=400), count=st.text(max_size=6))
@hsettings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_batch_input_gets_an_answer_not_an_error(client, names, count):
    classroom = make_class()
    client.force_login(classroom.teacher)
    response = client.post(
        reverse("classes:batch-accounts", args=[classroom.pk]),
        {"names": names, "count": count},
    )
    assert response.status_code in (200, 302)
