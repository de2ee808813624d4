"""bench/ceiling's two pages measure what bench/run.sh says: a signed-in response that loads
only the session and the user, and the site's layout around an empty page, for the same
students as the real pages (visitors are sent to log in, as on every signed-in page)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from bench.ceiling import settings as ceiling
from tests.factories import make_student

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("bench.ceiling.urls"),
]


@pytest.fixture(autouse=True)
def _bench_templates():
    with override_settings(TEMPLATES=ceiling.TEMPLATES):
        yield


def test_the_bare_page_loads_only_the_session_and_the_user(client):
    client.force_login(make_student())
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/bare/")
    assert response.status_code == 200
    assert response.content.startswith(b"signed in: ")
    tables = [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in queries]
    assert tables == ["django_session", "awareness_user"], tables


def test_the_layout_page_is_the_site_layout_around_nothing(client):
    student = make_student()
    client.force_login(student)
    response = client.get("/bench/layout/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/progress/"' in page  # the signed-in student's navigation
    assert "site-footer" in page
    assert "<p>Benchmark: the layout alone.</p>" in page


def test_visitors_are_sent_to_log_in(client):
    for path in ("/bench/bare/", "/bench/layout/"):
        assert client.get(path).status_code == 302


def test_the_site_is_served_as_usual(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/no-such-page/").status_code == 404


def test_loading_the_bench_settings_leaves_the_sites_own_as_they_are():
    from awareness import settings as site

    assert all("bench" not in str(path) for path in site.TEMPLATES[0]["DIRS"])
    assert ceiling.TEMPLATES[0]["DIRS"][-1].parts[-2:] == ("bench", "templates")
