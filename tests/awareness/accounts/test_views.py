from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from awareness.models import User
from tests.factories import PASSWORD, make_editor, make_student, make_teacher

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-and-long-passphrase-77"


def signup(client, **data):
    payload = {"username": "newkid", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    payload.update(data)
    return client.post("/accounts/signup/", payload)


def test_student_signup_asks_only_username_and_password(client):
    response = client.get("/accounts/signup/")
    form = response.context["form"]
    assert set(form.fields) == {"username", "password1", "password2", "role"}
    assert "email" not in response.content.decode()

    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(username="newkid")
    assert user.role == User.Role.STUDENT and user.email == "" and user.first_name == ""
    assert client.get("/").context["user"] == user


def test_teacher_signup_when_open(client, settings):
    settings.TEACHER_SIGNUP = "open"
    signup(client, role="teacher")
    user = User.objects.get(username="newkid")
    assert user.role == User.Role.TEACHER
    assert user.groups.filter(name="Teachers").exists()


def test_teacher_signup_when_closed_makes_a_student(client, settings):
    settings.TEACHER_SIGNUP = "closed"
    assert "role" not in client.get("/accounts/signup/").context["form"].fields
    signup(client, role="teacher")
    assert User.objects.get(username="newkid").role == User.Role.STUDENT


def test_signup_rejects_common_password(client):
    response = signup(client, password1="password123", password2="password123")
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.filter(username="newkid").exists()


def test_login_and_logout_by_post_only(client):
    make_student("lina")
    response = client.post("/accounts/login/", {"username": "lina", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated

    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").context["user"].is_authenticated

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_password_change(client):
    user = make_student("ming")
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_must_change_password_sends_pupil_to_password_page(client):
    user = make_student("pupil", must_change_password=True)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/").status_code == 200


def test_lockout_after_repeated_failures_and_release_after_cool_off(client, settings):
    make_student("target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "target", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "target", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed" in response.content.decode()

    # Move the failures back past the cool-off: the right password works again.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    AccessAttemptExpiration.objects.update(expires_at=past)
    response = client.post("/accounts/login/", {"username": "target", "password": PASSWORD})
    assert response.status_code == 302


def test_student_gets_no_admin(client):
    client.force_login(make_student())
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_teacher_gets_no_admin(client):
    client.force_login(make_teacher())
    assert client.get("/admin/").status_code == 302


def test_editor_gets_admin_but_not_users_or_groups(client):
    client.force_login(make_editor())
    assert client.get("/admin/").status_code == 200
    for content in ("quizzes/scenario", "quizzes/checkitem", "awareness/topic"):
        assert client.get(f"/admin/{content}/").status_code == 200
        # A new scenario starts on the page of templates (quizzes/scenarios/editor).
        page = "new" if content == "quizzes/scenario" else "add"
        assert client.get(f"/admin/{content}/{page}/").status_code == 200
    assert client.get("/admin/awareness/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": ""},
        {"username": "x" * 10_000, "password1": "y" * 10_000, "password2": "y" * 10_000},
        {"username": "\u202eevil\u0000", "password1": "\ud7ff\ufffe", "password2": "z"},
        {"username": "🙂🙂", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ],
)
def test_bad_signup_input_gets_the_form_back(client, data):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "x" * 10_000, "password": "y" * 10_000},
        {"username": "\u0000\u202e", "password": "\ufffe"},
    ],
)
def test_bad_login_input_gets_the_form_back(client, data):
    response = client.post("/accounts/login/", data)
    assert response.status_code == 200
    assert response.context["form"].errors


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    username=st.text(max_size=300),
    password=st.text(max_size=300),
)
def test_login_never_errors_on_any_text(client, username, password):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code in {200, 429}


# --- one-time passwords from a teacher: expiry, and consent to a teacher reset ----------

EXPIRED = "This one-time password has expired. Ask your teacher for a new one."


def pupil_with_one_time_password(*, days_old: float) -> User:
    """A pupil account a teacher made, still holding the one-time password (PASSWORD)."""
    return make_student(
        created_by=make_teacher(),
        must_change_password=True,
        one_time_password_issued_at=timezone.now() - timedelta(days=days_old),
    )


def log_in(client, user: User):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def test_an_expired_one_time_password_cannot_log_in(client):
    pupil = pupil_with_one_time_password(days_old=14.01)
    response = log_in(client, pupil)
    assert response.status_code == 200
    assert EXPIRED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_fresh_one_time_password_logs_in(client):
    pupil = pupil_with_one_time_password(days_old=13.9)
    response = log_in(client, pupil)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(pupil.pk)


def test_the_one_time_password_lifetime_is_a_setting(client, settings):
    settings.ONE_TIME_PASSWORD_DAYS = 2
    assert EXPIRED in log_in(client, pupil_with_one_time_password(days_old=3)).content.decode()
    assert log_in(client, pupil_with_one_time_password(days_old=1)).status_code == 302


def test_a_pupils_own_password_never_expires(client):
    teacher = make_teacher()
    pupil = make_student(created_by=teacher, date_joined=timezone.now() - timedelta(days=400))
    assert log_in(client, pupil).status_code == 302


def test_setting_their_own_password_ends_the_one_time_password(client):
    pupil = pupil_with_one_time_password(days_old=1)
    client.force_login(pupil)
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    pupil.refresh_from_db()
    assert not pupil.has_one_time_password and pupil.one_time_password_issued_at is None
    assert not pupil.allow_teacher_reset  # the box was left unticked


def test_a_teacher_made_pupil_chooses_whether_their_teacher_may_reset_it(client):
    pupil = pupil_with_one_time_password(days_old=0)
    client.force_login(pupil)
    html = client.get("/accounts/password/").content.decode()
    # A real checkbox with its own label and help text, after the password fields.
    assert '<input type="checkbox" name="allow_teacher_reset"' in html
    assert '<label for="id_allow_teacher_reset"' in html
    assert "Let my teacher reset my password if I forget it" in html
    assert html.index("id_new_password2") < html.index("id_allow_teacher_reset")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "allow_teacher_reset": "on",
        },
    )
    pupil.refresh_from_db()
    assert pupil.allow_teacher_reset and pupil.teacher_may_reset
    done = client.get(response["Location"]).content.decode()
    assert "your teacher can give you a new one-time password" in done

    # Changing the password again shows the choice as it stands, and can take it back.
    form = client.get("/accounts/password/").context["form"]
    assert form["allow_teacher_reset"].initial is True
    client.post(
        "/accounts/password/",
        {"old_password": NEW_PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    pupil.refresh_from_db()
    assert not pupil.allow_teacher_reset and not pupil.teacher_may_reset
    done = client.get("/accounts/password/done/").content.decode()
    assert "only a site administrator can reset it" in done


def test_the_consent_box_is_only_for_pupils_a_teacher_made(client):
    for user in (make_student(), make_teacher()):
        client.force_login(user)
        assert "allow_teacher_reset" not in client.get("/accounts/password/").context["form"].fields
        client.post(
            "/accounts/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
                "allow_teacher_reset": "on",
            },
        )
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD) and not user.allow_teacher_reset


@pytest.mark.django_db
def test_teachers_land_on_their_classes_after_logging_in_and_others_on_home(client):
    from tests.factories import PASSWORD, make_student, make_teacher

    make_teacher("landing-teacher")
    make_student("landing-student")
    response = client.post(
        "/accounts/login/", {"username": "landing-teacher", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/classes/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "landing-student", "password": PASSWORD}
    )
    assert response["Location"] == "/"
    client.logout()
    response = client.post(
        "/accounts/login/?next=/check/", {"username": "landing-teacher", "password": PASSWORD}
    )
    assert response["Location"] == "/check/"  # where they were going wins
