"""The site's settings as served, with bench/ceiling/urls.py's two pages added."""

from pathlib import Path
from typing import cast

from awareness.settings import *  # noqa: F403
from awareness.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.ceiling.urls"
TEMPLATES[0]["DIRS"] = [*cast(list[Path], TEMPLATES[0]["DIRS"]), BASE_DIR / "bench" / "templates"]
