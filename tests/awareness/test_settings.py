import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "HTTPS",
            "TEACHER_SIGNUP",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_is_a_clear_error():
    result = run_manage("check", env={})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_on_runs_without_secret_key():
    result = run_manage("check", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_check_deploy():
    env = {
        "SECRET_KEY": "a-long-random-production-secret-" + "k3y!" * 12,
        "ALLOWED_HOSTS": "scams.example.org",
        "SECURE_SSL_REDIRECT": "1",
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlite_connection_runs_in_wal_mode(tmp_path, django_db_blocker):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the suite runs on another database (DATABASE_URL)")
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "wal.sqlite3")}
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    connection = DatabaseWrapper(config, alias="wal-check")
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
    finally:
        connection.close()


def test_teacher_signup_rejects_unknown_value():
    result = run_manage("check", env={"DEBUG": "1", "TEACHER_SIGNUP": "maybe"})
    assert result.returncode != 0
    assert "TEACHER_SIGNUP" in result.stderr
