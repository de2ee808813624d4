"""Privacy for minors: a student downloads everything held about them and deletes their
account, which leaves nothing behind in any table."""

import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from awareness.models import User
from quizzes.classes import services as class_services
from quizzes.models import Answer, Attempt, Classroom, Membership
from quizzes.privacy.services import account_delete, user_data_export
from tests.factories import (
    PASSWORD,
    add_student,
    assign,
    make_branching_scenario,
    make_class,
    make_editor,
    make_student,
    play,
)

pytestmark = pytest.mark.django_db


USERNAME = "zz-privacy-pupil"
DISPLAY_NAME = "Zelda Quokka"


def log_in(client: Client, username: str, password: str = PASSWORD) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, "login failed"


def leftovers(user_pk: int, *texts: str) -> list[str]:
    """Every row in any table that still points at the user or mentions their names."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        manager = model._base_manager
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                if manager.filter(**{field.attname: user_pk}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
            elif isinstance(field, models.CharField | models.TextField):
                for text in texts:
                    if manager.filter(**{f"{field.name}__icontains": text}).exists():
                        found.append(f"{model._meta.label}.{field.name} ~ {text}")
    for session in Session.objects.all():
        if session.get_decoded().get(SESSION_KEY) == str(user_pk):
            found.append(f"session {session.session_key}")
    return found


@pytest.fixture
def pupil_with_history():
    """A pupil created by a teacher, in a class, with attempts, answers, logins and a failed
    login; another pupil in the same class whose data must survive."""
    classroom = make_class(name="7B")
    scenario = make_branching_scenario("Likes for money")
    assign(classroom, scenario)
    pupil = make_student(USERNAME, display_name=DISPLAY_NAME, created_by=classroom.teacher)
    add_student(classroom, pupil)
    play(scenario, pupil, "harmed")
    play(scenario, pupil, "in-progress")
    other = add_student(classroom, display_name="Stays Here")
    play(scenario, other, "safe")
    phone = Client()
    log_in(phone, USERNAME)  # a second session, on another device
    Client().post(reverse("accounts:login"), {"username": USERNAME, "password": "wrong"})
    return classroom, scenario, pupil, other, phone


def test_a_student_downloads_everything_held_about_them(client, pupil_with_history):
    classroom, scenario, pupil, other, _phone = pupil_with_history
    client.force_login(pupil)
    response = client.get(reverse("privacy:my-data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["username"] == USERNAME
    assert data["account"]["display_name"] == DISPLAY_NAME
    assert [c["name"] for c in data["classes"]] == ["7B"]
    assert [(a["outcome"], a["status"]) for a in data["attempts"]] == [
        ("harmed", "completed"),
        ("", "in-progress"),
    ]
    first = data["attempts"][0]
    assert [(x["step"], x["answer"], x["safe"]) for x in first["answers"]] == [
        ("d1", "Send my ID card.", False),
        ("d2", "Pay the deposit.", False),
    ]
    assert {entry["kind"] for entry in data["logins"]} == {"login", "failed"}
    text = response.content.decode()
    assert "Stays Here" not in text and other.username not in text  # nobody else's data


def test_the_download_keeps_chinese_readable(client):
    student = make_student(display_name="王小明")
    client.force_login(student)
    assert "王小明" in client.get(reverse("privacy:my-data")).content.decode()


def test_a_teachers_download_has_their_classes_but_not_their_pupils_data(client):
    classroom = make_class(name="Media 9A")
    assign(classroom, make_branching_scenario())
    add_student(classroom, display_name="Pupil Name")
    data = user_data_export(user=classroom.teacher)
    [taught] = data["classes_taught"]
    assert taught["name"] == "Media 9A" and taught["students"] == 1
    assert "Pupil Name" not in json.dumps(data, default=str)


def test_visitors_must_log_in_for_the_privacy_pages(client):
    for name in ("privacy:my-data", "privacy:account-delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_deleting_needs_the_password_and_the_confirmation(client, pupil_with_history):
    pupil = pupil_with_history[2]
    log_in(client, USERNAME)
    url = reverse("privacy:account-delete")
    page = client.get(url).content.decode()
    assert "Download a copy of your data first" in page
    for data in (
        {"password": "wrong", "confirm": "on"},
        {"password": PASSWORD},
        {"password": "", "confirm": "on"},
        {"password": "x" * 5000, "confirm": "on"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert response.context["form"].errors
    assert User.objects.filter(pk=pupil.pk).exists()


def test_a_deleted_account_leaves_nothing_behind_in_any_table(client, pupil_with_history):
    classroom, scenario, pupil, other, phone = pupil_with_history
    pk = pupil.pk
    assert phone.get(reverse("classes:join")).status_code == 200  # signed in on the phone
    client.force_login(pupil)
    assert leftovers(pk, USERNAME, DISPLAY_NAME)  # the check sees the data before...
    assert AccessLog.objects.filter(username=USERNAME).exists()
    assert AccessAttempt.objects.filter(username=USERNAME).exists()

    response = client.post(
        reverse("privacy:account-delete"), {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("pages:home")
    assert "Your account and all its data have been deleted." in response.content.decode()
    assert not response.context["user"].is_authenticated

    assert leftovers(pk, USERNAME, DISPLAY_NAME) == []  # ...and nothing after
    assert phone.get(reverse("classes:join")).status_code == 302  # the phone is signed out
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username=USERNAME).exists()
    # The classmate's data, the class and the teacher are untouched.
    assert Attempt.objects.filter(user=other).count() == 1
    assert Answer.objects.filter(attempt__user=other).count() == 2
    assert Membership.objects.filter(classroom=classroom, student=other).exists()
    client.force_login(classroom.teacher)
    results = client.get(classroom.get_absolute_url()).context["results"]
    assert [row.label for row in results.rows] == ["Stays Here"]


def test_a_deleted_teacher_takes_their_classes_and_leaves_their_pupils(client):
    classroom = make_class()
    assign(classroom, make_branching_scenario())
    [issued] = class_services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, count=1
    )
    teacher_pk = classroom.teacher.pk
    account_delete(user=classroom.teacher)
    assert not Classroom.objects.exists() and not Membership.objects.exists()
    pupil = User.objects.get(pk=issued.user.pk)
    assert pupil.created_by is None
    assert leftovers(teacher_pk) == []


def test_visitor_attempts_in_the_same_browser_go_too(client):
    from quizzes.play.services import VISITOR_SESSION_KEY, attempt_start

    scenario = make_branching_scenario()
    student = make_student()
    client.force_login(student)
    session = client.session
    session[VISITOR_SESSION_KEY] = "visitor-abc"
    session.save()
    attempt_start(scenario=scenario, user=None, visitor_id="visitor-abc")
    attempt_start(scenario=scenario, user=None, visitor_id="someone-else")
    client.post(reverse("privacy:account-delete"), {"password": PASSWORD, "confirm": "on"})
    assert list(Attempt.objects.values_list("visitor_id", flat=True)) == ["someone-else"]


def test_staff_accounts_cannot_be_deleted_here(client):
    editor = make_editor()
    client.force_login(editor)
    url = reverse("privacy:account-delete")
    assert client.get(url).status_code == 403
    assert client.post(url, {"password": PASSWORD, "confirm": "on"}).status_code == 403
    assert User.objects.filter(pk=editor.pk).exists()


def test_footer_links_to_data_download_and_deletion_for_signed_in_users(client):
    client.force_login(make_student("footer-kid"))
    html = client.get("/").content.decode()
    assert 'href="/account/my-data.json"' in html and 'href="/account/delete/"' in html
