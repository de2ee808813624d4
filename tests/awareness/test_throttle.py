"""The client's address: the proxy's own entry only, and never something that is not one."""

import pytest
from django.test import RequestFactory

from awareness.throttle import axes_client_ip, client_ip


@pytest.mark.parametrize(
    ("behind_proxy", "meta", "expected"),
    [
        (False, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "192.0.2.1"),
        (
            True,
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"},
            "198.51.100.7",
        ),
        # A client may send its own X-Forwarded-For; the proxy appends the real address last.
        (
            True,
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.7"},
            "198.51.100.7",
        ),
        (
            True,
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, not-an-ip"},
            "127.0.0.1",
        ),
        (True, {"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),
        (True, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
        (False, {"REMOTE_ADDR": ""}, ""),
    ],
)
def test_client_ip(settings, behind_proxy, meta, expected):
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected


def test_axes_gets_none_rather_than_an_empty_address(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert axes_client_ip(request) is None


@pytest.mark.django_db
def test_a_count_starts_again_in_the_next_window(monkeypatch):
    from awareness import throttle

    monkeypatch.setattr(throttle, "_now", lambda: 1_800_000_599.0)  # the last second of one
    assert throttle.throttle_hit("t", "me", window=600, amount=3) == 3
    assert throttle.throttle_exceeded("t", "me", limit=3, window=600)
    monkeypatch.setattr(throttle, "_now", lambda: 1_800_000_600.0)  # the next window
    assert throttle.throttle_count("t", "me", window=600) == 0
    assert throttle.throttle_hit("t", "me", window=600) == 1
