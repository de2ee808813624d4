"""Counting requests per person or address in the shared cache, to slow down guessing.

The counters live in Django's default cache, which is shared by every worker and app server
(Redis when ``REDIS_URL`` is set, otherwise a table in the database), so a limit holds however
many processes answer. Windows are fixed (the count resets when the window ends), which is
plenty for throttling: the aim is to make guessing slow, not to meter exactly.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent the request ("" when there is none, as in a test request).

    Behind the documented proxy (``BEHIND_PROXY=1``) every request arrives from the proxy, so
    the client is the last address of ``X-Forwarded-For``: the one the proxy itself appended.
    Earlier entries come from the client and can be forged, so they are never used. Without a
    proxy the header is ignored entirely.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.headers.get("x-forwarded-for", "")
        if last := _valid_ip(forwarded.split(",")[-1]):
            return last
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def axes_client_ip(request: HttpRequest) -> str | None:
    """``client_ip`` for django-axes, which stores it in an IP address column (or nothing)."""
    return client_ip(request) or None


def _now() -> float:
    return time.time()


def _key(scope: str, ident: str, window: int) -> str:
    # Fixed windows: a count starts again at each multiple of ``window`` seconds.
    bucket = int(_now()) // window
    return f"throttle:{scope}:{window}:{bucket}:{ident}"


def throttle_count(scope: str, ident: str, *, window: int) -> int:
    """How many hits ``ident`` has in ``scope`` in the current window."""
    return int(cache.get(_key(scope, ident, window)) or 0)


def throttle_hit(scope: str, ident: str, *, window: int, amount: int = 1) -> int:
    """Count ``amount`` hits for ``ident`` in ``scope``; returns the new count."""
    key = _key(scope, ident, window)
    if cache.add(key, amount, window + 1):
        return amount
    try:
        return int(cache.incr(key, amount))
    except ValueError:  # expired between add and incr
        cache.set(key, amount, window + 1)
        return amount


def throttle_exceeded(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """True when ``ident`` already used up ``limit`` hits of ``scope`` in this window."""
    return throttle_count(scope, ident, window=window) >= limit


def too_many_requests(request: HttpRequest, message: str, *, retry_after: int) -> HttpResponse:
    """A 429 page that says what happened and when to try again."""
    response = render(
        request,
        "429.html",
        {"message": message, "retry_minutes": max(1, (retry_after + 59) // 60)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
