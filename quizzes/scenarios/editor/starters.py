"""Starting templates for a new scenario: a blank page, or one of four small, complete example
scenarios that an editor rewrites into their own.

The examples are content packs, one per language, in ``starter_packs/<language>.json``
(docs/content-pack.md; a scenario's ``slug`` there names its starter, its ``title`` and
``topic`` are only suggestions). Each publishes as it is: every path has at least three
decisions, or two and a spot step (the content audit's limit), and its choices are written so
that neither the longest nor the shortest option gives the safe one away.
``scenario_from_starter`` turns one into a draft.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awareness.models import Language, Topic
from quizzes.models import Scenario
from quizzes.scenarios.editor.services import scenario_free_slug
from quizzes.scenarios.publishing import scenario_replace_steps

PACKS = Path(__file__).resolve().parent / "starter_packs"


@dataclass(frozen=True)
class Starter:
    name: str
    label: str | Promise
    description: str | Promise


BLANK = "blank"

STARTERS: dict[str, Starter] = {
    starter.name: starter
    for starter in (
        Starter(
            BLANK,
            _("Blank"),
            _("One message and one ending, to write your own story from the start."),
        ),
        Starter(
            "chat",
            _("Scam chat with three decisions"),
            _(
                "A stranger's chat offers easy money; on every path the player decides at "
                "least three times."
            ),
        ),
        Starter(
            "genuine",
            _("Genuine message to verify"),
            _(
                "A real text: the right move is to check it through an official route and "
                "then act; ignoring it means missing out."
            ),
        ),
        Starter(
            "call",
            _("Phone call"),
            _("A caller pretends to be the bank: spot the tricks in the call, then decide."),
        ),
        Starter(
            "email",
            _("E-mail with a spot step"),
            _(
                "A phishing e-mail: the player taps the suspicious sender, subject and link, "
                "then decides."
            ),
        ),
    )
}

# A blank story is one message that leads to one ending: the smallest shape that links up.
# Its texts are left empty for the editor, so the checks point at each one until it is written.
BLANK_CONTENT: dict[str, Any] = {
    "channel": "chat",
    "difficulty": "easy",
    "summary": "",
    "start": "m1",
    "steps": [
        {"key": "m1", "kind": "message", "from": "", "text": "", "next": "end-safe"},
        {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": ""},
    ],
}


def starter_pack(language: str) -> dict[str, Any]:
    """The example scenarios of one language as a content pack (read from its file)."""
    if language not in Language.values:
        raise KeyError(language)
    return json.loads((PACKS / f"{language}.json").read_text(encoding="utf-8"))


def starter_content(starter: str, language: str) -> dict[str, Any]:
    """A starter's scenario in content-pack form: channel, difficulty, genuine, summary, start
    and steps (``KeyError``: no such starter or language)."""
    if starter not in STARTERS:
        raise KeyError(starter)
    if starter == BLANK:
        if language not in Language.values:
            raise KeyError(language)
        return json.loads(json.dumps(BLANK_CONTENT))  # a deep copy the caller may change
    (scenario,) = [s for s in starter_pack(language)["scenarios"] if s["slug"] == starter]
    return {key: value for key, value in scenario.items() if key not in ("slug", "title", "topic")}


# --- the service ----------------------------------------------------------------------------


@transaction.atomic
def scenario_from_starter(*, starter: str, language: str, topic: Topic, title: str) -> Scenario:
    """Create a draft scenario (not published) from a starter, titled as given, with a web
    address made from the title and free in its language."""
    if starter not in STARTERS:
        raise ValueError(f"unknown starter {starter!r}")
    if language not in Language.values:
        raise ValueError(f"unknown language {language!r}")
    if topic.language != language:
        raise ValueError(f"topic {topic.slug!r} is in {topic.language!r}, not {language!r}")
    title = title.strip()
    if not title:
        raise ValueError("a scenario needs a title")
    content = starter_content(starter, language)
    slug = scenario_free_slug(title=title, language=language)
    scenario = Scenario.objects.create(
        language=language,
        slug=slug,
        title=title,
        summary=content["summary"],
        topic=topic,
        channel=content["channel"],
        difficulty=content["difficulty"],
        genuine=content.get("genuine", False),
        min_age=content.get("min_age"),
        translation_key=slug,
        start_key=content["start"],
        status=Scenario.Status.DRAFT,
    )
    scenario_replace_steps(scenario=scenario, steps=content["steps"])
    return scenario
