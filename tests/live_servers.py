"""Real gunicorn servers with production settings, for tests that go over HTTP.

What bench/concurrency.py and bench/serve.sh do for the benchmarks (a throwaway database,
`manage.py migrate`, gunicorn started with `gunicorn.conf.py` and production environment
variables), as small pieces the multi-process tests share: the environment, `manage.py`,
servers that stop themselves, and a browser that carries its own cookies and sends each
request to the next server in turn.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from bench.servers import POSTGRES_ADMIN_URL, postgres_database  # noqa: F401 (re-exported)

ROOT = Path(__file__).resolve().parent.parent

# Everything the site reads from the environment (README.md): never inherited from the shell or
# the test run (CI runs the suite with DATABASE_URL pointing at the shared PostgreSQL database).
SITE_VARIABLES = (
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL",
    "SQLITE_PATH", "REDIS_URL", "TEACHER_SIGNUP", "HTTPS", "SECURE_SSL_REDIRECT",
    "BEHIND_PROXY", "WEB_CONCURRENCY", "BIND", "FORWARDED_ALLOW_IPS", "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES", "LOG_LEVEL", "ACCESS_LOG", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
    "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "ASGI",
)  # fmt: skip


def suite_database() -> str:
    """ "postgresql" when the suite runs on PostgreSQL (DATABASE_URL), else "sqlite"."""
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def in_the_run_on(database: str) -> pytest.MarkDecorator:
    """For tests that start their own servers or processes on one database: they run in the
    suite's run on that database only (CI runs the suite on SQLite and on PostgreSQL), so the
    slowest tests are not repeated in both runs."""
    return pytest.mark.skipif(
        suite_database() != database, reason=f"runs in the suite's run on {database}"
    )


# Python for `manage.py shell -c`: publish_scenario(slug, title) publishes a small English
# scenario of two decisions (d1, d2; choice "a" is the safe one) through the real services.
PUBLISH_SCENARIO = r"""
from awareness.models import Topic
from quizzes.models import Scenario
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps


def publish_scenario(slug, title):
    topic, _ = Topic.objects.get_or_create(
        language="en", slug="live", defaults={"title": "Live", "summary": "s", "body_markdown": "b"}
    )
    scenario = Scenario.objects.create(language="en", slug=slug, title=title, summary="s",
        topic=topic, channel="chat", difficulty="easy", start_key="d1")
    decision = lambda key, next_key: {"key": key, "kind": "decision", "prompt": "?", "choices": [
        {"key": "a", "text": "Safe", "safe": True, "feedback": "f", "next": next_key},
        {"key": "b", "text": "Risky", "safe": False, "feedback": "f", "next": next_key}]}
    scenario_replace_steps(scenario=scenario, steps=[decision("d1", "d2"), decision("d2", "end"),
        {"key": "end", "kind": "ending", "outcome": "safe", "text": "x"}])
    scenario_publish(scenario=scenario)
    scenario.refresh_from_db()
    return scenario
"""


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production deployment on plain http://127.0.0.1 (SQLite file
    `db.sqlite3` unless ``SQLITE_PATH`` or ``DATABASE_URL`` is given)."""
    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="awareness.settings",
        SECRET_KEY="live-" + secrets.token_urlsafe(40),
        DEBUG="0",
        HTTPS="off",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        TEACHER_SIGNUP="open",
        ACCESS_LOG="off",
        LOG_LEVEL="warning",
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run `manage.py` with this environment; its stdout."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_on(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def postgres_answers() -> bool:
    if not answers_on("127.0.0.1", 5432):
        return False
    import psycopg

    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def redis_answers(url: str) -> bool:
    if not answers_on("127.0.0.1", 6379):
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=3).ping())
    except redis.RedisError:
        return False


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py` on a free port, as deployed; its output kept for checks."""

    def __init__(self, env: dict[str, str], *, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.TemporaryFile(mode="w+")
        self._process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until /healthz answers (the workers have loaded the site)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log()[-3000:]}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer in {timeout} s:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read()

    def errors(self) -> str:
        """What the server logged about failed requests (empty when nothing failed)."""
        log = self.log()
        bad = ("Traceback", "Internal Server Error", "database is locked")
        return log[-5000:] if any(marker in log for marker in bad) else ""


@contextmanager
def gunicorns(env: dict[str, str], *, instances: int, workers: int) -> Iterator[list[Gunicorn]]:
    """``instances`` gunicorn masters of ``workers`` workers each, on their own ports."""
    with ExitStack() as stack:
        servers = []
        for _ in range(instances):
            server = Gunicorn(env, workers=workers)
            stack.callback(server.stop)
            servers.append(server)
        for server in servers:
            server.wait_ready()
        yield servers


class _EveryResponse(urllib.request.HTTPErrorProcessor):
    """Return 3xx/4xx/5xx responses as they are: redirects are followed by Browser itself."""

    def http_response(self, request, response):
        return response


def _headers(message) -> dict[str, str]:
    """Header names as http.client gives them, whatever case the server sent (uvicorn sends
    lower case, gunicorn's WSGI workers title case)."""
    return {name.title(): value for name, value in message.items()}


@dataclass(repr=False)
class Page:
    server: str
    method: str
    path: str
    status: int
    headers: dict[str, str]
    text: str

    @property
    def csrf_token(self) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert match, f"no CSRF token on {self.path} ({self.status})"
        return match[1]

    def __str__(self) -> str:
        return f"{self.method} {self.server}{self.path} -> {self.status}"

    __repr__ = __str__


@dataclass
class Browser:
    """One person's browser: a cookie jar (cookies of 127.0.0.1 go to every port, as a browser
    sends them to every worker behind one host name) and no JavaScript. Each request, redirects
    included, goes to the next server in ``servers`` in turn."""

    servers: list[str]
    history: list[Page] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.jar = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _EveryResponse
        )
        self._turn = 0

    def _next_server(self) -> str:
        server = self.servers[self._turn % len(self.servers)]
        self._turn += 1
        return server

    def _send(self, method: str, path: str, data: dict | None) -> Page:
        server = self._next_server()
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(server + path, data=body, method=method)  # noqa: S310
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self._opener.open(request, timeout=60) as response:
                page = Page(
                    server,
                    method,
                    path,
                    response.status,
                    _headers(response.headers),
                    response.read().decode("utf-8", "replace"),
                )
        except urllib.error.HTTPError as error:  # pragma: no cover - _EveryResponse keeps them
            page = Page(server, method, path, error.code, _headers(error.headers), "")
        self.history.append(page)
        return page

    def _follow(self, page: Page) -> Page:
        for _ in range(10):
            if page.status not in (301, 302, 303, 307, 308):
                return page
            location = urlsplit(urljoin(page.server + page.path, page.headers["Location"]))
            path = location.path + (f"?{location.query}" if location.query else "")
            page = self._send("GET", path, None)
        raise AssertionError(f"too many redirects after {page}")

    def get(self, path: str, *, follow: bool = True) -> Page:
        page = self._send("GET", path, None)
        return self._follow(page) if follow else page

    def post(self, path: str, data: dict, *, follow: bool = True) -> Page:
        page = self._send("POST", path, data)
        return self._follow(page) if follow else page

    def submit(self, form_page: Page, data: dict, *, to: str = "", follow: bool = True) -> Page:
        """Post a form from ``form_page`` (to its own URL unless ``to``), with its CSRF token."""
        return self.post(
            to or form_page.path,
            {"csrfmiddlewaretoken": form_page.csrf_token, **data},
            follow=follow,
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def server_errors(self) -> list[str]:
        return [str(page) for page in self.history if page.status >= 500]


# --- live class mode ---------------------------------------------------------------------------


def live_session_opened(
    urls: list[str], username: str, password: str, scenario: int
) -> tuple[Browser, Page, int, str]:
    """The teacher signs in and opens a live session of ``scenario`` for a room of guests:
    the teacher's browser, the projector page, the session's id and its join code."""
    teacher = Browser(urls)
    teacher.submit(teacher.get("/accounts/login/"), {"username": username, "password": password})
    screen = teacher.submit(teacher.get("/live/new/"), {"scenario": scenario})
    found = re.search(r"^/live/(\d+)/screen/$", screen.path)
    assert found, screen
    code = re.search(r"/live/join/([A-Z0-9]{6})/", screen.text)
    assert code, screen
    return teacher, screen, int(found[1]), code[1]


def press(teacher: Browser, session: int, action: str) -> Page:
    """The teacher presses ``action`` on the control page (a 200: the page as it is now)."""
    control = teacher.get(f"/live/{session}/control/")
    page = teacher.submit(control, {"action": action})
    assert page.status == 200, page
    return page
