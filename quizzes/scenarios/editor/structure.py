"""The editing page's one form, between what the browser posts and the scenario in
content-pack form (docs/content-pack.md), without the database.

The posted form: the scenario's fields by name; ``steps`` lists the steps' tokens in page order,
and each step's fields are prefixed ``s<token>-``; a step's choices, red flags and spot options
are listed the same way (``s<token>-choices``, ``-flags``, ``-options``) and prefixed
``s<token>-c<token>-``, ``-f<token>-``, ``-o<token>-``. Tokens only tie the page together; a
"next" select names its step by token. The internal names the content pack uses (step, choice
and option keys) ride along in hidden inputs once saved, and are made up here for new parts:
the editor never types them.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.models import QuoteField, Step
from quizzes.scenarios.editor.checks import closest_match
from quizzes.scenarios.editor.forms import (
    ENDING_PREFIX,
    NEW_STEP,
    STEP_FORMS,
    ChoiceForm,
    EditorForm,
    OptionForm,
    RedFlagForm,
    ScenarioFieldsForm,
)
from quizzes.scenarios.editor.labels import step_label

Data = dict[str, list[str]]
TopicChoice = tuple[str, str, str]  # value, label, language

TOKEN = re.compile(r"[a-z0-9]{1,16}")
POSTED_TOKEN = re.compile(r"s([a-z0-9]{1,16})-")
KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the content pack's pattern for keys
KEY_LENGTH = 80
CHROME_FIELDS = (
    "channel",
    "address",
    "verified",
    "subject",
    "url",
    "attachment_kind",
    "attachment_title",
    "attachment_text",
)
NEXT_KINDS = (Step.Kind.MESSAGE, Step.Kind.NARRATION, Step.Kind.SPOT)
QUOTING_KINDS: dict[str, str] = {Step.Kind.MESSAGE: "flags", Step.Kind.SPOT: "options"}
# A step's parts: (list name, prefix letter, form).
PARTS: dict[str, tuple[str, type[EditorForm]]] = {
    "choices": ("c", ChoiceForm),
    "flags": ("f", RedFlagForm),
    "options": ("o", OptionForm),
}
PARTS_OF_KIND: dict[str, tuple[str, ...]] = {
    Step.Kind.DECISION: ("choices",),
    Step.Kind.MESSAGE: ("flags",),
    Step.Kind.SPOT: ("options",),
}
# A new decision comes with two blank choices, a new spot step with two blank options.
BLANK_PARTS: dict[str, tuple[str, int]] = {
    Step.Kind.DECISION: ("choices", 2),
    Step.Kind.SPOT: ("options", 2),
}
ADD_STEP_ACTIONS = tuple(Step.Kind.values)
ADD_PART_ACTIONS = {"choice": "choices", "flag": "flags", "option": "options"}


@dataclass
class Part:
    """A choice, red flag or spot option on the page."""

    token: str
    form: forms.Form
    key: str = ""
    fresh: bool = False  # added blank on this page load: shown without errors


@dataclass
class StepPart:
    """One step on the page: its form, its parts, and how the page names it."""

    token: str
    kind: str
    form: forms.Form
    key: str = ""
    saved: bool = False  # came with the internal name it was saved under
    fresh: bool = False
    number: int = 0
    label: str = ""
    parts: dict[str, list[Part]] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"s{self.token}"

    @property
    def anchor(self) -> str:
        """The step's HTML id: the map and the publish page link to ``#step-<key>``."""
        return f"step-{self.key}" if self.saved else f"step-new-{self.token}"

    @property
    def choices(self) -> list[Part]:
        return self.parts.get("choices", [])

    @property
    def flags(self) -> list[Part]:
        return self.parts.get("flags", [])

    @property
    def options(self) -> list[Part]:
        return self.parts.get("options", [])

    @property
    def has_next(self) -> bool:
        return self.kind in NEXT_KINDS

    @property
    def kind_label(self) -> str:
        return str(Step.Kind(self.kind).label)

    @property
    def chrome_open(self) -> bool:
        """Whether "More about the message" starts open: something in it is filled in or wrong."""
        return any(
            self.form[name].value() or self.form[name].errors
            for name in CHROME_FIELDS
            if name in self.form.fields
        )

    def forms(self) -> Iterable[forms.Form]:
        yield self.form
        for parts in self.parts.values():
            yield from (part.form for part in parts if not part.fresh)


@dataclass
class EditedScenario:
    """The page's form, parsed: the forms to show again and the scenario they describe."""

    scenario: ScenarioFieldsForm
    steps: list[StepPart]

    def is_valid(self) -> bool:
        return self.scenario.is_valid() and all(
            form.is_valid() for step in self.steps if not step.fresh for form in step.forms()
        )

    def errors(self) -> dict[str, list[str]]:
        """Every field's problems by the field's name on the page."""
        problems: dict[str, list[str]] = {}
        forms_ = [self.scenario] + [
            form for step in self.steps if not step.fresh for form in step.forms()
        ]
        for form in forms_:
            for name, errors in form.errors.items():
                problems[form.add_prefix(name)] = [str(error) for error in errors]
        return problems

    @property
    def language(self) -> str:
        return str(_cleaned(self.scenario).get("language") or "")

    @property
    def estimated_minutes(self) -> int:
        minutes = _cleaned(self.scenario).get("estimated_minutes")
        return minutes if isinstance(minutes, int) else 5

    def step(self, *, token: str | None = None, key: str | None = None) -> StepPart | None:
        for step in self.steps:
            if (token is not None and step.token == token) or (key is not None and step.key == key):
                return step
        return None

    def content(self) -> dict[str, Any]:
        """The scenario in content-pack form, without its web address (slug): the saving
        service adds it. Best effort for a form with problems (the checks still read it)."""
        data = _cleaned(self.scenario)
        keys = {step.token: step.key for step in self.steps if not step.fresh}
        steps = [_step_content(step, keys) for step in self.steps if not step.fresh]
        content: dict[str, Any] = {
            "title": data.get("title", ""),
            "topic": data.get("topic", ""),
            "channel": data.get("channel", ""),
            "difficulty": data.get("difficulty", ""),
            **({"genuine": True} if data.get("genuine") else {}),
            "summary": data.get("summary", ""),
        }
        if isinstance(data.get("min_age"), int):
            content["min_age"] = data["min_age"]
        content["start"] = steps[0]["key"] if steps else ""
        content["steps"] = steps
        return content

    # --- adding blank parts (the page's "Add …" buttons without JavaScript) ---

    def add(self, action: str, *, focus: bool = False) -> str | None:
        """Add the blank part an "Add …" button asks for ("decision", "choice:<token>", ...);
        return its HTML id, or None if the action names nothing on the page. ``focus``: its
        first field takes the focus when the page loads."""
        if action in ADD_STEP_ACTIONS:
            step = blank_step(action, _free_token(step.token for step in self.steps))
            self.steps.append(step)
            _name_steps(self.steps)
            form, anchor = step.form, step.anchor
        else:
            what, _sep, token = action.partition(":")
            found = self.step(token=token) if what in ADD_PART_ACTIONS else None
            if found is None or ADD_PART_ACTIONS[what] not in PARTS_OF_KIND.get(found.kind, ()):
                return None
            part = _blank_part(found, ADD_PART_ACTIONS[what])
            _name_steps(self.steps)
            form, anchor = part.form, f"{part.form.prefix}-part"
        if focus:
            first = next(f for f in form.fields.values() if not f.widget.is_hidden)
            first.widget.attrs["autofocus"] = True
        return anchor


def _name_steps(steps: list[StepPart]) -> None:
    """Number and label the steps and fill every "next" select with them."""
    for number, step in enumerate(steps, start=1):
        step.number = number
        step.label = step_label(_label_source(step), number)
    for step in steps:
        choices = [("", "---------")]
        choices += [(other.token, other.label) for other in steps if other is not step]
        choices.append((NEW_STEP, _("New step…")))
        for form in [step.form] + [choice.form for choice in step.choices]:
            if "next" in form.fields:
                form.fields["next"].widget.choices = choices  # a Select (forms.NextMixin)


def parse(data: Any, *, topics: Sequence[TopicChoice]) -> EditedScenario:
    """Read the posted page (a QueryDict, or a dict of lists as ``form_data`` makes)."""
    data = as_lists(data)
    order, data = _steps_in_order(data)
    posted = MultiValueDict(data)
    scenario_form = ScenarioFieldsForm(posted, topics=topics)
    steps: list[StepPart] = []
    for token, kind in order:
        step = StepPart(token=token, kind=kind, form=STEP_FORMS[kind](posted, prefix=f"s{token}"))
        for name in PARTS_OF_KIND.get(kind, ()):
            letter, form_class = PARTS[name]
            step.parts[name] = [
                Part(token=t, form=form_class(posted, prefix=f"{step.prefix}-{letter}{t}"))
                for t in _tokens(data, f"{step.prefix}-{name}")
                if not _removed(data, f"{step.prefix}-{letter}{t}")
            ]
        steps.append(step)
    edited = EditedScenario(scenario=scenario_form, steps=steps)
    for step in steps:
        _check_quotes(step)
    _name_parts(steps)
    _name_steps(edited.steps)
    return edited


def as_lists(data: Any) -> Data:
    if hasattr(data, "getlist"):
        return {key: [str(v) for v in data.getlist(key)] for key in data}
    lists: Data = {}
    for key, value in dict(data).items():
        values = value if isinstance(value, list | tuple) else [value]
        lists[key] = [str(v) for v in values]
    return lists


def _tokens(data: Data, name: str) -> list[str]:
    """The tokens listed under ``name``, in page order, each once."""
    return list(dict.fromkeys(t for t in data.get(name, []) if TOKEN.fullmatch(t)))


def _first(data: Data, name: str) -> str:
    values = data.get(name) or [""]
    return values[0]


def _removed(data: Data, prefix: str) -> bool:
    return bool(_first(data, f"{prefix}-remove"))


def _free_token(taken: Iterable[str]) -> str:
    taken = set(taken)
    number = 1
    while f"n{number}" in taken:
        number += 1
    return f"n{number}"


def _steps_in_order(data: Data) -> tuple[list[tuple[str, str]], Data]:
    """The steps on the page, in order, without removed ones; a "New step…" in a next select
    becomes a blank step of the chosen kind after the step that asks for it (and the select
    names it)."""
    data = {name: list(values) for name, values in data.items()}
    steps = [
        (token, kind)
        for token in _tokens(data, "steps")
        if (kind := _first(data, f"s{token}-kind")) in STEP_FORMS
        and not _removed(data, f"s{token}")
    ]
    # Every token the page used, removed steps' too: a new step must not inherit their fields.
    taken = {match[1] for name in data if (match := POSTED_TOKEN.match(name))}
    order: list[tuple[str, str]] = []
    for token, kind in steps:
        order.append((token, kind))
        asking = [f"s{token}"] if kind in NEXT_KINDS else []
        if kind == Step.Kind.DECISION:
            asking += [
                f"s{token}-c{choice}"
                for choice in _tokens(data, f"s{token}-choices")
                if not _removed(data, f"s{token}-c{choice}")
            ]
        for prefix in asking:
            if _first(data, f"{prefix}-next") != NEW_STEP:
                continue
            new_kind = _first(data, f"{prefix}-next_kind") or Step.Kind.MESSAGE
            outcome = ""
            if new_kind.startswith(ENDING_PREFIX):
                new_kind, outcome = Step.Kind.ENDING, new_kind.removeprefix(ENDING_PREFIX)
            if new_kind not in STEP_FORMS:
                continue
            new = _free_token(taken)
            taken.add(new)
            data[f"{prefix}-next"] = [new]
            data[f"s{new}-kind"] = [new_kind]
            if outcome:
                data[f"s{new}-outcome"] = [outcome]
            name, count = BLANK_PARTS.get(new_kind, ("", 0))
            if count:
                data[f"s{new}-{name}"] = [str(i) for i in range(1, count + 1)]
            order.append((new, new_kind))
    data["steps"] = [token for token, _kind in order]
    return order, data


def blank_step(kind: str, token: str) -> StepPart:
    """A new blank step (a decision with two blank choices, a spot step with two options)."""
    form = STEP_FORMS[kind](prefix=f"s{token}", initial={"kind": kind})
    step = StepPart(token=token, kind=kind, form=form, fresh=True)
    step.parts = {name: [] for name in PARTS_OF_KIND.get(kind, ())}
    name, count = BLANK_PARTS.get(kind, ("", 0))
    for _i in range(count):
        _blank_part(step, name)
    return step


def _blank_part(step: StepPart, name: str, token: str | None = None) -> Part:
    letter, form_class = PARTS[name]
    parts = step.parts.setdefault(name, [])
    token = token or _free_token(part.token for part in parts)
    part = Part(token=token, form=form_class(prefix=f"{step.prefix}-{letter}{token}"), fresh=True)
    parts.append(part)
    return part


# Placeholders in the page's <template>s, replaced by editor.js with fresh tokens.
STEP_PLACEHOLDER = "__T__"
PART_PLACEHOLDER = "__C__"


def templates_for(edited: EditedScenario) -> dict[str, Any]:
    """The blank steps and parts editor.js copies into the page: one step of each kind and
    one part of each kind (their "next" selects list the page's steps; the script keeps them
    up to date)."""
    steps = {}
    for kind in STEP_FORMS:
        steps[kind] = blank_step(kind, STEP_PLACEHOLDER)
        _name_steps([*edited.steps, steps[kind]])
    form = STEP_FORMS[Step.Kind.DECISION](prefix=f"s{STEP_PLACEHOLDER}")
    holder = StepPart(token=STEP_PLACEHOLDER, kind=Step.Kind.DECISION, form=form, fresh=True)
    parts = {name: _blank_part(holder, name, PART_PLACEHOLDER) for name in PARTS}
    _name_steps([*edited.steps, holder])
    _name_steps(edited.steps)  # as they were: the page's steps are numbered without these
    return {"steps": steps, "holder": holder, "parts": parts}


# --- internal names ----------------------------------------------------------------------------


def _posted_key(form: forms.Form, taken: set[str]) -> str:
    """The internal name a part was saved under, if it came back sound and unused."""
    key = str(form["key"].value() or "")
    if KEY.fullmatch(key) and len(key) <= KEY_LENGTH and key not in taken:
        taken.add(key)
        return key
    return ""


def _make_key(candidates: Iterable[str], taken: set[str]) -> str:
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("candidates never run out")


def _numbered(stem: str, start: int) -> Iterable[str]:
    number = start
    while True:
        yield f"{stem}{number}"
        number += 1


def _letters(start: int) -> Iterable[str]:
    """a, b, c ... (from the part's position), then c27, c28 ..."""
    yield from "abcdefghijklmnopqrstuvwxyz"[start - 1 :]
    yield from _numbered("c", 27)


def _name_parts(steps: list[StepPart]) -> None:
    """Keep the internal names parts came with; make up names for new ones (a step's from its
    kind and position, "decision-3"; a choice's a letter; a spot option's "o2")."""
    taken: set[str] = set()
    for step in steps:
        step.key = _posted_key(step.form, taken)
        step.saved = bool(step.key)
    for number, step in enumerate(steps, start=1):
        if not step.key:
            step.key = _make_key(_numbered(f"{step.kind}-", number), taken)
        for name, stem in (("choices", None), ("options", "o")):
            parts = step.parts.get(name, [])
            used: set[str] = set()
            for part in parts:
                part.key = _posted_key(part.form, used)
            for position, part in enumerate(parts, start=1):
                if not part.key:
                    candidates = _letters(position) if stem is None else _numbered(stem, position)
                    part.key = _make_key(candidates, used)


# --- quotes ------------------------------------------------------------------------------------

# How the messages below name where a quote should be.
WHERE: dict[str, Any] = {
    QuoteField.TEXT: gettext_lazy("the text"),
    QuoteField.ADDRESS: gettext_lazy("the address or number"),
    QuoteField.SUBJECT: gettext_lazy("the subject"),
    QuoteField.URL: gettext_lazy("the web address"),
    QuoteField.ATTACHMENT: gettext_lazy("the attachment"),
}


def quoted_source(values: Mapping[str, Any], where: str) -> str:
    """The text a quote must occur in: the step's text, or the part of the message it names."""
    if where == QuoteField.ATTACHMENT:
        parts = [values.get("attachment_title"), values.get("attachment_text")]
        return "\n".join(str(part) for part in parts if part)
    return str(values.get(where or "text") or "")


def _check_quotes(step: StepPart) -> None:
    """A red flag's or spot option's words must be in the field it names, exactly: the player
    highlights them there. Say so next to the quote, with the closest words offered."""
    name = QUOTING_KINDS.get(step.kind)
    if name is None or not step.form.is_valid():
        return
    for part in step.parts.get(name, []):
        if not part.form.is_valid():
            continue
        quote, where = part.form.cleaned_data["quote"], part.form.cleaned_data["field"]
        if problem := quote_problem(quote, where, step.form.cleaned_data):
            part.form.add_error("quote", problem)


def quote_problem(quote: str, where: str, values: Mapping[str, Any]) -> str | None:
    """Why these words cannot be highlighted where they are said to be, in plain words."""
    if not quote:
        return None
    source = quoted_source(values, where)
    place = WHERE.get(where, WHERE[QuoteField.TEXT])
    if not source:
        if not where:
            return _("The message has no text yet: write it first, then copy these words from it.")
        return _(
            "%(place)s is empty: fill it in under “More about the message”, or choose where "
            "these words are."
        ) % {"place": capfirst(place)}
    if quote in source:
        return None
    suggestion = closest_match(quote, source)
    if suggestion:
        return _(
            "These words are not in %(place)s exactly as written. Did you mean “%(suggestion)s”?"
        ) % {"place": place, "suggestion": suggestion}
    return _(
        "These words are not in %(place)s: copy them from there exactly, capital letters included."
    ) % {"place": place}


# --- content-pack form -------------------------------------------------------------------------


def _cleaned(form: forms.Form) -> dict[str, Any]:
    """A form's clean values, and for fields with problems what was typed (the checks still
    read a form with problems)."""
    values: dict[str, Any] = {}
    if form.is_bound:
        for name in form.fields:
            values[name] = form[name].value()
        form.is_valid()
        values |= getattr(form, "cleaned_data", {})
    return values


def _step_content(step: StepPart, keys: dict[str, str]) -> dict[str, Any]:
    """One step in content-pack form, as publishing.scenario_to_dict writes it."""
    values = _cleaned(step.form)
    data: dict[str, Any] = {"key": step.key, "kind": step.kind}
    if step.kind in (Step.Kind.MESSAGE, Step.Kind.SPOT):
        if step.kind == Step.Kind.SPOT:
            data["prompt"] = values.get("prompt", "")
        data |= {"channel": values.get("channel", ""), "from": values.get("sender", "")}
        data |= _chrome(values)
        data["text"] = values.get("text", "")
        if step.kind == Step.Kind.MESSAGE:
            flags = [_flag(_cleaned(part.form)) for part in step.flags if not part.fresh]
            if flags:
                data["red_flags"] = flags
        else:
            data["options"] = [
                _option(part.key, _cleaned(part.form)) for part in step.options if not part.fresh
            ]
        data["next"] = keys.get(values.get("next") or "", "")
    elif step.kind == Step.Kind.NARRATION:
        data |= {"text": values.get("text", ""), "next": keys.get(values.get("next") or "", "")}
    elif step.kind == Step.Kind.DECISION:
        data["prompt"] = values.get("prompt", "")
        tactics = values.get("tactics") or []
        if tactics:
            data["tactics"] = list(tactics)
        data["choices"] = [
            _choice(part.key, _cleaned(part.form), keys) for part in step.choices if not part.fresh
        ]
        discussion = values.get("discussion") or []
        if isinstance(discussion, str):
            discussion = [line.strip() for line in discussion.splitlines() if line.strip()]
        if discussion:
            data["discussion"] = discussion
    elif step.kind == Step.Kind.ENDING:
        data |= {"outcome": values.get("outcome", ""), "text": values.get("text", "")}
    # Empty texts are "missing" in the pack format, as in scenario_to_dict.
    return {name: value for name, value in data.items() if value != "" and value is not None}


def _chrome(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ("address", "verified", "subject", "url"):
        if values.get(name):
            data[name] = True if name == "verified" else values[name]
    if values.get("attachment_kind"):
        attachment = {
            "kind": values["attachment_kind"],
            "title": values.get("attachment_title", ""),
        }
        if values.get("attachment_text"):
            attachment["text"] = values["attachment_text"]
        data["attachment"] = attachment
    return data


def _quote(values: dict[str, Any]) -> dict[str, Any]:
    where = values.get("field") or ""
    return {"quote": values.get("quote", ""), **({"field": where} if where else {})}


def _flag(values: dict[str, Any]) -> dict[str, Any]:
    return {**_quote(values), "why": values.get("why", ""), "tactic": values.get("tactic", "")}


def _option(key: str, values: dict[str, Any]) -> dict[str, Any]:
    option = {"key": key, **_quote(values), "is_flag": bool(values.get("is_flag"))}
    option["why"] = values.get("why", "")
    if values.get("tactic"):
        option["tactic"] = values["tactic"]
    return option


def _choice(key: str, values: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    return {
        "key": key,
        "text": values.get("text", ""),
        "safe": bool(values.get("safe")),
        "feedback": values.get("feedback", ""),
        "next": keys.get(values.get("next") or "", ""),
    }


def _label_source(step: StepPart) -> dict[str, Any]:
    """What step_label reads, from what the editor typed (valid or not)."""
    form = step.form
    source: dict[str, Any] = {"kind": step.kind}
    for name, pack_name in (("prompt", "prompt"), ("text", "text"), ("sender", "from")):
        if name in form.fields:
            source[pack_name] = form[name].value() or ""
    if "outcome" in form.fields:
        source["outcome"] = form["outcome"].value() or ""
    return source


# --- from content-pack form --------------------------------------------------------------------


def form_data(content: dict[str, Any], *, language: str, estimated_minutes: int) -> Data:
    """What the page posts for this scenario unchanged (``content`` as scenario_to_dict gives
    it, with the topic as the topic select's value)."""
    data: Data = {
        "title": [content.get("title", "")],
        "summary": [content.get("summary", "")],
        "topic": [str(content.get("topic", ""))],
        "language": [language],
        "channel": [content.get("channel", "")],
        "difficulty": [content.get("difficulty", "")],
        "estimated_minutes": [str(estimated_minutes)],
        "min_age": [str(content["min_age"]) if content.get("min_age") is not None else ""],
    }
    if content.get("genuine"):
        data["genuine"] = ["on"]
    steps = content.get("steps", [])
    tokens = {step["key"]: str(number) for number, step in enumerate(steps, start=1)}
    data["steps"] = list(tokens.values())
    for step in steps:
        prefix = f"s{tokens[step['key']]}"
        data |= _step_form_data(prefix, step, tokens)
    return data


def _step_form_data(prefix: str, step: dict[str, Any], tokens: dict[str, str]) -> Data:
    values: dict[str, Any] = {"key": step["key"], "kind": step["kind"]}
    for name in ("prompt", "text", "outcome", "channel", "address", "subject", "url"):
        values[name] = step.get(name, "")
    values["sender"] = step.get("from", "")
    values["verified"] = bool(step.get("verified"))
    attachment = step.get("attachment") or {}
    values["attachment_kind"] = attachment.get("kind", "")
    values["attachment_title"] = attachment.get("title", "")
    values["attachment_text"] = attachment.get("text", "")
    values["next"] = tokens.get(step.get("next", ""), "")
    values["tactics"] = list(step.get("tactics", []))
    values["discussion"] = "\n".join(step.get("discussion", []))
    data = _prefixed(prefix, values)
    for name, (letter, _form) in PARTS.items():
        items = step.get({"flags": "red_flags"}.get(name, name), [])
        if not items:
            continue
        data[f"{prefix}-{name}"] = [str(i) for i in range(1, len(items) + 1)]
        for number, item in enumerate(items, start=1):
            item_values = dict(item)
            item_values["field"] = item.get("field", "")
            if name == "choices":
                item_values["next"] = tokens.get(item.get("next", ""), "")
            data |= _prefixed(f"{prefix}-{letter}{number}", item_values)
    return data


def _prefixed(prefix: str, values: dict[str, Any]) -> Data:
    data: Data = {}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[f"{prefix}-{name}"] = ["on"]
        elif isinstance(value, list):
            data[f"{prefix}-{name}"] = [str(v) for v in value]
        else:
            data[f"{prefix}-{name}"] = [str(value)]
    return data
