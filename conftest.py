"""Suite-wide setup: hashed static files exist before any test renders a template."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MANIFEST = ROOT / "staticfiles" / "staticfiles.json"


def _static_is_fresh() -> bool:
    # collectstatic compresses every file (about 10 s); skip it when nothing changed since.
    if not MANIFEST.exists():
        return False
    built = MANIFEST.stat().st_mtime
    sources = [ROOT / "static", ROOT / "requirements.txt"]
    return all(
        path.stat().st_mtime <= built
        for source in sources
        for path in ([source] if source.is_file() else source.rglob("*"))
    )


def pytest_configure(config):
    # Runs once in the controlling process (xdist workers inherit the files it wrote).
    if os.environ.get("PYTEST_XDIST_WORKER") or _static_is_fresh():
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
