"""Shared by the load scripts (bench/live_load.py, bench/classroom_load.py): the site's
servers started as in production on throwaway data, and small helpers to drive them.

- ``Server``: ``gunicorn -c gunicorn.conf.py`` on a free port, its log in a file;
- ``HAProxy``: Debian's haproxy in the foreground, one port in front of several gunicorns;
- ``postgres_database``: a throwaway PostgreSQL database, dropped afterwards;
- ``manage``: ``manage.py`` with a given environment; ``free_port``, ``percentile``,
  ``csrf_token``;
- ``session_for``: a signed-in session made directly (once Django is set up).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awareness.models import User

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Everything the site and gunicorn.conf.py read from the environment (README.md): the scripts
# set what they need and never inherit these from the shell or a test run.
SITE_VARIABLES = (
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL",
    "SQLITE_PATH", "REDIS_URL", "TEACHER_SIGNUP", "HTTPS", "SECURE_SSL_REDIRECT",
    "BEHIND_PROXY", "WEB_CONCURRENCY", "ASGI", "DB_POOL_SIZE", "BIND", "FORWARDED_ALLOW_IPS",
    "AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES", "ONE_TIME_PASSWORD_DAYS",
    "AFTER_CHECK_SCENARIOS", "LATER_CHECK_DAYS", "VISITOR_DATA_DAYS", "LOGIN_RECORD_DAYS",
    "LOG_LEVEL", "ACCESS_LOG", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_CMD_ARGS",
    "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE",
)  # fmt: skip


def csrf_token(page: str) -> str:
    match = CSRF.search(page)
    if match is None:
        raise RuntimeError("a page without a form's CSRF token")
    return match[1]


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_for(user: "User") -> str:
    """The key of a new session signed in as ``user``, in the configured session engine (the
    load scripts sign students in this way: no password is posted or hashed). Needs Django
    set up."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


def port_answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database on 127.0.0.1:5432 (its DATABASE_URL), dropped
    afterwards with whatever connections are still open to it."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    """gunicorn -c gunicorn.conf.py on a free port, its log in a file; ``extra_args`` go on
    its command line (they override gunicorn.conf.py, e.g. an access log file and format)."""

    def __init__(self, env: dict[str, str], workers: int, extra_args: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *extra_args],
            cwd=ROOT,
            env={**env, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.workers = workers

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited:\n" + self.text()[-3000:])
            if len(self.worker_pids()) == self.workers and port_answers(self.port):
                time.sleep(1.0)  # every worker has loaded the site
                return
            time.sleep(0.2)
        raise SystemExit("gunicorn did not start:\n" + self.text()[-3000:])

    def worker_pids(self) -> list[int]:
        found = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(pid) for pid in found.stdout.split()]

    def kill_a_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def text(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def errors(self, killed: Sequence[int] = ()) -> list[str]:
        """Lines of the log about a failure, but for the kill of the workers in ``killed``."""
        expected = [f"(pid:{pid})" for pid in killed]
        markers = ("Traceback", "Internal Server Error", "database is locked", "[ERROR]", "Error")
        return [
            line
            for line in self.text().splitlines()
            if any(marker in line for marker in markers)
            and not any(pid in line for pid in expected)
        ]


HAPROXY_CONFIG = """\
global
    maxconn 4000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option forwardfor
frontend site
    bind 127.0.0.1:{port}
    default_backend gunicorns
backend gunicorns
    # Each request to the instance with the fewest open connections (sync workers answer
    # one request at a time, so open connections are its queue).
    balance leastconn
{servers}
"""


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


class HAProxy:
    """HAProxy (Debian's package) in the foreground on a free port, in front of ``servers``;
    its configuration in ``directory``."""

    def __init__(self, servers: Sequence[Server], directory: Path) -> None:
        binary = haproxy_path()
        if binary is None:
            raise SystemExit("haproxy is missing: apt-get install haproxy")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        lines = [
            f"    server app{n} 127.0.0.1:{server.port}" for n, server in enumerate(servers, 1)
        ]
        config = directory / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(port=self.port, servers="\n".join(lines)))
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(  # noqa: S603
            [binary, "-db", "-f", str(config)], stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit("haproxy exited:\n" + self.log.read()[-3000:])
            if port_answers(self.port):
                return
            time.sleep(0.1)
        raise SystemExit("haproxy did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
