"""Problems shown on the editing page as the editor works and on the publish page, each tied
to the step (and field) it is about, in plain words that never say "key" or "slug".

Contract (used by the editing page, the map and the publish page):
    problems(content) -> list[Problem]
where ``content`` is a scenario in content-pack form (publishing.scenario_to_dict, or what the
editing form parsed), possibly half-written: nothing here trusts its keys or types.

The rules are the pack validator's (packs/validation.py, graph.py, rules.py), said for an
editor: every validator error that no check here words better is still listed, so a scenario
with no "error" problems is one the validator accepts. "advice" problems are the content
audit's figures (audit.py): worth fixing, but they do not stop publishing.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import islice
from typing import Any

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from quizzes.models import Outcome
from quizzes.scenarios.audit import (
    MAX_LONGEST_IS_SAFE,
    MAX_SHORTEST_IS_SAFE,
    MIN_PATH_DECISIONS,
    PackAudit,
    _longest_is_safe,
    _shortest_is_safe,
    paths,
)
from quizzes.scenarios.editor.labels import step_label
from quizzes.scenarios.packs.graph import (
    NON_ENDING_KINDS,
    find_cycles,
    graph_problems,
    link_graph,
    reachable,
    step_links,
    steps_by_key,
)
from quizzes.scenarios.packs.rules import _quoted_in, quotable
from quizzes.scenarios.packs.validation import validate_pack
from quizzes.scenarios.packs.wording import label_of, labelled, pack_prefix, quoted, step_kind

# Paths walked at most: a chain of decisions whose choices meet again has 2^n of them.
PATH_LIMIT = 5000
# closest_match compares at most this many stretches per start, and about this many
# characters in all (a long quote in a long text would otherwise take seconds).
ENDS_PER_START = 5
MATCH_BUDGET = 1_000_000
ERROR = "error"
ADVICE = "advice"


@dataclass(frozen=True)
class Problem:
    message: str
    step_key: str | None = None  # the step it is about (None: the whole scenario)
    field: str | None = None  # e.g. "red_flags.0.quote", "choices.1.text"
    severity: str = "error"  # "error" stops publishing; "advice" does not


# What each kind of step must say, and each choice, red flag and spot option.
STEP_FIELDS = {
    "message": ("from", "text"),
    "narration": ("text",),
    "decision": ("prompt",),
    "spot": ("prompt", "from", "text"),
    "ending": ("outcome", "text"),
}
PART_FIELDS = {
    "choices": ("text", "feedback", "next"),
    "red_flags": ("quote", "why", "tactic"),
    "options": ("quote", "why"),
}
PART_KINDS = {"choices": "decision", "red_flags": "message", "options": "spot"}
MISSING: dict[str, Promise] = {
    "from": gettext_lazy("who it is from is missing"),
    "text": gettext_lazy("the text is missing"),
    "prompt": gettext_lazy("the question is missing"),
    "outcome": gettext_lazy("the outcome is missing"),
    "feedback": gettext_lazy("the feedback is missing"),
    "next": gettext_lazy("it does not lead to a next step yet"),
    "quote": gettext_lazy("the quote is missing"),
    "why": gettext_lazy("the explanation is missing"),
    "tactic": gettext_lazy("the tactic is missing"),
}
PART_NAMES: dict[str, Promise] = {
    "choices": gettext_lazy("Choice %(number)d"),
    "red_flags": gettext_lazy("Red flag %(number)d"),
    "options": gettext_lazy("Option %(number)d"),
}
QUOTED_FROM: dict[str | None, Promise] = {
    None: gettext_lazy("the text"),
    "address": gettext_lazy("the address"),
    "subject": gettext_lazy("the subject"),
    "url": gettext_lazy("the link"),
    "attachment": gettext_lazy("the attachment"),
}


def problems(content: dict[str, Any]) -> list[Problem]:
    """Every problem of a scenario draft: errors first, then advice, each in step order."""
    if not isinstance(content, dict):
        return [Problem(_("This scenario cannot be read."))]
    steps = _steps(content)
    found = [
        *_start_problems(content),
        *_missing_problems(steps),
        *_decision_problems(steps),
        *_quote_problems(steps),
        *_graph_problems(content),
        *_genuine_problems(content, steps),
    ]
    found += _validator_leftovers(content, found)
    found += _advice(content)
    order = {key: i for i, step in enumerate(steps) if (key := _step_key(step)) is not None}

    def place(problem: Problem) -> tuple[bool, int]:
        step = -1 if problem.step_key is None else order.get(problem.step_key, len(order))
        return problem.severity != ERROR, step

    return sorted(found, key=place)


@dataclass(frozen=True)
class StepProblems:
    """The problems of one step (or of the whole scenario: step_key None), for a page."""

    step_key: str | None
    label: str  # the step's label for editors ("" for the whole scenario)
    problems: list[Problem]


def by_step(content: dict[str, Any], found: list[Problem]) -> list[StepProblems]:
    """Problems grouped by the step they are about, the whole scenario's first, then in step
    order (as problems() sorts them)."""
    labels = _numbered(content)
    groups: dict[str | None, list[Problem]] = {}
    for problem in found:
        groups.setdefault(problem.step_key, []).append(problem)
    return [
        StepProblems(key, labels.get(key, "") if key else "", listed)
        for key, listed in sorted(groups.items(), key=lambda group: _place(content, group[0]))
    ]


def _place(content: dict[str, Any], key: str | None) -> int:
    if key is None:
        return -1
    keys = [_step_key(step) for step in _steps(content)]
    return keys.index(key) if key in keys else len(keys)


# --- closest match ----------------------------------------------------------------------------


def closest_match(quote: str, text: str) -> str | None:
    """What ``text`` says that is most like ``quote`` (for "did you mean …?"), or None.

    The quote in other capitals or spacing first; else the most similar stretch of the text
    about as long as the quote, starting and ending at word edges (any character in Chinese)."""
    words, text = quote.split(), text or ""
    if not words or not text:
        return None
    # The same words in other capitals, or spaced or broken over lines differently.
    if found := re.search(r"\s+".join(map(re.escape, words)), text, re.IGNORECASE):
        return found.group()
    quote = " ".join(words)
    starts = [i for i in range(len(text)) if _word_edge(text, i) and not text[i].isspace()]
    ends = [i for i in range(1, len(text) + 1) if _word_edge(text, i) and not text[i - 1].isspace()]
    # A few letters more or fewer than the quote (a typo, a word added or left out).
    slack = max(2, len(quote) // 5)
    windows = []
    for start in starts:
        fitting = ends[
            bisect_left(ends, start + len(quote) - slack) : bisect_right(
                ends, start + len(quote) + slack
            )
        ]
        step = max(1, len(fitting) // ENDS_PER_START)
        windows += [(start, end) for end in fitting[::step]]
    # A long quote in a long text: compare every few stretches, so a check stays quick.
    stride = max(1, len(windows) * 2 * len(quote) // MATCH_BUDGET)
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote.casefold())  # seq2 is the one SequenceMatcher caches
    best, best_score = None, 0.7  # below this, nothing is close
    for start, end in windows[::stride]:
        matcher.set_seq1(text[start:end].casefold())
        if (
            matcher.real_quick_ratio() > best_score
            and matcher.quick_ratio() > best_score
            and (score := matcher.ratio()) > best_score
        ):
            best, best_score = text[start:end], score
    return best


def _word_edge(text: str, i: int) -> bool:
    """Whether position ``i`` is between two words (or characters of a script without spaces)."""
    if i <= 0 or i >= len(text):
        return True
    return not (_in_word(text[i - 1]) and _in_word(text[i]))


def _in_word(char: str) -> bool:
    # Letters and digits of alphabets written with spaces; CJK ideographs stand alone.
    return char.isalnum() and ord(char) < 0x2E80


# --- the checks -------------------------------------------------------------------------------


def _steps(content: dict[str, Any]) -> list[Any]:
    steps = content.get("steps")
    return steps if isinstance(steps, list) else []


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def _parts(step: dict[str, Any], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, object) for each choice, red flag or option of a step that is an object."""
    value = step.get(name)
    for index, part in enumerate(value if isinstance(value, list) else []):
        if isinstance(part, dict):
            yield index, part


def _step_key(step: Any) -> str | None:
    key = step.get("key") if isinstance(step, dict) else None
    return key if isinstance(key, str) else None


def _start_problems(content: dict[str, Any]) -> list[Problem]:
    start = content.get("start")
    if _blank(start):
        return [Problem(_("Choose the first step of the scenario."), None, "start")]
    keys = {_step_key(step) for step in _steps(content)}
    if start not in keys:
        return [
            Problem(
                _("The first step of the scenario does not exist any more: choose another."),
                None,
                "start",
            )
        ]
    return []


def _missing_problems(steps: list[Any]) -> Iterator[Problem]:
    """A field a step, choice, red flag or option must have, left empty."""
    for step in steps:
        if not isinstance(step, dict) or (key := _step_key(step)) is None:
            continue
        kind = step.get("kind")
        for name in STEP_FIELDS.get(kind, ()) if isinstance(kind, str) else ():
            if _blank(step.get(name)):
                sentence = _("%(missing)s.") % {"missing": capfirst(str(MISSING[name]))}
                yield Problem(sentence, key, name)
        for part, fields in PART_FIELDS.items():
            if kind != PART_KINDS[part]:
                continue
            for index, obj in _parts(step, part):
                for name in fields:
                    if _blank(obj.get(name)):
                        yield Problem(
                            _("%(part)s: %(missing)s.")
                            % {
                                "part": PART_NAMES[part] % {"number": index + 1},
                                "missing": MISSING[name],
                            },
                            key,
                            f"{part}.{index}.{name}",
                        )


def _decision_problems(steps: list[Any]) -> Iterator[Problem]:
    """A decision needs two choices or more, and at least one safe way out."""
    for step in steps:
        if (
            not isinstance(step, dict)
            or step.get("kind") != "decision"
            or not (key := _step_key(step))
        ):
            continue
        choices = [choice for _, choice in _parts(step, "choices")]
        if not choices:
            yield Problem(_("This decision has no choices yet: add at least two."), key, "choices")
        elif len(choices) == 1:
            yield Problem(
                _("This decision has only one choice: add at least one more."), key, "choices"
            )
        if choices and not any(choice.get("safe") is True for choice in choices):
            yield Problem(
                _("No choice is safe: give the player at least one safe way out."), key, "choices"
            )


def _quote_problems(steps: list[Any]) -> Iterator[Problem]:
    """A red flag's or spot option's quote must occur word for word where it says."""
    for step in steps:
        if not isinstance(step, dict) or not (key := _step_key(step)):
            continue
        part = {"message": "red_flags", "spot": "options"}.get(str(step.get("kind")))
        if part is None:
            continue
        for index, obj in _parts(step, part):
            quote, field = obj.get("quote"), obj.get("field") or None
            if not isinstance(quote, str) or not quote.strip() or field not in QUOTED_FROM:
                continue
            source, _name = _quoted_in(step, field)
            where = QUOTED_FROM[field]
            name = f"{part}.{index}.quote"
            label = PART_NAMES[part] % {"number": index + 1}
            if field is not None and not source:
                message = _("%(part)s: it quotes %(where)s, which this step does not have.")
                yield Problem(message % {"part": label, "where": where}, key, name)
            elif quotable(source) and quote not in source:
                values = {"part": label, "quote": quote, "where": where}
                if match := closest_match(quote, source):
                    values["match"] = match
                    message = _(
                        "%(part)s: “%(quote)s” is not in %(where)s word for word. "
                        "Did you mean “%(match)s”?"
                    )
                else:
                    message = _("%(part)s: “%(quote)s” is not in %(where)s word for word.")
                yield Problem(message % values, key, name)


def _graph_problems(content: dict[str, Any]) -> Iterator[Problem]:
    """Steps no path reaches, dead ends, links to missing steps and loops."""
    numbered = _numbered(content)
    by_key = steps_by_key(labelled(content.get("steps"), "step", "key"))
    edges = link_graph(by_key)
    for key, step in by_key.items():
        for index, target in step_links(step):
            if target not in by_key:
                field = "next" if index is None else f"choices.{index}.next"
                where = (
                    _("It leads")
                    if index is None
                    else PART_NAMES["choices"] % {"number": index + 1} + ":"
                )
                yield Problem(
                    _("%(where)s to a step that does not exist any more: choose another next step.")
                    % {"where": where},
                    key,
                    field,
                )
        if step_kind(step) in NON_ENDING_KINDS - {"decision"} and not step_links(step):
            # A decision's missing links are said choice by choice (_missing_problems).
            yield Problem(
                _("This step is not an ending and leads nowhere: choose its next step."),
                key,
                "next",
            )
    start = content.get("start")
    if isinstance(start, str) and start in by_key:
        reached = reachable(start, edges)
        for key in by_key:
            if key not in reached:
                yield Problem(_("No path from the first step reaches this step."), key)
    roots = [start] if isinstance(start, str) and start in by_key else []
    for cycle in find_cycles(edges, [*roots, *by_key]):
        # Tie the loop to the link that closes it: that is where an editor breaks it.
        last, back = cycle[-2], cycle[-1]
        index = next(i for i, target in step_links(by_key[last]) if target == back)
        walk = " → ".join(numbered.get(key, key) for key in cycle)
        yield Problem(
            _(
                "These steps go round in a loop: %(walk)s. "
                "Let the story move on to an ending instead."
            )
            % {"walk": walk},
            last,
            "next" if index is None else f"choices.{index}.next",
        )


def _genuine_problems(content: dict[str, Any], steps: list[Any]) -> list[Problem]:
    if content.get("genuine") is True and not any(
        isinstance(step, dict)
        and step.get("kind") == "ending"
        and step.get("outcome") == "missed-out"
        for step in steps
    ):
        return [
            Problem(
                _(
                    "A genuine message needs an ending with the outcome “%(outcome)s”: "
                    "what ignoring or blocking a real message costs."
                )
                % {"outcome": Outcome.MISSED_OUT.label},
                None,
                "genuine",
            )
        ]
    return []


def _numbered(content: dict[str, Any]) -> dict[str, str]:
    """Each step's label for editors, by its key."""
    steps = _steps(content)
    return {
        key: step_label(step, number)
        for number, step in enumerate(steps, start=1)
        if (key := _step_key(step)) is not None
    }


# --- the validator's other errors -------------------------------------------------------------

# Validator messages that the checks above say in their own words.
COVERED = re.compile(
    r"no choice is safe|does not occur verbatim|which the step does not have"
    r"|a genuine scenario needs an ending|(?:^|: )choices has \d+ items?; it must have at least"
)
# Validator messages about a field that a check above found empty or unusable already.
SAID_AGAIN = re.compile(
    r"missing key|must not be empty|must be (?:a|an|true) |not a valid slug|does not exist"
)
LABEL = re.compile(r'^(step|choice|option|red flag) (#\d+|"(?:[^"\\]|\\.)*"): ')
PART_NOUNS = {"choice": "choices", "option": "options", "red flag": "red_flags"}
# The fields a validator error can start with (the pack format's names).
FIELD_NAMES = (
    "slug|title|topic|channel|difficulty|genuine|summary|min_age|start|steps|key|kind|from|text"
    "|prompt|outcome|feedback|next|quote|why|tactic|tactics|choices|options|red_flags|safe"
    "|is_flag|field|address|subject|url|verified|attachment|discussion"
)
FIELD_AT_START = re.compile(rf'^missing key "({FIELD_NAMES})"|^({FIELD_NAMES})\b')
PLAIN_WORDS = (
    (re.compile(r'missing key "slug"'), "the web address is missing"),
    (re.compile(r'missing key "(\w+)"'), r"“\1” is missing"),
    (re.compile(r'unknown key "(\w+)"'), r"“\1” does not belong here"),
    (re.compile(r"duplicate key \(used (\d+) times\)"), r"used \1 times: each must be different"),
    (re.compile(r"duplicate slug \(used (\d+) times\)"), r"used \1 times: each must be different"),
    (re.compile(r"not a valid slug"), "not a valid web address"),
    (re.compile(r"\bslug\b"), "web address"),
)


def validator_errors(content: dict[str, Any]) -> list[str]:
    """The pack validator's errors for this scenario, without the pack and scenario labels
    (as publishing.scenario_validate checks a draft: its topic exists)."""
    slug = content.get("slug")
    name = slug if isinstance(slug, str) else "draft"
    topic = content.get("topic")
    pack = {
        "format": "fraud-awareness-pack",
        "version": 2,
        "language": "en",  # the language changes nothing about a scenario's rules
        "topics": [],
        "scenarios": [content],
        "check_items": [],
    }
    labels = f"{pack_prefix(name)}: {label_of('scenario', content, 'slug', 0)}: "
    return [
        error.removeprefix(labels).removeprefix(f"{pack_prefix(name)}: ")
        for error in validate_pack(
            pack, name=name, existing_topic_slugs={topic} if isinstance(topic, str) else set()
        )
    ]


def _validator_leftovers(content: dict[str, Any], found: list[Problem]) -> list[Problem]:
    """Every validator error not already said above, tied to its step where it names one."""
    steps = _steps(content)
    graph = set(graph_problems(content.get("start"), labelled(steps, "step", "key")))
    said = {(p.step_key, p.field) for p in found}
    leftovers = []
    for error in validator_errors(content):
        if error in graph or COVERED.search(error):
            continue
        step_key, field, rest = _locate(error, steps)
        if (step_key, field) in said and SAID_AGAIN.search(rest):
            continue
        leftovers.append(Problem(_plain(rest), step_key, field))
    return leftovers


def _locate(error: str, steps: list[Any]) -> tuple[str | None, str | None, str]:
    """The step and field a validator error is about, and the error with labels in words."""
    step_key: str | None = None
    path: list[str] = []
    words: list[str] = []
    step: Any = None
    while match := LABEL.match(error):
        noun, ident = match.groups()
        error = error[match.end() :]
        if noun == "step":
            step = _find(steps, ident, "key")
            step_key = _step_key(step)
            if step_key is None:
                words.append(_("Step %(ident)s") % {"ident": ident})
        elif isinstance(step, dict) and (part := PART_NOUNS[noun]) in step:
            index = _index(step.get(part), ident, "key" if noun != "red flag" else None)
            if index is None:
                break
            path += [part, str(index)]
            words.append(str(PART_NAMES[part] % {"number": index + 1}))
        else:
            words.append(f"{noun} {ident}")
    if field := FIELD_AT_START.match(error):
        path.append(field.group(1) or field.group(2))
    return step_key, ".".join(path) or None, ": ".join([*words, error])


def _find(items: list[Any], ident: str, id_field: str) -> Any:
    index = _index(items, ident, id_field)
    return items[index] if index is not None else None


def _index(items: Any, ident: str, id_field: str | None) -> int | None:
    """The position of the object a validator label names ("#2" or by its quoted id)."""
    if not isinstance(items, list):
        return None
    if ident.startswith("#"):
        index = int(ident[1:]) - 1
        return index if 0 <= index < len(items) else None
    for index, item in enumerate(items):
        if id_field and isinstance(item, dict) and quoted(item.get(id_field)) == ident:
            return index
    return None


def _plain(error: str) -> str:
    for pattern, words in PLAIN_WORDS:
        error = pattern.sub(words, error)
    return capfirst(error)


# --- advice: the content audit's figures for this scenario -----------------------------------


def sound(content: dict[str, Any]) -> dict[str, Any]:
    """The parts of a draft that the audit and the path walker can read: steps with a key,
    choices that are objects, links that are strings."""
    steps = []
    for step in _steps(content):
        if _step_key(step) is None:
            continue
        step = dict(step)
        for part in ("choices", "options"):
            step[part] = [dict(obj) for _, obj in _parts(step, part)]
        for choice in step["choices"]:
            if not isinstance(choice.get("next"), str):
                choice["next"] = ""
        if not isinstance(step.get("next"), str):
            step["next"] = ""
        steps.append(step)
    start = content.get("start")
    return {**content, "start": start if isinstance(start, str) else "", "steps": steps}


def _advice(content: dict[str, Any]) -> list[Problem]:
    """Cues that let a player pass without judging (audit.py), said where they are."""
    scenario = sound(content)
    advice = []
    # The audit's figures, as audit_pack counts them, for this scenario's decisions alone.
    decisions = [s for s in scenario["steps"] if s.get("kind") == "decision" and s["choices"]]
    for limit, cue, message in (
        (
            MAX_LONGEST_IS_SAFE,
            _longest_is_safe,
            _(
                "The safe choice is the longest one here (in %(count)d of %(total)d decisions), "
                "so players can guess by length. Make a risky choice as long, or the safe one "
                "shorter."
            ),
        ),
        (
            MAX_SHORTEST_IS_SAFE,
            _shortest_is_safe,
            _(
                "The safe choice is the shortest one here (in %(count)d of %(total)d decisions), "
                "so players can guess by length. Make a risky choice as short, or the safe one "
                "longer."
            ),
        ),
    ):
        cued = [step for step in decisions if cue(step["choices"])]
        if PackAudit.share(len(cued), len(decisions)) > limit:
            values = {"count": len(cued), "total": len(decisions)}
            advice += [Problem(message % values, step["key"], "choices", ADVICE) for step in cued]
    counts = list(islice(paths(scenario), PATH_LIMIT))
    short = [count for count in counts if not count.long_enough]
    if counts and short:
        advice.append(
            Problem(
                ngettext(
                    "%(short)d of %(total)d paths from the first step to an ending has fewer than "
                    "%(least)d decisions (the shortest has %(fewest)d). With at least %(least)d on "
                    "every path, or 2 and a spot step, luck is not enough to get through.",
                    "%(short)d of %(total)d paths from the first step to an ending have fewer than "
                    "%(least)d decisions (the shortest has %(fewest)d). With at least %(least)d on "
                    "every path, or 2 and a spot step, luck is not enough to get through.",
                    len(short),
                )
                % {
                    "short": len(short),
                    "total": len(counts),
                    "least": MIN_PATH_DECISIONS,
                    "fewest": min(count.decisions for count in counts),
                },
                None,
                None,
                ADVICE,
            )
        )
    return advice
