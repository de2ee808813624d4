"""Whole-page caching for visitors who carry no cookies yet.

A first-time visitor's view of a public page depends only on the path and the language, so the
rendered HTML is shared for a short while. Anyone with a session (students, teachers, visitors
who have started playing) always gets a fresh page.

A page with a form (a scenario's "Start" button) is shared too: the cached copy holds a
placeholder where the CSRF token goes, and each visitor gets their own token put in its place
(and the CSRF cookie set), exactly as if the page had been rendered for them.
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

PAGE_CACHE_SECONDS = 60
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_CSRF_PLACEHOLDER = b"@@csrf-token@@"


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{get_language()}:{path}"


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a cookie-less GET from the cache; store the page when it set no cookie."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        shareable = request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES
        if not shareable:
            return view(request, *args, **kwargs)
        key = _key(request)
        content = cache.get(key)
        if content is not None:
            if _CSRF_PLACEHOLDER in content:
                content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not response.streaming:
                shared = _CSRF_FIELD.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
                cache.set(key, shared, PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped
