"""Whole-page caching for visitors who carry no cookies yet.

A first-time visitor's view of a public page depends only on the path and the language, so the
rendered HTML is shared for a short while through the shared cache (the same copy for every
worker and app server). Anyone with a session (students, teachers, visitors who have started
playing) always gets a fresh page.

A page that holds a CSRF token (a form that posts, such as a scenario's "Start" button) is
never shared: the token belongs to one visitor.

Every saved or deleted topic or scenario bumps a generation number that is part of every key
(``page_generation_bump``, connected to the models' signals in ``AwarenessConfig.ready()``),
so an edit shows on the next request, whichever worker or machine answers it.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

PAGE_CACHE_SECONDS = 60
GENERATION_KEY = "page:generation"


def page_generation_bump(**kwargs) -> None:
    """Retire every cached page (a signal receiver: content that pages show has changed)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value retires the old keys
        cache.set(GENERATION_KEY, time.time_ns(), None)


def _key(request: HttpRequest) -> str:
    generation = cache.get_or_set(GENERATION_KEY, time.time_ns, None)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{generation}:{get_language()}:{path}"


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # get_token() was called: the page carries this visitor's CSRF token.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a cookie-less GET from the cache; store the page when it is the same for all."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        shareable = request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES
        if not shareable:
            return view(request, *args, **kwargs)
        key = _key(request)
        content = cache.get(key)
        if content is not None:
            response = HttpResponse(content)
        else:
            response = view(request, *args, **kwargs)
            if _shareable(request, response):
                cache.set(key, response.content, PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped
