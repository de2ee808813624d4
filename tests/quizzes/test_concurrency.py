"""Concurrent answers under several gunicorn workers lose nothing, duplicate nothing and raise
no "database is locked"; a worker killed mid-load loses no acknowledged answer.

Runs bench/concurrency.py (a real gunicorn, real HTTP) on a throwaway SQLite file and, when the
server answers, on a throwaway PostgreSQL database.
"""

import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.live_servers import in_the_run_on

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "bench/concurrency.py", "--students", "30", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def postgres_answers() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", 5432)) == 0


@in_the_run_on("sqlite")
def test_concurrent_answers_on_sqlite():
    result = run_script()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "round 1 60/60 ok" in result.stdout


@in_the_run_on("postgresql")
@pytest.mark.skipif(not postgres_answers(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_concurrent_answers_on_postgresql():
    import psycopg

    name = f"race_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        result = run_script("--database-url", f"postgres://postgres@127.0.0.1:5432/{name}")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "round 1 60/60 ok" in result.stdout
    finally:
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
