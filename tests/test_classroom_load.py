"""bench/classroom_load.py keeps working: one stage of 6 students thinking 0.2 s between
clicks plays for 10 s against real gunicorn (on PostgreSQL: two gunicorns behind HAProxy, with
Redis, where they are installed), with no error; their answers are in the database, they reach
endings and load /progress/, and their teacher loads the class page."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.servers import haproxy_path
from tests.live_servers import in_the_run_on, postgres_answers, redis_answers

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/10"  # its own: the script flushes it


def run_script(tmp_path: Path, *args: str) -> dict[str, Any]:
    small = (
        "--stages", "6", "--hold", "10", "--ramp", "1", "--think", "0.2",
        "--teacher-every", "1", "--target", "6",
        # Slow CI machines run other tests meanwhile: what is checked here is that the flow
        # works, not how fast.
        "--max-p95", "10000",
        "--no-collectstatic", "--out", str(tmp_path / "report.md"),
        "--json", str(tmp_path / "figures.json"),
    )  # fmt: skip
    result = subprocess.run(  # noqa: S603
        [sys.executable, "bench/classroom_load.py", *small, *args],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "**Highest stage sustained: 6 students**" in result.stdout
    return json.loads((tmp_path / "figures.json").read_text())


def assert_the_students_played(figures: dict[str, Any]) -> None:
    (stage,) = figures["stages"]
    assert stage["errors"] == 0 and stage["passed"], stage
    assert stage["students"] == 6 and stage["requests"] > 50
    requests, stored = figures["requests"], figures["stored"]
    # Every answer posted was acknowledged (no errors) and is in the database.
    assert requests["answer"] > 6 and stored["answers"] == requests["answer"]
    assert stored["attempts"] == requests["start"]
    assert requests["ending"] >= 1 and stored["finished"] >= requests["ending"]
    assert requests["progress"] >= 1
    assert requests["class page"] >= 5  # one teacher, every second
    assert figures["problems"] == []


@in_the_run_on("sqlite")
def test_a_small_class_plays_on_sqlite(tmp_path):
    figures = run_script(tmp_path)
    assert_the_students_played(figures)
    assert figures["setup"] == "SQLite, 1 gunicorn × 2 workers"


@in_the_run_on("postgresql")
def test_a_small_class_plays_on_postgresql_behind_haproxy(tmp_path):
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    args = ["--postgres", "--redis-url", REDIS_URL if redis_answers(REDIS_URL) else ""]
    if haproxy_path() is None:  # CI installs it (.ci/run): then both instances are tested
        args += ["--instances", "1"]
    figures = run_script(tmp_path, *args)
    assert_the_students_played(figures)
    assert figures["setup"].startswith("PostgreSQL")
    if haproxy_path() is not None:
        assert "2 gunicorn instances behind HAProxy" in figures["setup"]
        assert all(n > 10 for n in figures["answered_by_instance"])  # both took a share
