"""Every URL that carries a database id answers an id that cannot exist with a 404, never a 500
(before the `id` converter, /join/<30 digits>/leave/ overflowed SQLite's integer)."""

import re
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from awareness.converters import IdConverter
from awareness.models import User
from tests.factories import make_editor, make_student, make_teacher

pytestmark = pytest.mark.django_db

# IntConverter too, so the walk still finds the id URLs if one slips back to <int:...>.
ID_CONVERTERS = (IdConverter, IntConverter)
SAMPLES = {"slug": "likes-for-money", "str": "x", "path": "x"}
# Too long for the converter, so no URL matches: 30 digits, 2**63 - 1 and 2**63.
UNMATCHED = ["9" * 30, "9223372036854775807", "9223372036854775808"]
# Matched, but no row has them: 0 and the longest id the converter takes.
NO_SUCH_ROW = ["0", "9" * 18]


def _routes(patterns: list, prefix: str = "", converters: tuple = ()) -> Iterator[tuple]:
    """(full route, converters) of every URL pattern, with includes flattened."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        found = (*converters, *getattr(entry.pattern, "converters", {}).values())
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route, found)
        elif isinstance(entry, URLPattern):
            yield route, found


def id_routes(*, admin: bool) -> list[str]:
    """Routes with at least one id in them, outside the admin or inside it."""
    return sorted(
        route
        for route, converters in _routes(get_resolver().url_patterns)
        if any(isinstance(c, ID_CONVERTERS) for c in converters)
        and route.startswith("admin/") == admin
    )


def fill(route: str, number: str) -> str:
    """The route as a path, with `number` for every id and a sample value for anything else."""

    def value(match: re.Match[str]) -> str:
        converter = match["converter"] or "str"
        return number if converter in ("id", "int") else SAMPLES[converter]

    return "/" + re.sub(r"<(?:(?P<converter>\w+):)?\w+>", value, route)


SITE_ROUTES = id_routes(admin=False)
ADMIN_ROUTES = id_routes(admin=True)


@pytest.fixture(params=["teacher", "student", "editor"])
def user_client(request, client: Client) -> Client:
    make: dict[str, Callable[[], User]] = {
        "teacher": make_teacher,
        "student": make_student,
        "editor": make_editor,
    }
    client.force_login(make[request.param]())
    return client


def test_the_walk_finds_every_id_url():
    assert "join/<id:pk>/leave/" in SITE_ROUTES
    assert "check/<id:session_id>/<id:index>/" in SITE_ROUTES
    assert len(SITE_ROUTES) >= 23
    assert sorted(ADMIN_ROUTES) == [
        "admin/quizzes/scenario/<id:object_id>/edit/",
        "admin/quizzes/scenario/<id:object_id>/edit/check/",
        "admin/quizzes/scenario/<id:object_id>/map/",
        "admin/quizzes/scenario/<id:object_id>/publish/",
    ]


def test_every_id_in_a_url_uses_the_id_converter():
    plain_int = [
        route
        for route, converters in _routes(get_resolver().url_patterns)
        if any(type(c) is IntConverter for c in converters)
    ]
    assert plain_int == []


@pytest.mark.parametrize("route", SITE_ROUTES)
def test_an_id_that_cannot_exist_is_404(user_client: Client, route: str):
    for number in UNMATCHED:
        url = fill(route, number)
        assert user_client.get(url).status_code == 404, url
        assert user_client.post(url).status_code == 404, url
    for number in NO_SUCH_ROW:
        url = fill(route, number)
        # 404; or the refusal a view gives before it looks anything up: a role that may not
        # use the page at all (403, e.g. a pupil on an editor's preview) or a wrong method (405).
        assert user_client.get(url).status_code in (403, 404, 405), url
        assert user_client.post(url).status_code in (403, 404, 405), url


@pytest.mark.parametrize("route", ADMIN_ROUTES)
def test_an_admin_id_that_cannot_exist_is_no_server_error(client: Client, route: str):
    client.force_login(make_editor())
    for number in UNMATCHED + NO_SUCH_ROW:
        url = fill(route, number)
        # The admin answers an unknown object with a 404, or a redirect saying it is not there.
        assert client.get(url).status_code in (302, 404), url
        assert client.post(url).status_code in (302, 404), url


def test_the_id_converter_takes_1_to_18_digits():
    regex = re.compile(IdConverter.regex)
    assert all(regex.fullmatch(text) for text in ("0", "1", "42", "9" * 18))
    assert not any(regex.fullmatch(text) for text in ("", "9" * 19, "-1", "1.0", "١٢"))
    assert IdConverter().to_python("007") == 7
    assert IdConverter().to_url(7) == "7"
