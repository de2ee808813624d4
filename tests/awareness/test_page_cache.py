import re

import pytest
from django.test import Client

from awareness.models import Topic
from tests.factories import make_scenario, make_student, make_topic

pytestmark = pytest.mark.django_db


def test_cookieless_visitors_share_a_cached_page(client, django_assert_num_queries):
    make_topic("phishing", title="Phishing")
    first = client.get("/learn/")
    assert "Phishing" in first.content.decode()
    assert "Cookie" in first["Vary"] and "Accept-Language" in first["Vary"]
    with django_assert_num_queries(0):
        again = client.get("/learn/")
    assert again.content == first.content


def test_each_language_has_its_own_cached_page(client):
    make_topic("phishing", title="Phishing")
    make_topic("phishing", language="zh-hans", title="钓鱼链接")
    assert "Phishing" in client.get("/learn/").content.decode()
    assert "钓鱼链接" in client.get("/learn/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()


def test_signed_in_users_always_get_a_fresh_page(client):
    make_topic("phishing", title="Phishing")
    client.get("/learn/")  # cached for visitors
    Topic.objects.filter(slug="phishing").update(title="Renamed")
    client.force_login(make_student())
    assert "Renamed" in client.get("/learn/").content.decode()


def test_language_switcher_needs_no_csrf_token_so_pages_stay_cacheable(client):
    html = client.get("/").content.decode()
    assert 'action="/i18n/switch/" method="get"' in html
    assert "csrfmiddlewaretoken" not in html


def _token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def test_a_cached_page_with_a_form_gets_each_visitor_their_own_working_token(
    django_assert_num_queries,
):
    make_scenario()
    first = Client(enforce_csrf_checks=True).get("/scenarios/likes-for-money/")
    assert first.status_code == 200 and "csrftoken" in first.cookies
    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        cached = visitor.get("/scenarios/likes-for-money/")
    html = cached.content.decode()
    assert "@@csrf-token@@" not in html and "Likes for money" in html
    assert "csrftoken" in cached.cookies and _token(html) != _token(first.content.decode())
    # The token put into the shared page is this visitor's: the Start button works.
    response = visitor.post(
        "/scenarios/likes-for-money/start/", {"csrfmiddlewaretoken": _token(html)}
    )
    assert response.status_code == 302 and "/play/" in response["Location"]
    # ... and that token is no good with anybody else's cookie.
    stranger = Client(enforce_csrf_checks=True)
    assert "csrftoken" in stranger.get("/scenarios/likes-for-money/").cookies
    response = stranger.post(
        "/scenarios/likes-for-money/start/", {"csrfmiddlewaretoken": _token(html)}
    )
    assert response.status_code == 403
