"""How the editor names a step (the "next" selects, the map, the problems): its number, its
kind and the start of what it says, never its internal name.

static/js/editor.js names steps the same way as the editor types (the formats below reach it
through data attributes), so keep the two in step."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.models import Outcome, Step

GIST_LENGTH = 40
WORD_SLACK = 12  # how far back a cut may go to end on a whole word
ELLIPSIS = "…"
# The formats, translated: numbers and words are put in by name (the JavaScript does the same).
LABEL_FORMAT = gettext_lazy("%(number)s. %(kind)s: %(gist)s")
BARE_LABEL_FORMAT = gettext_lazy("%(number)s. %(kind)s")
MESSAGE_GIST_FORMAT = gettext_lazy("%(sender)s: %(text)s")
ENDING_GIST_FORMAT = gettext_lazy("%(outcome)s – %(text)s")


def step_label(step: dict[str, Any], number: int) -> str:
    """ "3. Decision: What do you reply?" for the third step (content-pack form)."""
    kind = step.get("kind")
    kind_label = str(Step.Kind(kind).label) if kind in Step.Kind.values else _("Step")
    gist = step_gist(step)
    if gist:
        return str(LABEL_FORMAT) % {"number": number, "kind": kind_label, "gist": gist}
    return str(BARE_LABEL_FORMAT) % {"number": number, "kind": kind_label}


def step_gist(step: dict[str, Any]) -> str:
    """The start of what a step says: a decision's or spot step's question, a message's sender
    and text, an ending's outcome and text, a narration's text."""
    kind = step.get("kind")
    text = _words(step.get("text"))
    if kind in (Step.Kind.DECISION, Step.Kind.SPOT):
        words = _words(step.get("prompt")) or text
    elif kind == Step.Kind.MESSAGE:
        sender = _words(step.get("from"))
        words = (
            str(MESSAGE_GIST_FORMAT) % {"sender": sender, "text": text}
            if sender and text
            else sender or text
        )
    elif kind == Step.Kind.ENDING:
        outcome = step.get("outcome")
        outcome_label = str(Outcome(outcome).label) if outcome in Outcome.values else ""
        if outcome_label and text:
            words = str(ENDING_GIST_FORMAT) % {"outcome": outcome_label, "text": text}
        else:
            words = outcome_label or text
    else:
        words = text
    return _truncate(words)


def _words(value: Any) -> str:
    return " ".join(str(value or "").split())


def _truncate(words: str) -> str:
    """At most GIST_LENGTH characters with the ellipsis, cut after a whole word if one ends
    near the limit (a text without spaces, such as Chinese, is cut at the limit)."""
    if len(words) <= GIST_LENGTH:
        return words
    cut = words[: GIST_LENGTH - len(ELLIPSIS)]
    if words[len(cut)] != " ":
        space = cut.rfind(" ")
        if space >= len(cut) - WORD_SLACK:
            cut = cut[:space]
    return cut.rstrip() + ELLIPSIS
