"""SQLite chosen through DATABASE_URL=sqlite:////absolute/path is tuned like the default SQLite
file (WAL, IMMEDIATE transactions, a busy timeout, one connection per worker), so students'
simultaneous answers under several gunicorn workers neither fail nor get lost.

Without the tuning, two workers that read and then write at the same moment make SQLite answer
"database is locked" at once, and the student sees a 500.
"""

import http.client
import json
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from urllib.parse import urlencode

import pytest

from tests.live_servers import (
    PUBLISH_SCENARIO,
    ROOT,
    gunicorns,
    in_the_run_on,
    manage,
    production_env,
)

STUDENTS = 8
ROUNDS = 10
SLUG = "sqlite-url-race"

SHOW_DATABASE = (
    "import json; from awareness import settings; "
    "print(json.dumps(settings.DATABASES['default'], default=str))"
)
# Each student: a signed-in session, a CSRF secret (sent as cookie and as form token), and one
# fresh attempt per round.
PREPARE = (
    PUBLISH_SCENARIO
    + rf"""
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import get_random_string
from awareness.models import User
from quizzes.play.services import attempt_start

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
scenario = publish_scenario("{SLUG}", "Race")
rows = []
for i in range({STUDENTS}):
    user = User.objects.create_user(username=f"racer{{i}}", password=None)  # session made here
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    rows.append({{
        "session": session.session_key,
        "csrf": get_random_string(32),
        "attempts": [attempt_start(scenario=scenario, user=user).pk for _ in range({ROUNDS})],
    }})
print(json.dumps(rows))
"""
)
STORED = r"""
import json
from quizzes.models import Answer, Attempt
print(json.dumps({
    "answers": list(Answer.objects.values_list("attempt_id", "step_key")),
    "attempts": list(Attempt.objects.values_list("id", "decisions", "current_key")),
}))
"""


def database_settings(**env: str) -> dict:
    """settings.DATABASES["default"] as the site computes it from this environment."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW_DATABASE],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_database_url_is_tuned_like_the_default_sqlite_file(tmp_path):
    path = tmp_path / "site.sqlite3"
    url = f"sqlite:///{path}"
    assert url.startswith("sqlite:////")  # an absolute path
    from_url = database_settings(DATABASE_URL=url)
    default = database_settings(SQLITE_PATH=str(path))

    assert from_url["ENGINE"] == default["ENGINE"] == "django.db.backends.sqlite3"
    assert from_url["NAME"] == default["NAME"] == str(path)
    assert from_url.get("OPTIONS") == default["OPTIONS"]
    assert from_url["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert from_url["OPTIONS"]["timeout"] >= 10
    init_command = from_url["OPTIONS"]["init_command"]
    assert "journal_mode=WAL" in init_command and "busy_timeout=" in init_command
    # One connection for the life of a worker: the PRAGMAs are set once.
    assert from_url["CONN_MAX_AGE"] is default["CONN_MAX_AGE"] is None


def post_answer(port: int, row: dict, attempt: int) -> int:
    body = urlencode({"csrfmiddlewaretoken": row["csrf"], "step": "d1", "choice": "a"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            f"/scenarios/{SLUG}/play/{attempt}/answer/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={row['session']}; csrftoken={row['csrf']}",
            },
        )
        return conn.getresponse().status
    finally:
        conn.close()


def answer_together(port: int, rows: list[dict]) -> list[list[int]]:
    """Round after round, every student posts the first answer of a fresh attempt at the same
    moment (a barrier releases them together). Statuses per round, per student."""
    statuses = [[0] * len(rows) for _ in range(ROUNDS)]
    start = threading.Barrier(len(rows))

    def student(index: int) -> None:
        row = rows[index]
        for round_ in range(ROUNDS):
            start.wait(timeout=120)
            try:
                statuses[round_][index] = post_answer(port, row, row["attempts"][round_])
            except OSError:
                statuses[round_][index] = -1

    threads = [threading.Thread(target=student, args=(i,)) for i in range(len(rows))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return statuses


@pytest.mark.slow
@in_the_run_on("sqlite")
def test_simultaneous_first_answers_on_a_sqlite_database_url(tmp_path):
    path = tmp_path / "race.sqlite3"
    env = production_env(DATABASE_URL=f"sqlite:///{path}")
    manage(env, "migrate", "--noinput", "-v0")
    rows = json.loads(manage(env, "shell", "-v", "0", "-c", PREPARE))

    with gunicorns(env, instances=1, workers=4) as (server,):
        statuses = answer_together(server.port, rows)
    server_errors = server.errors()

    failed = {(r, i): s for r, row in enumerate(statuses) for i, s in enumerate(row) if s != 302}
    assert not failed, f"answers refused, (round, student): status {failed}\n{server_errors}"
    assert not server_errors, server_errors
    stored = json.loads(manage(env, "shell", "-v", "0", "-c", STORED))
    expected = sorted((attempt, "d1") for row in rows for attempt in row["attempts"])
    assert sorted(map(tuple, stored["answers"])) == expected  # each answer once, none lost
    assert len(expected) == STUDENTS * ROUNDS
    assert all(decisions == 1 and key == "d2" for _, decisions, key in stored["attempts"])
    # The workers ran with the tuning: the file is in WAL mode (it stays so once set).
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
