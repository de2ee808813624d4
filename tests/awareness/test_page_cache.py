import re

import pytest
from django.test import Client

from awareness.models import Topic
from quizzes.models import Scenario
from tests.factories import make_scenario, make_student, make_topic

pytestmark = pytest.mark.django_db


def test_cookieless_visitors_share_a_cached_page(client):
    make_topic("phishing", title="Phishing")
    first = client.get("/learn/")
    assert "Phishing" in first.content.decode()
    assert "Cookie" in first["Vary"] and "Accept-Language" in first["Vary"]
    # update() sends no signal, so only a shared copy can still show the old title.
    Topic.objects.filter(slug="phishing").update(title="Renamed")
    again = Client().get("/learn/")
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


def test_a_page_with_a_form_is_never_shared_and_each_token_works_only_for_its_visitor():
    scenario = make_scenario()
    first = Client(enforce_csrf_checks=True)
    first_html = first.get("/scenarios/likes-for-money/").content.decode()
    # update() sends no signal: a shared copy would still show the old title.
    Scenario.objects.filter(pk=scenario.pk).update(published_title="Renamed for money")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/scenarios/likes-for-money/")
    html = page.content.decode()
    assert "Renamed for money" in html, "served a shared copy"
    assert "csrftoken" in page.cookies
    assert _token(html) != _token(first_html)
    response = visitor.post(
        "/scenarios/likes-for-money/start/", {"csrfmiddlewaretoken": _token(html)}
    )
    assert response.status_code == 302 and "/play/" in response["Location"]
    stranger = Client(enforce_csrf_checks=True)
    assert "csrftoken" in stranger.get("/scenarios/likes-for-money/").cookies
    response = stranger.post(
        "/scenarios/likes-for-money/start/", {"csrfmiddlewaretoken": _token(html)}
    )
    assert response.status_code == 403


def test_a_visitors_csrf_token_never_lands_in_text_another_visitor_sees():
    """The old shared-page cache replaced a placeholder anywhere in a cached page with the
    visitor's CSRF token, so a Markdown link holding the placeholder carried the token."""
    placeholder = "@@csrf-token@@"
    topic = make_topic("phishing", title="Phishing")
    Topic.objects.filter(pk=topic.pk).update(
        body_html=f'<p><a href="https://x.example/?t={placeholder}">x</a></p>'
    )
    for _ in range(3):  # the first visit fills the shared copy, the others are served from it
        html = Client().get("/learn/phishing/").content.decode()
        assert f"?t={placeholder}" in html


def test_a_topic_edit_shows_on_the_next_visitors_request():
    from awareness.pages.services import topic_save

    topic = make_topic("phishing", title="Phishing")
    assert "Phishing" in Client().get("/learn/").content.decode()  # now cached for visitors
    topic.title = "Fake bank messages"
    topic_save(topic=topic)
    assert "Fake bank messages" in Client().get("/learn/").content.decode()


def test_publishing_a_scenario_shows_on_the_next_visitors_request():
    from quizzes.scenarios.publishing import scenario_publish

    scenario = make_scenario()
    assert "Likes for money" in Client().get("/scenarios/").content.decode()
    scenario.title = "Paid to like videos"
    scenario.save()
    assert "Paid to like videos" not in Client().get("/scenarios/").content.decode()  # a draft
    scenario_publish(scenario=scenario)
    assert "Paid to like videos" in Client().get("/scenarios/").content.decode()
