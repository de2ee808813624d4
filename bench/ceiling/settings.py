"""The site's settings as served, with bench/ceiling/urls.py's two pages added."""

from pathlib import Path
from typing import cast

from awareness.settings import *  # noqa: F403
from awareness.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.ceiling.urls"
# A new list and dict: importing this module leaves the site's own settings as they are.
_site_dirs = cast(list[Path], TEMPLATES[0]["DIRS"])
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*_site_dirs, BASE_DIR / "bench" / "templates"]}]
