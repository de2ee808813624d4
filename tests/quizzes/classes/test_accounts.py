"""Pupil accounts a teacher creates in a batch: usernames, one-time passwords, the printable
sheet, the first login, and password resets (only for accounts the teacher created)."""

import math
import re
import time
from datetime import timedelta

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from awareness.accounts.hashers import OneTimePasswordHasher
from awareness.accounts.services import account_set_password
from awareness.models import User
from quizzes.classes import services, slips
from quizzes.models import Membership
from tests.factories import PASSWORD, add_student, make_class, make_student, make_teacher

pytestmark = pytest.mark.django_db

USERNAME_RE = re.compile(r"^[a-z]+-[2-9]{4}$")
PASSWORD_RE = re.compile(r"^[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}$")
NEW_PASSWORD = "my-own-secret-phrase-2026"


def test_a_batch_of_30_pupil_accounts(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    response = client.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"count": 30})
    assert response.status_code == 302
    assert response["Location"] == reverse("classes:batch-sheet", args=[classroom.pk])
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
        reverse("classes:batch-accounts", args=[classroom.pk]),
        {"names": "Ana\n\n  Bo  \n王小明\n", "count": ""},
    )
    names = set(
        User.objects.filter(created_by=classroom.teacher).values_list("display_name", flat=True)
    )
    assert names == {"Ana", "Bo", "王小明"}
    html = client.get(reverse("classes:batch-sheet", args=[classroom.pk])).content.decode()
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
    response = client.post(reverse("classes:batch-accounts", args=[classroom.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(created_by=classroom.teacher).exists()


@pytest.mark.parametrize(
    "existing",
    [
        "otter-2222",
        "OTTER-2222",  # not the same username, but a look-alike: the same key as otter-2222
    ],
)
def test_usernames_never_clash_with_or_look_like_existing_accounts(monkeypatch, existing):
    make_student(existing)
    classroom = make_class()
    picks = iter(["otter"] * 4 + ["panda"] * 100)
    monkeypatch.setattr(
        services.secrets,
        "choice",
        lambda seq: next(picks) if seq is services.USERNAME_WORDS else seq[0],
    )
    issued = services.accounts_create_batch(classroom=classroom, teacher=classroom.teacher, count=1)
    assert issued[0].user.username == "panda-2222"
    assert issued[0].user.username_key == "panda-2222"


def test_pupil_logs_in_with_the_one_time_password_and_sets_their_own(client):
    classroom = make_class()
    teacher = Client()
    teacher.force_login(classroom.teacher)
    sheet_url = reverse("classes:batch-sheet", args=[classroom.pk])
    teacher.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"names": "Ana"})
    html = teacher.get(sheet_url).content.decode()
    [username] = re.findall(r'class="slip-username">([^<]+)<', html)
    [password] = re.findall(r'class="slip-password">([^<]+)<', html)

    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    # Any page sends the pupil to choose a password first.
    response = client.get(reverse("classes:join"))
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    pupil = User.objects.get(username=username)
    assert not pupil.must_change_password and pupil.check_password(NEW_PASSWORD)
    assert client.get(reverse("classes:join")).status_code == 200
    # The sheet now says the pupil has their own password, and shows no password for them.
    html = teacher.get(sheet_url).content.decode()
    assert password not in html and "has already chosen their own password" in html


def test_the_sheet_is_forgotten_when_the_teacher_is_done(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"count": 2})
    url = reverse("classes:batch-sheet", args=[classroom.pk])
    assert client.get(url).content.decode().count('class="slip"') == 2
    client.post(url)
    html = client.get(url).content.decode()
    assert 'class="slip"' not in html and "no one-time passwords to print" in html


def test_the_sheet_belongs_to_the_teachers_own_session(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"count": 2})
    client.logout()
    client.force_login(classroom.teacher)  # a new session: the passwords are not in it
    html = client.get(reverse("classes:batch-sheet", args=[classroom.pk])).content.decode()
    assert 'class="slip"' not in html


def test_teacher_resets_a_password_of_an_account_they_created(client):
    """A lost slip: the pupil has not chosen a password yet, so the teacher may issue another."""
    classroom = make_class()
    [issued] = services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, count=1
    )
    pupil = issued.user
    client.force_login(classroom.teacher)
    url = reverse("classes:reset-password", args=[classroom.pk, pupil.pk])
    page = client.get(url).content.decode()
    # The page says what a reset does before the teacher does it.
    assert pupil.username in page and "Their current password stops working at once" in page
    assert "must choose their own at the next sign-in" in page
    response = client.post(url)
    assert response["Location"] == reverse("classes:batch-sheet", args=[classroom.pk])
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
        url = reverse("classes:reset-password", args=[classroom.pk, pupil.pk])
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
    url = reverse("classes:reset-password", args=[classroom.pk, issued.user.pk])
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.account_reset_password(teacher=classroom.teacher, account=make_teacher())


def test_archived_classes_get_no_new_accounts():
    classroom = make_class()
    services.classroom_archive(classroom=classroom, teacher=classroom.teacher)
    with pytest.raises(services.ValidationError):
        services.accounts_create_batch(classroom=classroom, teacher=classroom.teacher, count=2)


# --- one-time passwords: strength, cost, throttling ------------------------------------

# What production uses: Django's default hashers, then the quick one for one-time passwords
# (tests/settings.py puts MD5 first to keep the suite fast).
PRODUCTION_HASHERS = [
    *global_settings.PASSWORD_HASHERS,
    "awareness.accounts.hashers.OneTimePasswordHasher",
]


def slip_passwords(response) -> list[str]:
    return re.findall(r'class="slip-password">([^<]+)<', response.content.decode())


def test_one_time_passwords_have_over_50_bits_and_no_look_alikes():
    letters = len(set(services.PASSWORD_ALPHABET))
    bits = services.PASSWORD_GROUPS * services.PASSWORD_GROUP_LENGTH * math.log2(letters)
    assert bits >= 50, bits
    assert not set("il1o0") & set(services.PASSWORD_ALPHABET)
    passwords = {services._one_time_password() for _ in range(1000)}
    assert len(passwords) == 1000 and all(PASSWORD_RE.match(p) for p in passwords)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_60_accounts_take_well_under_the_worker_timeout_with_the_production_hashers(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    url = reverse("classes:batch-accounts", args=[classroom.pk])
    start = time.perf_counter()
    response = client.post(url, {"count": 60})
    elapsed = time.perf_counter() - start
    assert response.status_code == 302
    # gunicorn kills a worker after 30 s; with Django's default hasher this took about 50 s.
    assert elapsed < 10, f"60 accounts took {elapsed:.1f} s"
    pupils = User.objects.filter(created_by=classroom.teacher)
    assert pupils.count() == 60
    algorithms = {identify_hasher(p.password).algorithm for p in pupils}
    assert algorithms == {OneTimePasswordHasher.algorithm}


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_the_quick_hash_gives_way_to_the_default_at_sign_in_and_for_the_pupils_own():
    classroom = make_class()
    [issued] = services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, count=1
    )
    pupil = User.objects.get(pk=issued.user.pk)
    assert identify_hasher(pupil.password).decode(pupil.password)["iterations"] == 20_000
    default = get_hasher("default")
    # Django re-hashes with the preferred (first) hasher whenever a password checks out...
    assert pupil.check_password(issued.password)
    pupil.refresh_from_db()
    assert identify_hasher(pupil.password).algorithm == default.algorithm
    # ...and the pupil's own password always gets the default.
    account_set_password(user=pupil, password=NEW_PASSWORD)
    pupil.refresh_from_db()
    decoded = identify_hasher(pupil.password).decode(pupil.password)
    assert decoded["algorithm"] == "pbkdf2_sha256"
    assert decoded["iterations"] == default.iterations


def test_a_teacher_creates_at_most_200_accounts_an_hour(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    url = reverse("classes:batch-accounts", args=[classroom.pk])
    for _ in range(3):
        assert client.post(url, {"count": 50}).status_code == 302
    # 150 so far: a batch of 60 would pass 200, so none of it is created.
    response = client.post(url, {"count": 60})
    assert response.status_code == 429
    assert "at most 200 pupil accounts an hour" in response.content.decode()
    assert "(50 left this hour)" in response.content.decode()
    assert client.post(url, {"count": 50}).status_code == 302
    response = client.post(url, {"names": "Ana"})  # the 201st
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert User.objects.filter(created_by=classroom.teacher).count() == 200
    # The limit is per teacher.
    other = make_class()
    client.force_login(other.teacher)
    url = reverse("classes:batch-accounts", args=[other.pk])
    assert client.post(url, {"count": 1}).status_code == 302


# --- the sheet: encrypted in the session, the key in the teacher's browser ---------------


def test_session_data_holds_no_readable_one_time_password(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"count": 5})
    [pupil, *_] = User.objects.filter(created_by=classroom.teacher)
    client.post(reverse("classes:reset-password", args=[classroom.pk, pupil.pk]))
    passwords = slip_passwords(client.get(reverse("classes:batch-sheet", args=[classroom.pk])))
    assert len(passwords) == 5
    sessions = [str(s.get_decoded()) + s.session_data for s in Session.objects.all()]
    assert sessions
    for password in passwords:
        for data in sessions:
            assert password not in data and password.replace("-", "") not in data


def test_the_sheet_key_lives_in_a_strict_cookie_for_the_class_pages_only(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    url = reverse("classes:batch-accounts", args=[classroom.pk])
    client.post(url, {"count": 1})
    cookie = client.cookies[f"sheet_key_{classroom.pk}"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == f"/classes/{classroom.pk}/"
    assert int(cookie["max-age"]) == 3600
    assert not cookie["secure"]  # plain http in the tests (HTTPS=off)...
    client.post(url, {"count": 1}, secure=True)
    assert client.cookies[f"sheet_key_{classroom.pk}"]["secure"]  # ...Secure over https


def test_the_sheet_shows_every_password_on_every_reload_for_an_hour(client, monkeypatch):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"names": "Ana\nBo\nChen"})
    url = reverse("classes:batch-sheet", args=[classroom.pk])
    first = slip_passwords(client.get(url))
    assert len(first) == 3
    for _ in range(12):
        assert slip_passwords(client.get(url)) == first
    # Only the session and the cookie are needed: any worker, or a restarted one, shows it.
    elsewhere = Client()
    elsewhere.cookies.load({name: morsel.value for name, morsel in client.cookies.items()})
    assert slip_passwords(elsewhere.get(url)) == first

    now = int(time.time())
    monkeypatch.setattr(slips, "_now", lambda: now + 59 * 60)
    assert slip_passwords(client.get(url)) == first
    monkeypatch.setattr(slips, "_now", lambda: now + 61 * 60)
    html = client.get(url).content.decode()
    assert 'class="slip"' not in html and "no one-time passwords to print" in html
    assert not [key for key in client.session.keys() if key.startswith("quizzes:sheet")]


def test_without_the_browsers_key_the_session_shows_no_password(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"count": 2})
    url = reverse("classes:batch-sheet", args=[classroom.pk])
    name = f"sheet_key_{classroom.pk}"
    key = client.cookies[name].value
    for wrong in ("", "not-a-key", slips.Fernet.generate_key().decode()):
        client.cookies[name] = wrong
        assert 'class="slip"' not in client.get(url).content.decode()
    # A wrong key dropped the ciphertext: the right key comes too late.
    client.cookies[name] = key
    assert 'class="slip"' not in client.get(url).content.decode()


def test_done_drops_the_key_cookie_too(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    client.post(reverse("classes:batch-accounts", args=[classroom.pk]), {"count": 1})
    response = client.post(reverse("classes:batch-sheet", args=[classroom.pk]))
    cookie = response.cookies[f"sheet_key_{classroom.pk}"]
    assert cookie.value == "" and cookie["max-age"] == 0
    assert cookie["path"] == f"/classes/{classroom.pk}/"


# --- resets: only with a one-time password still out, or the pupil's consent -------------


def set_own_password(username: str, one_time: str, *, allow_reset: bool) -> None:
    pupil = Client()
    response = pupil.post(reverse("accounts:login"), {"username": username, "password": one_time})
    assert response.status_code == 302
    data = {"old_password": one_time, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    if allow_reset:
        data["allow_teacher_reset"] = "on"
    assert pupil.post(reverse("accounts:password_change"), data).status_code == 302


def test_teacher_cannot_reset_a_password_the_pupil_chose_without_their_consent(client):
    classroom = make_class()
    [issued] = services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, display_names=["Ana"]
    )
    set_own_password(issued.user.username, issued.password, allow_reset=False)
    client.force_login(classroom.teacher)
    url = reverse("classes:reset-password", args=[classroom.pk, issued.user.pk])
    html = client.get(url).content.decode()
    assert "has chosen their own password, so you cannot reset it" in html
    assert "site administrator" in html and "Reset the password" not in html

    response = client.post(url)
    assert response.status_code == 403
    assert "site administrator" in response.content.decode()
    pupil = User.objects.get(pk=issued.user.pk)
    assert pupil.check_password(NEW_PASSWORD) and not pupil.must_change_password
    with pytest.raises(PermissionDenied):
        services.account_reset_password(teacher=classroom.teacher, account=pupil)
    assert User.objects.get(pk=pupil.pk).check_password(NEW_PASSWORD)


def test_teacher_can_reset_once_the_pupil_allows_it_until_they_withdraw(client):
    classroom = make_class()
    [issued] = services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, display_names=["Ana"]
    )
    set_own_password(issued.user.username, issued.password, allow_reset=True)
    client.force_login(classroom.teacher)
    url = reverse("classes:reset-password", args=[classroom.pk, issued.user.pk])
    assert "has allowed you to reset it" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    [one_time] = slip_passwords(client.get(response["Location"]))
    pupil = User.objects.get(pk=issued.user.pk)
    assert pupil.has_one_time_password and pupil.check_password(one_time)
    assert not pupil.check_password(NEW_PASSWORD)

    # This time the pupil leaves the box unticked: the teacher can no longer reset.
    set_own_password(pupil.username, one_time, allow_reset=False)
    assert client.post(url).status_code == 403
    assert User.objects.get(pk=pupil.pk).check_password(NEW_PASSWORD)


def test_an_expired_one_time_password_is_replaced_by_a_reset(client):
    classroom = make_class()
    [issued] = services.accounts_create_batch(
        classroom=classroom, teacher=classroom.teacher, count=1
    )
    User.objects.filter(pk=issued.user.pk).update(
        one_time_password_issued_at=timezone.now() - timedelta(days=15)
    )
    login = {"username": issued.user.username, "password": issued.password}
    response = Client().post(reverse("accounts:login"), login)
    assert response.status_code == 200 and "has expired" in response.content.decode()

    client.force_login(classroom.teacher)
    client.post(reverse("classes:reset-password", args=[classroom.pk, issued.user.pk]))
    [fresh] = slip_passwords(client.get(reverse("classes:batch-sheet", args=[classroom.pk])))
    login["password"] = fresh
    assert Client().post(reverse("accounts:login"), login).status_code == 302
