import os
import secrets
import shlex
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


def _readme_production_variables() -> dict[str, str]:
    """The variables of the README's deploy step, with a real random SECRET_KEY in place of
    the README's description of one."""
    readme = (ROOT / "README.md").read_text()
    deploy = readme[readme.index("## Deploying") :]
    block = deploy[deploy.index("```sh") + 5 : deploy.index("```", deploy.index("```sh") + 5)]
    words = shlex.split(block.replace("\\\n", " "))
    assert words[0] == "export"
    variables = dict(word.split("=", 1) for word in words[1:])
    assert set(variables) == {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "BEHIND_PROXY",
    }
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def test_check_deploy_passes_with_exactly_the_readmes_production_variables():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_readme_production_variables()
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_https_redirect_is_on_whenever_https_is():
    script = "import awareness.settings as s; print(s.HTTPS, s.SECURE_SSL_REDIRECT, s.BEHIND_PROXY)"

    def read(env: dict[str, str]) -> str:
        clean = {k: v for k, v in os.environ.items() if k not in {"HTTPS", "DEBUG"}}
        clean.pop("SECURE_SSL_REDIRECT", None)
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**clean, "SECRET_KEY": "x" * 60, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert read({}) == "True True False"
    assert read({"SECURE_SSL_REDIRECT": "0"}) == "True False False"
    assert read({"HTTPS": "off"}) == "False False False"


LOADS_SITE = """
import runpy, sys
config = runpy.run_path("gunicorn.conf.py")
assert config["preload_app"] is True
from django.core.cache import cache
from django.db import connections
import awareness.wsgi, awareness.asgi
class Server:
    class cfg:
        preload_app = True
config["when_ready"](Server())  # what the master does before forking
assert "quizzes.play.views" in sys.modules and "live.views" in sys.modules
open_ = [c.alias for c in connections.all(initialized_only=True) if c.connection is not None]
assert not open_, open_
print("ok")
"""


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_preloaded_site_opens_no_connection_for_workers_to_share(database):
    """gunicorn loads the site once and forks its workers from it (preload_app): nothing may
    connect while loading, or every worker would share one database connection."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DEBUG": "0",
        "HTTPS": "off",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_SETTINGS_MODULE": "awareness.settings",
        "ASGI": "on" if database == "postgresql" else "off",
    }
    if database == "postgresql":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/7"
    else:
        env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", LOADS_SITE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "ok", result.stderr
