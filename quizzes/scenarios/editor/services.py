"""Saving the one-page editor: the scenario's fields and all its steps, in one transaction.
Saving never publishes."""

import re
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from awareness.models import Topic
from quizzes.models import Scenario
from quizzes.scenarios.publishing import scenario_replace_steps

SLUG_LENGTH = 80


@transaction.atomic
def scenario_save_edited(
    *,
    scenario: Scenario,
    content: dict[str, Any],
    topic: Topic,
    language: str,
    estimated_minutes: int,
) -> Scenario:
    """Write what the editing page parsed (content-pack form, without the web address) into
    the draft: its fields, a web address made from the title, the first step as the start,
    and the steps (replaced whole)."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    scenario.title = content["title"]
    scenario.summary = content["summary"]
    scenario.topic = topic
    scenario.language = language
    scenario.channel = content["channel"]
    scenario.difficulty = content["difficulty"]
    scenario.genuine = bool(content.get("genuine"))
    scenario.estimated_minutes = estimated_minutes
    scenario.min_age = content.get("min_age")
    scenario.start_key = content["start"]
    # Students reach a published scenario by its web address: once published, it stays.
    if not scenario.versions.exists():
        scenario.slug = scenario_free_slug(
            title=scenario.title, language=language, fallback=topic.slug, exclude=scenario.pk
        )
    scenario.save()
    scenario_replace_steps(scenario=scenario, steps=content["steps"])
    return scenario


def scenario_free_slug(
    *, title: str, language: str, fallback: str = "scenario", exclude: int | None = None
) -> str:
    """A web address made from the title, unused in the language ("-2", "-3" added if
    needed); a title without Latin letters (Chinese) gives the ``fallback``'s, with any digits
    of the title after it."""
    base = re.sub(r"[-_]+", "-", slugify(title))[: SLUG_LENGTH - 16].strip("-")
    if not any(character.isalpha() for character in base):  # "5" from "点赞一单5元"
        start = re.sub(r"[-_]+", "-", slugify(fallback)).strip("-") or "scenario"
        base = f"{start}-{base}" if base else start
    taken = set(
        Scenario.objects.filter(language=language, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
