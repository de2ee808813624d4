import gzip
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

SAMPLE_URLS = ["/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"]


@pytest.fixture
def production_like(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_every_response_carries_security_headers(production_like, url):
    response = Client().get(url, secure=True)
    assert response.status_code in {200, 404}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert int(re.search(r"max-age=(\d+)", response["Strict-Transport-Security"])[1]) >= 31536000
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in (
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "script-src 'self'",
    ):
        assert directive in csp


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_samesite(production_like, client):
    from tests.factories import PASSWORD, make_student

    make_student("cookie-kid")
    response = client.post(
        "/accounts/login/", {"username": "cookie-kid", "password": PASSWORD}, secure=True
    )
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_pages_make_no_third_party_requests(client, db):
    html = client.get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url


def test_hashed_static_files_are_compressed_and_immutable(client):
    url = staticfiles_storage.url("bootstrap/css/bootstrap.min.css")
    assert re.search(r"\.[0-9a-f]{12}\.css$", url)
    for encoding in ("br", "gzip"):
        response = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        cache = response["Cache-Control"]
        assert "immutable" in cache
        assert int(re.search(r"max-age=(\d+)", cache)[1]) >= 31536000


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_session(client, django_assert_num_queries):
    client.cookies["sessionid"] = "a" * 32
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.strip() == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "Cookie" not in response.get("Vary", "")
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_pages_are_sent_compressed_to_browsers_that_accept_it(client):
    plain = client.get("/help/")
    packed = client.get("/help/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert html == plain.content and len(packed.content) < len(html) / 2
    assert "Content-Encoding" not in plain
