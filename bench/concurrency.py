"""Concurrent answers under several gunicorn workers: nothing lost, nothing duplicated, no
"database is locked", and a worker killed mid-load loses no committed answer.

Usage: python bench/concurrency.py [--database-url URL] [--students N]
Without --database-url a throwaway SQLite file is used. Exit status 0 when every rule holds.
Run by tests/quizzes/test_concurrency.py on SQLite and, when it answers, on PostgreSQL.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PREPARE = r"""
import json, sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from awareness.models import User
from quizzes.play.services import attempt_start
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps
from quizzes.models import Scenario
from awareness.models import Topic

topic = Topic.objects.create(language="en", slug="t", title="T", summary="s", body_markdown="b")
scenario = Scenario.objects.create(language="en", slug="race", title="Race", summary="s",
    topic=topic, channel="chat", difficulty="easy", start_key="d1")
scenario_replace_steps(scenario=scenario, steps=[
    {"key": "d1", "kind": "decision", "prompt": "?", "choices": [
        {"key": "a", "text": "A", "safe": True, "feedback": "f", "next": "d2"},
        {"key": "b", "text": "B", "safe": False, "feedback": "f", "next": "d2"}]},
    {"key": "d2", "kind": "decision", "prompt": "?", "choices": [
        {"key": "a", "text": "A", "safe": True, "feedback": "f", "next": "end"},
        {"key": "b", "text": "B", "safe": False, "feedback": "f", "next": "end"}]},
    {"key": "end", "kind": "ending", "outcome": "safe", "text": "x"}])
scenario_publish(scenario=scenario)
scenario.refresh_from_db()
rows = []
for i in range(int(sys.argv[1])):
    # Signed in through a session made here: no password to hash (that costs 0.3 s each).
    user = User.objects.create_user(username=f"racer{i}", password=None)
    attempt = attempt_start(scenario=scenario, user=user)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    secret = _get_new_csrf_string()
    rows.append({"attempt": attempt.pk, "session": store.session_key, "csrf": secret,
                 "token": _mask_cipher_secret(secret)})
print(json.dumps(rows))
"""
COUNT = r"""
import json
from quizzes.models import Answer, Attempt
print(json.dumps({"answers": list(Answer.objects.values_list("attempt_id", "step_key")),
                  "decisions": sum(Attempt.objects.values_list("decisions", flat=True))}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return result.stdout


def post(port: int, row: dict, step: str, choice: str) -> int:
    body = urlencode({"csrfmiddlewaretoken": row["token"], "step": step, "choice": choice})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            f"/scenarios/race/play/{row['attempt']}/answer/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={row['session']}; csrftoken={row['csrf']}",
            },
        )
        return conn.getresponse().status
    except (ConnectionError, http.client.HTTPException, TimeoutError):
        return 0  # the worker died under us: the answer may or may not have been committed
    finally:
        conn.close()


def run(database_url: str, students: int, workers: int) -> list[str]:
    problems: list[str] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "awareness.settings",
        "SECRET_KEY": "concurrency-" + "x" * 40,
        "HTTPS": "off",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": str(workers),
        "ACCESS_LOG": "off",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Never inherit the caller's DATABASE_URL: this run writes, so it gets its own database.
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    manage(env, "migrate", "--noinput", "-v0")
    rows = json.loads(
        manage(env, "shell", "-v", "0", "-c", PREPARE.replace("sys.argv[1]", str(students)))
    )
    port = free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    log = tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.0)
        # Round 1: every student answers d1 twice at the same moment (double click).
        with ThreadPoolExecutor(max_workers=32) as pool:
            first = list(pool.map(lambda r: post(port, r, "d1", "a"), rows * 2))
        if any(status != 302 for status in first):
            problems.append(f"round 1 statuses: {sorted(set(first))}")
        # Round 2: answer d2 while one worker is killed mid-load.
        children = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        with ThreadPoolExecutor(max_workers=32) as pool:
            futures = [pool.submit(post, port, r, "d2", "b") for r in rows]
            time.sleep(0.05)
            if children:
                os.kill(int(children[0]), signal.SIGKILL)
            second = [f.result() for f in futures]
        if any(status not in {302, 0} for status in second):
            problems.append(f"round 2 statuses: {sorted(set(second))}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    log.seek(0)
    server_log = log.read()
    if "database is locked" in server_log or "Traceback" in server_log:
        problems.append("server errors:\n" + server_log[-3000:])
    stored = json.loads(manage(env, "shell", "-v", "0", "-c", COUNT))
    answers = {tuple(a) for a in stored["answers"]}
    if len(answers) != len(stored["answers"]):
        problems.append("duplicate answers stored")
    for row in rows:
        if (row["attempt"], "d1") not in answers:
            problems.append(f"attempt {row['attempt']}: d1 answer lost")
    for row, status in zip(rows, second, strict=True):
        if status == 302 and (row["attempt"], "d2") not in answers:
            problems.append(f"attempt {row['attempt']}: acknowledged d2 answer lost")
    if stored["decisions"] != len(answers):
        problems.append(f"decision counters {stored['decisions']} != answers {len(answers)}")
    print(
        f"{students} students, {workers} workers: round 1 {first.count(302)}/{len(first)} ok, "
        f"round 2 {second.count(302)} acknowledged, {second.count(0)} cut by the killed worker; "
        f"{len(answers)} answers stored"
    )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    database_url = args.database_url
    with tempfile.TemporaryDirectory() as tmp:
        if not database_url:
            os.environ["SQLITE_PATH"] = str(Path(tmp) / "race.sqlite3")
        problems = run(database_url, args.students, args.workers)
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
