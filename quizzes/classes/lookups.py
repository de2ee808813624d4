"""Reads for the teacher's forms: the scenarios the assign page lists, and the pupil names a
new batch of accounts would repeat. (The class pages' own reads are in selectors.py.)"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from django.db.models import QuerySet

from quizzes.models import Assignment, Classroom, Membership, Scenario


def assign_catalogue(language: str) -> QuerySet[Scenario]:
    """The published scenarios in ``language``, by topic, as the assign page lists them: only
    the published fields and the published topic, so no draft edit shows (one query)."""
    return (
        Scenario.objects.published()
        .filter(language=language)
        .select_related("published_topic")
        .only(
            "id",
            "slug",
            "language",
            "position",
            "status",
            "published_version",
            "published_title",
            "published_channel",
            "published_difficulty",
            "published_min_age",
            "published_topic__id",
            "published_topic__title",
            "published_topic__position",
        )
        .order_by(
            "published_topic__position",
            "published_topic__title",
            "published_topic_id",
            "position",
            "published_title",
            "id",
        )
    )


def classroom_assignments(classroom: Classroom) -> QuerySet[Assignment]:
    """The class's assignments with their scenarios' published titles, oldest first (one query)."""
    return (
        Assignment.objects.filter(classroom=classroom)
        .select_related("scenario")
        .only(
            "id",
            "classroom_id",
            "due_date",
            "created_at",
            "scenario__id",
            "scenario__language",
            "scenario__published_title",
            "scenario__published_min_age",
        )
        .order_by("created_at", "id")
    )


def name_key(name: str) -> str:
    """A pupil name as a teacher would read it: "Ana", " ana " and "ＡＮＡ" are the same."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def repeated_names(classroom: Classroom, names: Iterable[str]) -> list[str]:
    """The names in ``names`` that a pupil of the class already has, or that come more than
    once in ``names``: each once, as first written (one query)."""
    names = [name for name in names if name_key(name)]
    if not names:
        return []
    counts = Counter(name_key(name) for name in names)
    taken = {
        name_key(name)
        for name in Membership.objects.filter(classroom=classroom)
        .exclude(student__display_name="")
        .values_list("student__display_name", flat=True)
    }
    repeated: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if (counts[key] > 1 or key in taken) and key not in repeated:
            repeated[key] = name.strip()
    return list(repeated.values())
