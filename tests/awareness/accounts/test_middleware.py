"""Private pages are never kept by the browser or a proxy."""

import pytest

from quizzes.classes.services import classroom_create
from tests.factories import make_scenario, make_student, make_teacher

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


def test_signed_in_pages_are_private_and_not_stored(client):
    teacher = make_teacher()
    classroom = classroom_create(teacher=teacher, name="7B")
    student = make_student()
    client.force_login(teacher)
    for url in ("/", "/classes/", f"/classes/{classroom.pk}/", "/learn/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    client.force_login(student)
    for url in ("/", "/progress/", "/join/", "/scenarios/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url


def test_a_visitors_own_progress_is_private_too(client):
    make_scenario()
    client.post("/scenarios/likes-for-money/start/")
    assert _no_store(client.get("/scenarios/"))


def test_the_login_response_that_sets_the_session_is_private(client):
    make_student("otter-4821")
    response = client.post(
        "/accounts/login/",
        {"username": "otter-4821", "password": "correct-horse-battery-staple-42"},
    )
    assert response.status_code == 302 and _no_store(response)


def test_cookieless_visitors_pages_stay_cacheable(client):
    response = client.get("/learn/")
    assert "no-store" not in response.get("Cache-Control", "")
