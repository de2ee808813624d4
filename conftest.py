"""Suite-wide setup: hashed static files exist before any test renders a template."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    # Runs once in the controlling process (xdist workers inherit the files it wrote).
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
