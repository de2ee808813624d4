"""Pupil accounts a teacher creates in a batch: usernames, one-time passwords, the printable
sheet, the first login, and password resets (only for accounts the teacher created)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from awareness.models import User
from quizzes.models import Membership
from quizzes.services import classes as services
from tests.factories import PASSWORD, make_student, make_teacher
from tests.quizzes.test_classes_support import add_student, make_class

pytestmark = pytest.mark.django_db

USERNAME_RE = re.compile(r"^[a-z]+-[2-9]{4}$")
PASSWORD_RE = re.compile(r"^[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}$")
NEW_PASSWORD = "my-own-secret-phrase-2026"


def test_a_batch_of_30_pupil_accounts(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    response = client.post(
        reverse("quizzes:class-batch-accounts", args=[classroom.pk]), {"count": 30}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:class-batch-sheet", args=[classroom.pk])
    pupils = User.objects.filter(created_by=classroom.teacher)
    assert pupils.count() == 30
    assert len({p.username for p in pupils}) == 30
    for pupil in pupils:
        assert USERNAME_RE.match(pupil.username), pupil.username
        assert pupil.role == User.Role.STUDENT
        assert pupil.must_change_password
        assert pupil.email == "" and pupil.display_name == ""
    assert Membership.objects.filter(classroom=classroom, student__in=pupils).count() == 30

    sheet = client.get(response["Location"])
    html = sheet.content.decode()
    assert sheet["Cache-Control"].startswith("max-age=0") and "no-store" in sheet["Cache-Control"]
    assert "css/print" in html and 'rel="stylesheet"' in html
    assert html.count('class="slip"') == 30
    passwords = re.findall(r'class="slip-password">([^<]+)<', html)
    assert len(passwords) == 30 and all(PASSWORD_RE.match(p) for p in passwords)
    usernames = re.findall(r'class="slip-username">([^<]+)<', html)
    assert set(usernames) == {p.username for p in pupils}
    # The printed password is the account's password: check one.
    first = User.objects.get(username=usernames[0])
    assert first.check_password(passwords[0])


def test_names_make_one_account_each_with_that_display_name(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(
        reverse("quizzes:class-batch-accounts", args=[classroom.pk]),
        {"names": "Ana\n\n  Bo  \n王小明\n", "count": ""},
    )
    names = set(
        User.objects.filter(created_by=classroom.teacher).values_list("display_name", flat=True)
    )
    assert names == {"Ana", "Bo", "王小明"}
    html = client.get(reverse("quizzes:class-batch-sheet", args=[classroom.pk])).content.decode()
    assert "王小明" in html and html.count('class="slip"') == 3


@pytest.mark.parametrize(
    "data",
    [
        {"count": 0},
        {"count": 61},
        {"count": -3},
        {"count": "many"},
        {"count": ""},
        {"names": "\n".join(f"p{i}" for i in range(61))},
        {"names": "x" * 61},
        {"names": "y" * 5000},
    ],
)
def test_bad_batch_requests_get_a_form_error(client, data):
    classroom = make_class()
    client.force_login(classroom.teacher)
    response = client.post(reverse("quizzes:class-batch-accounts", args=[classroom.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(created_by=classroom.teacher).exists()


def test_usernames_never_clash_with_existing_accounts(monkeypatch):
    make_student("otter-2222")
    classroom = make_class()
    picks = iter(["otter"] * 4 + ["panda"] * 100)
    monkeypatch.setattr(
        services.secrets,
        "choice",
        lambda seq: next(picks) if seq is services.USERNAME_WORDS else seq[0],
    )
    issued = services.accounts_create_batch(classroom=classroom, teacher=classroom.teacher, count=1)
    assert issued[0].user.username == "panda-2222"


def test_pupil_logs_in_with_the_one_time_password_and_sets_their_own(client):
    classroom = make_class()
    teacher = Client()
    teacher.force_login(classroom.teacher)
    sheet_url = reverse("quizzes:class-batch-sheet", args=[classroom.pk])
    teacher.post(reverse("quizzes:class-batch-accounts", args=[classroom.pk]), {"names": "Ana"})
    html = teacher.get(sheet_url).content.decode()
    [username] = re.findall(r'class="slip-username">([^<]+)<', html)
    [password] = re.findall(r'class="slip-password">([^<]+)<', html)

    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    # Any page sends the pupil to choose a password first.
    response = client.get(reverse("quizzes:join"))
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    pupil = User.objects.get(username=username)
    assert not pupil.must_change_password and pupil.check_password(NEW_PASSWORD)
    assert client.get(reverse("quizzes:join")).status_code == 200
    # The sheet now says the pupil has their own password, and shows no password for them.
    html = teacher.get(sheet_url).content.decode()
    assert password not in html and "has already chosen their own password" in html


def test_the_sheet_is_forgotten_when_the_teacher_is_done(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("quizzes:class-batch-accounts", args=[classroom.pk]), {"count": 2})
    url = reverse("quizzes:class-batch-sheet", args=[classroom.pk])
    assert client.get(url).content.decode().count('class="slip"') == 2
    client.post(url)
    html = client.get(url).content.decode()
    assert 'class="slip"' not in html and "no one-time passwords to print" in html


def test_the_sheet_belongs_to_the_teachers_own_session(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("quizzes:class-batch-accounts", args=[classroom.pk]), {"count": 2})
    client.logout()
    client.force_login(classroom.teacher)  # a new session: the passwords are not in it
    html = client.get(reverse("quizzes:class-batch-sheet", args=[classroom.pk])).content.decode()
    assert 'class="slip"' not in html


def test_teacher_resets_a_password_of_an_account_they_created(client):
    classroom = make_class()
    [issued] = services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, count=1
    )
    pupil = issued.user
    User.objects.filter(pk=pupil.pk).update(must_change_password=False)
    client.force_login(classroom.teacher)
    url = reverse("quizzes:class-reset-password", args=[classroom.pk, pupil.pk])
    assert pupil.username in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("quizzes:class-batch-sheet", args=[classroom.pk])
    html = client.get(response["Location"]).content.decode()
    [password] = re.findall(r'class="slip-password">([^<]+)<', html)
    pupil.refresh_from_db()
    assert pupil.must_change_password and pupil.check_password(password)
    assert not pupil.check_password(issued.password)


def test_a_teacher_cannot_reset_the_password_of_an_account_they_did_not_create(client):
    classroom = make_class()
    other_teacher = make_teacher()
    [theirs] = services.accounts_create_batch(
        classroom=make_class(other_teacher), teacher=other_teacher, count=1
    )
    add_student(classroom, theirs.user)  # the pupil also joined this class
    self_signed = add_student(classroom)  # signed up on their own
    client.force_login(classroom.teacher)
    for pupil in (theirs.user, self_signed):
        url = reverse("quizzes:class-reset-password", args=[classroom.pk, pupil.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        with pytest.raises(PermissionDenied):
            services.account_reset_password(teacher=classroom.teacher, account=pupil)
    assert User.objects.get(pk=theirs.user.pk).check_password(theirs.password)
    assert User.objects.get(pk=self_signed.pk).check_password(PASSWORD)
    # ...and the class page offers no reset button for them.
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "Reset password" not in page


def test_teacher_cannot_reset_another_teacher_or_a_student_outside_the_class(client):
    classroom = make_class()
    [issued] = services.accounts_create_batch(
        classroom=make_class(classroom.teacher), teacher=classroom.teacher, count=1
    )
    client.force_login(classroom.teacher)
    # Created by this teacher, but in another of their classes: not through this class.
    url = reverse("quizzes:class-reset-password", args=[classroom.pk, issued.user.pk])
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.account_reset_password(teacher=classroom.teacher, account=make_teacher())


def test_archived_classes_get_no_new_accounts():
    classroom = make_class()
    services.classroom_archive(classroom=classroom, teacher=classroom.teacher)
    with pytest.raises(services.ValidationError):
        services.accounts_create_batch(classroom=classroom, teacher=classroom.teacher, count=2)
