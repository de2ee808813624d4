"""bench/live_load.py keeps working: a small room (2 classes × 6 phones × 2 decisions) plays
against gunicorn with a worker killed mid-session, pushed through Redis on SQLite and polled on
PostgreSQL; every check of the script holds and it prints its table."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_servers import in_the_run_on, postgres_answers, redis_answers

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/6"


def run_script(*args: str, **env: str) -> subprocess.CompletedProcess:
    small = ("--classes", "2", "--phones", "6", "--decisions", "2", "--no-collectstatic")
    return subprocess.run(  # noqa: S603
        [sys.executable, "bench/live_load.py", *small, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def assert_passed(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "| vote → projector count (s) | 24 |" in result.stdout  # 2 × 6 × 2 votes
    assert "Checks: all hold" in result.stdout
    assert "killed mid-session" in result.stdout


@in_the_run_on("sqlite")
def test_the_load_script_pushed_through_redis():
    if not redis_answers(REDIS_URL):
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    result = run_script("--push", REDIS_URL=REDIS_URL)
    assert_passed(result)
    assert "server-sent events" in result.stdout


@in_the_run_on("postgresql")
def test_the_load_script_polling_on_postgresql():
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    result = run_script("--postgres")
    assert_passed(result)
    assert "polling every 0.7 s" in result.stdout
