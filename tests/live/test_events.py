"""live.events: each change published on Redis once committed (and never without Redis, nor
to the harm of the change when Redis is down); the stream of events a page follows; the
events URL offered and answered under ASGI with Redis only."""

import asyncio
import json
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404
from django.test import AsyncClient, RequestFactory
from django.urls import reverse

from live import events, services, views
from live.models import LiveSession
from live.state import session_payload
from tests.live.conftest import join_guest
from tests.live_servers import redis_answers

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/7"
needs_redis = pytest.mark.skipif(not redis_answers(REDIS_URL), reason="Redis does not answer")


@pytest.fixture
def with_redis(settings):
    settings.REDIS_URL = REDIS_URL
    events._client.cache_clear()
    yield
    events._client.cache_clear()


@pytest.fixture
def subscriber(session):
    client = redis.Redis.from_url(REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(events.channel(session.pk))
    pubsub.get_message(timeout=1)  # the subscription's confirmation
    yield pubsub
    pubsub.close()
    client.close()


def received(pubsub) -> list[dict]:
    messages = []
    while (message := pubsub.get_message(timeout=0.5)) is not None:
        messages.append(json.loads(message["data"]))
    return messages


@needs_redis
def test_each_change_is_published_once_committed(
    with_redis, session, subscriber, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.live_start(session=session, teacher=session.teacher)
        assert received(subscriber) == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    session.refresh_from_db()
    assert received(subscriber) == [session_payload(session)]
    assert session_payload(session)["view"] == "step:d1:0"


def test_nothing_is_published_without_redis(settings, session, django_capture_on_commit_callbacks):
    settings.REDIS_URL = ""
    with django_capture_on_commit_callbacks() as callbacks:
        services.live_start(session=session, teacher=session.teacher)
    assert callbacks == []


def test_a_redis_that_is_down_loses_no_change(
    settings, session, django_capture_on_commit_callbacks, caplog
):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    events._client.cache_clear()
    with caplog.at_level(logging.WARNING, logger="live.events"):
        with django_capture_on_commit_callbacks(execute=True):
            services.live_start(session=session, teacher=session.teacher)
    events._client.cache_clear()
    session.refresh_from_db()
    assert session.state == LiveSession.State.STEP
    assert "could not publish" in caplog.text


def test_the_stream_is_offered_under_asgi_with_redis_only(settings, session):
    wsgi = RequestFactory().get("/")
    asgi = ASGIRequest({"type": "http", "method": "GET", "path": "/", "headers": []}, None)
    settings.REDIS_URL = ""
    assert events.stream_url(asgi, session) == ""
    settings.REDIS_URL = REDIS_URL
    assert events.stream_url(wsgi, session) == ""
    assert events.stream_url(asgi, session) == f"/live/{session.pk}/events/"


def in_a_thread(coroutine_function):
    """Run an async function to its end in a thread of its own: the browser tests leave
    Playwright's event loop in the test's thread, where async_to_sync refuses to run. Its
    database reads use another connection, so the tests that need them commit their rows."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result()


def test_the_events_url_is_a_404_under_wsgi(with_redis, client, session):
    client.force_login(session.teacher)
    request = RequestFactory().get(reverse("live:events", args=[session.pk]))
    with pytest.raises(Http404):
        in_a_thread(lambda: views.live_events(request, session.pk))
    assert "data-live-events" not in client.get(session.get_absolute_url()).text


async def _first_events(response, count: int) -> list[str]:
    chunks = []
    async for chunk in response.streaming_content:
        chunks.append(chunk.decode())
        if len(chunks) == count:
            break
    return chunks


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_the_stream_sends_the_state_then_each_newer_one_and_ends_with_the_session(
    with_redis, scenario, classroom
):
    session = services.live_create(
        teacher=classroom.teacher, scenario=scenario, classroom=classroom
    )
    first = session_payload(session)
    publisher = redis.Redis.from_url(REDIS_URL)

    async def follow() -> list[str]:
        chunks = []
        stream = events.stream(session.pk, first)
        chunks.append(await anext(stream))
        for revision, view in ((first["revision"] + 2, "step:d1:0"), (first["revision"] + 1, "x"),
                               (first["revision"] + 3, "ended:d1:0")):  # fmt: skip
            publisher.publish(
                events.channel(session.pk),
                json.dumps({**first, "revision": revision, "view": view}),
            )
        async for chunk in stream:
            chunks.append(chunk)
        return [chunk.decode() for chunk in chunks]

    chunks = in_a_thread(follow)
    publisher.close()
    assert chunks[0].startswith(f"retry: {events.RETRY_MS}\n\n")
    assert f"id: {first['revision']}\ndata: " in chunks[0]
    views = [json.loads(chunk.split("data: ", 1)[1])["view"] for chunk in chunks]
    # the older revision published late is skipped; the stream ends after the end
    assert views == ["lobby::0", "step:d1:0", "ended:d1:0"]


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_the_events_view_under_asgi(with_redis, scenario, classroom):
    session = services.live_create(
        teacher=classroom.teacher, scenario=scenario, classroom=classroom
    )
    url = reverse("live:events", args=[session.pk])
    teacher = AsyncClient()

    async def open_streams():
        stranger = await AsyncClient().get(url)
        await teacher.aforce_login(session.teacher)
        response = await teacher.get(url)
        return stranger, response, (await _first_events(response, 1))[0]

    stranger, response, first = in_a_thread(open_streams)
    assert stranger.status_code == 404
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert "no-store" in response["Cache-Control"]
    assert '"view": "lobby::0"' in first

    guest = join_guest(session, nickname=f"G{secrets.token_hex(2)}")
    assert guest.session_id == session.pk
    services.live_end(session=session, teacher=session.teacher)
    ended = in_a_thread(lambda: teacher.get(url))
    assert ended.status_code == 204  # a browser's EventSource stops asking
