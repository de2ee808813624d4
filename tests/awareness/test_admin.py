"""The user admin (awareness.admin.SiteUserAdmin) refuses look-alike usernames with a form
error, when adding an account and when renaming one."""

import pytest
from django.forms.models import model_to_dict

from awareness.accounts.usernames import username_key
from awareness.admin import SiteUserChangeForm
from awareness.models import User
from tests.factories import PASSWORD, make_student, make_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    return client


# Django's own add form already refused "DEMO-TEACHER"; the check that replaces it must too.
@pytest.mark.parametrize("username", ["d\u0435mo-teacher", "dem0-teacher", "DEMO-TEACHER"])
def test_admin_add_refuses_a_lookalike(superuser_client, username):
    make_teacher("demo-teacher")
    response = superuser_client.post(
        "/admin/awareness/user/add/",
        {"username": username, "usable_password": "false"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"]
    assert not User.objects.filter(username=username).exists()


def test_admin_add_of_a_distinct_name_works(superuser_client):
    make_teacher("demo-teacher")
    response = superuser_client.post(
        "/admin/awareness/user/add/", {"username": "王老师", "usable_password": "false"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="王老师").username_key == username_key("王老师")


def change_form(user: User, **changes) -> SiteUserChangeForm:
    data = {k: v for k, v in model_to_dict(user).items() if v is not None}
    data.update(changes)
    return SiteUserChangeForm(instance=user, data=data)


def test_admin_rename_refuses_a_lookalike_of_another_account():
    make_teacher("demo-teacher")
    pupil = make_student("pupil")
    form = change_form(pupil, username="DEMO-TEACHER")
    assert not form.is_valid()
    assert form.errors["username"] == ["That username is taken."]


def test_admin_rename_to_a_case_variant_of_the_same_account_is_fine():
    pupil = make_student("pupil")
    form = change_form(pupil, username="Pupil", display_name="Ana")
    assert form.is_valid(), form.errors
    form.save()
    pupil.refresh_from_db()
    assert pupil.username == "Pupil" and pupil.display_name == "Ana"
