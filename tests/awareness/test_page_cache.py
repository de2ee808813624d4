import pytest

from awareness.models import Topic
from tests.factories import make_student, make_topic

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
