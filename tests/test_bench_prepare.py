"""bench/prepare.py writes request lines that are what bench/run.sh claims: each student's own
pages, answering 200 to that student, and first answers on fresh attempts that a real form
post with that student's cookies turns into an answer (302), never a repeat."""

from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret  # type: ignore[attr-defined]
from django.test import Client

from bench import prepare
from quizzes.models import Answer
from tests.factories import add_student, make_class, make_scenario

pytestmark = pytest.mark.django_db


def read(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def browser(cookie_header: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    for name, morsel in SimpleCookie(cookie_header).items():
        client.cookies[name] = morsel.value
    return client


def test_the_request_lines_are_real_pages_and_first_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(prepare, "ROTATING", 3)
    monkeypatch.setattr(prepare, "ANSWERS", 6)
    scenarios = [make_scenario("bench-one"), make_scenario("bench-two")]
    secret = _get_new_csrf_string()
    csrf = (secret, _mask_cipher_secret(secret))
    prepare.rotating_students(tmp_path, scenarios, csrf)
    classroom = make_class()
    add_student(classroom), add_student(classroom)
    prepare.class_answers(tmp_path, classroom, scenarios, csrf, count=4)

    for name in ("play.txt", "intro.txt", "progress.txt"):
        lines = read(tmp_path / name)
        assert len({cookie for cookie, _path in lines}) == 3  # three students in turn
        for cookie, path in lines:
            assert browser(cookie).get(path).status_code == 200, (name, path)

    for name, count in (("answers.txt", 6), ("class-answers.txt", 4)):
        lines = read(tmp_path / name)
        assert len({path for _cookie, path, _body in lines}) == len(lines) == count
        before = Answer.objects.count()
        for cookie, path, body in lines:
            response = browser(cookie).post(
                path, body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code == 302 and "/feedback/" in response["Location"], path
        assert Answer.objects.count() == before + count  # each a first answer, none a repeat
