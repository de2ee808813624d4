"""Pushing a live session's changes to its pages, when Redis is there to carry them.

Every service that changes a session publishes the session's state (live.state) on the Redis
channel ``live:<id>`` once its transaction has committed. A page that runs under an ASGI server
(uvicorn workers under gunicorn, see the README) opens ``events/`` as server-sent events: the
stream subscribes to the channel, sends the state read from the database, then each state
published. Any worker of any app server can hold the stream, because every one of them hears
every publication; nothing about a session is kept in a process.

Without ``REDIS_URL``, or under a WSGI server (where a held stream would hold a whole worker),
pages are not given the stream and poll ``state.json`` instead; so does a page whose stream
fails. A publication lost (Redis restarting) costs a page at most ``RECHECK_SECONDS``: an idle
stream reads the row again.
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from functools import cache
from typing import Any

import redis
import redis.asyncio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import reverse

from live.models import LiveSession
from live.state import STATE_FIELDS, payload, session_payload, state_for

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 15.0  # an idle stream reads the session row again, and sends a comment
STREAM_SECONDS = 300.0  # then it ends; the browser's EventSource opens a new one at once
RETRY_MS = 1000  # what the browser waits before opening it again


def channel(pk: int) -> str:
    return f"live:{pk}"


def enabled() -> bool:
    return bool(settings.REDIS_URL)


def stream_url(request: HttpRequest, session: LiveSession) -> str:
    """The events URL for a page served under ASGI with Redis; "" where the page polls."""
    if enabled() and isinstance(request, ASGIRequest):
        return reverse("live:events", args=[session.pk])
    return ""


@cache
def _client() -> redis.Redis:
    # A connection pool per process: connections, not data about any session.
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def publish_on_commit(session: LiveSession) -> None:
    """Publish the session's state once the current transaction commits (at once outside
    one). A Redis that is down is logged and forgotten: the pages' streams read the row again
    within RECHECK_SECONDS, and polling pages never needed it."""
    if not enabled():
        return
    message = json.dumps(session_payload(session))
    name = channel(session.pk)

    def send() -> None:
        try:
            _client().publish(name, message)
        except redis.RedisError:
            logger.warning("live: could not publish to %s", name, exc_info=True)

    transaction.on_commit(send)


def event(data: dict[str, Any]) -> bytes:
    return f"id: {data['revision']}\ndata: {json.dumps(data)}\n\n".encode()


def _row_state(pk: int) -> dict[str, Any] | None:
    """The session's state from its row, and the database connection closed again: a stream
    is held for minutes, and must not hold a connection meanwhile."""
    try:
        row = LiveSession.objects.filter(pk=pk).values(*STATE_FIELDS).first()
    finally:
        connection.close()
    return None if row is None else payload(row)


def opening_state(request: HttpRequest, pk: int) -> dict[str, Any] | None:
    """The state for the page opening the stream, if it may follow the session (see
    live.state.state_for), with the connection closed as in _row_state."""
    try:
        return state_for(request, pk)
    finally:
        connection.close()


async def stream(pk: int, first: dict[str, Any]) -> AsyncIterator[bytes]:
    """The events of session ``pk`` for one page: ``first``, then each newer state published,
    until the session ends or STREAM_SECONDS pass. Idle, it reads the row every
    RECHECK_SECONDS (a publication Redis lost) and sends a comment (proxies keep it open)."""
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(channel(pk))
        # Read again once subscribed: a change made meanwhile is in the row or the channel.
        latest = await sync_to_async(_row_state)(pk) or first
        yield f"retry: {RETRY_MS}\n\n".encode() + event(latest)
        revision = latest["revision"]
        clock = asyncio.get_running_loop().time
        deadline = clock() + STREAM_SECONDS
        quiet_since = clock()
        while clock() < deadline:
            if latest["view"].startswith(f"{LiveSession.State.ENDED}:"):
                return
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=RECHECK_SECONDS
            )
            if message is not None:
                latest = json.loads(message["data"])
            elif clock() - quiet_since >= RECHECK_SECONDS:  # not a confirmation read early
                latest = await sync_to_async(_row_state)(pk) or latest
                quiet_since = clock()
                if latest["revision"] <= revision:
                    yield b": still here\n\n"
            if latest["revision"] > revision:
                revision = latest["revision"]
                quiet_since = clock()
                yield event(latest)
    finally:
        await pubsub.aclose()
        await client.aclose()
