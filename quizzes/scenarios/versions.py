"""Published versions never change, so each worker keeps their parsed content in memory
instead of reading and decoding the JSON on every play request."""

from functools import lru_cache
from typing import Any

from quizzes.models import ScenarioVersion


@lru_cache(maxsize=512)
def version_content(version_id: int) -> dict[str, Any]:
    """The frozen scenario of a version (content-pack form). Callers must not modify it."""
    return ScenarioVersion.objects.values_list("content", flat=True).get(pk=version_id)
