"""gunicorn settings, read from the environment (see README.md)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
# Load the site once in the master and fork workers from it: a worker replaced after
# max_requests starts serving at once, instead of spending a second of CPU importing Django
# while the others serve alone (under load, 2.5 s stalls in bench/classroom_load.py). Nothing
# connects at import (database and Redis connections open in each worker on first use).
preload_app = True

accesslog = "-" if os.environ.get("ACCESS_LOG", "on") != "off" else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Trust X-Forwarded-* only from the proxy in front (set FORWARDED_ALLOW_IPS to its address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# ASGI=on: uvicorn workers serve the site as ASGI, so that live pages can hold a stream of
# server-sent events (with REDIS_URL; see live/events.py). Off: plain WSGI workers, and live
# pages poll. Settings read the same variable (database connections are not kept under ASGI).
if os.environ.get("ASGI", "off") == "on":
    worker_class = "uvicorn_worker.UvicornWorker"
    wsgi_app = "awareness.asgi:application"
else:
    wsgi_app = "awareness.wsgi:application"


def when_ready(server) -> None:
    """In the master, once the site is loaded and before any worker is forked: import the URL
    configuration (every view, about 0.9 s of CPU) and the translations, which Django otherwise
    loads on a worker's first request, so that a new worker's first students do not wait."""
    if not server.cfg.preload_app:
        return
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports the views
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Scenarios")
