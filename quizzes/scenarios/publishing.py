"""Publishing: freeze a draft scenario into an immutable version, after validating it with the
same rules as content packs (quizzes/scenarios/packs/validation.py)."""

from typing import Any

from django.db import transaction

from awareness.models import Topic
from quizzes.models import Choice, RedFlag, Scenario, ScenarioVersion, SpotOption, Step
from quizzes.scenarios.chrome import chrome_from_dict, chrome_to_dict
from quizzes.scenarios.packs.validation import validate_pack


class PublishError(Exception):
    """The draft breaks one or more rules; ``errors`` lists all of them in plain words."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _step_to_dict(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {"key": step.key, "kind": step.kind}
    if step.kind == Step.Kind.MESSAGE:
        data |= {"channel": step.channel, "from": step.sender, **chrome_to_dict(step)}
        data["text"] = step.text
        flags = [_quote_dict(f, {"why": f.why, "tactic": f.tactic}) for f in step.red_flags.all()]
        if flags:
            data["red_flags"] = flags
        data["next"] = step.next_key
    elif step.kind == Step.Kind.NARRATION:
        data |= {"text": step.text, "next": step.next_key}
    elif step.kind == Step.Kind.DECISION:
        data["prompt"] = step.prompt
        if step.tactics:
            data["tactics"] = list(step.tactics)
        data["choices"] = [
            {
                "key": c.key,
                "text": c.text,
                "safe": c.is_safe,
                "feedback": c.feedback,
                "next": c.next_key,
            }
            for c in step.choices.all()
        ]
        if step.discussion:
            data["discussion"] = list(step.discussion)
    elif step.kind == Step.Kind.SPOT:
        options = []
        for o in step.options.all():
            option = {"key": o.key, **_quote_dict(o, {"is_flag": o.is_flag, "why": o.why})}
            if o.tactic:
                option["tactic"] = o.tactic
            options.append(option)
        data |= {
            "prompt": step.prompt,
            "channel": step.channel,
            "from": step.sender,
            **chrome_to_dict(step),
            "text": step.text,
            "options": options,
            "next": step.next_key,
        }
    elif step.kind == Step.Kind.ENDING:
        data |= {"outcome": step.outcome, "text": step.text}
    # Empty strings are "missing" in the pack format: drop them so validation names them.
    return {k: v for k, v in data.items() if v != ""}


def _quote_dict(obj: RedFlag | SpotOption, rest: dict[str, Any]) -> dict[str, Any]:
    """A red flag's or spot option's quote, and the field it is quoted from if not the text."""
    return {"quote": obj.quote, **({"field": obj.field} if obj.field else {}), **rest}


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The draft scenario in content-pack form (the shape a published version freezes)."""
    steps = (
        scenario.steps.all()
        .prefetch_related("choices", "options", "red_flags")
        .order_by("position", "id")
    )
    data: dict[str, Any] = {
        "slug": scenario.slug,
        "title": scenario.title,
        "topic": scenario.topic.slug,
        "channel": scenario.channel,
        "difficulty": scenario.difficulty,
        **({"genuine": True} if scenario.genuine else {}),
        "summary": scenario.summary,
    }
    if scenario.min_age is not None:
        data["min_age"] = scenario.min_age
    data["start"] = scenario.start_key
    data["steps"] = [_step_to_dict(step) for step in steps]
    return data


def scenario_validate(scenario: Scenario, content: dict[str, Any] | None = None) -> list[str]:
    """Every problem that would stop this draft from being published, in plain words
    (``content``: the draft as ``scenario_to_dict`` gives it, when the caller has it already)."""
    pack = {
        "format": "fraud-awareness-pack",
        "version": 2,  # what editors can make in the admin: everything version 2 has
        "language": scenario.language,
        "topics": [],
        "scenarios": [content if content is not None else scenario_to_dict(scenario)],
        "check_items": [],
    }
    prefix = f'pack "{scenario.slug}": '
    return [
        error.removeprefix(prefix)
        for error in validate_pack(
            pack, name=scenario.slug, existing_topic_slugs={scenario.topic.slug}
        )
    ]


@transaction.atomic
def scenario_publish(*, scenario: Scenario) -> ScenarioVersion:
    """Validate and freeze the draft into a new version (or reuse the latest if unchanged)."""
    scenario = Scenario.objects.select_for_update().select_related("topic").get(pk=scenario.pk)
    content = scenario_to_dict(scenario)
    errors = scenario_validate(scenario, content)
    if errors:
        raise PublishError(errors)
    latest = scenario.versions.order_by("-number").first()
    if latest is not None and latest.content == content:
        version = latest
    else:
        number = latest.number + 1 if latest else 1
        version = ScenarioVersion.objects.create(scenario=scenario, number=number, content=content)
    scenario.published_version = version
    scenario.status = Scenario.Status.PUBLISHED
    # The version's content is the draft's (created from it or equal to it), so the topic it
    # names by slug is the draft's topic row.
    shown = published_fields(version.content, topic=scenario.topic)
    for name, value in shown.items():
        setattr(scenario, name, value)
    scenario.save(update_fields=["published_version", "status", *shown, "updated_at"])
    return version


def published_fields(content: dict[str, Any], *, topic: Topic) -> dict[str, Any]:
    """The Scenario columns that lists and results read, as a version's content has them
    (``topic`` is the topic its content names by slug): students and teachers see a
    scenario's title, summary, channel, difficulty, age mark and topic only once they are
    published."""
    if topic.slug != content["topic"]:
        raise ValueError(f"the version names topic {content['topic']!r}, not {topic.slug!r}")
    return {
        "published_title": content["title"],
        "published_summary": content["summary"],
        "published_channel": content["channel"],
        "published_difficulty": content["difficulty"],
        "published_min_age": content.get("min_age"),
        "published_topic": topic,
        "published_tactics": tactics_tested(content),
    }


def tactics_tested(content: dict[str, Any]) -> list[str]:
    """The tactics the steps of a version's content test, sorted."""
    return sorted({t for step in content.get("steps", []) for t in step.get("tactics", [])})


@transaction.atomic
def scenario_unpublish(*, scenario: Scenario) -> Scenario:
    """Take a scenario off the lists; attempts in progress can still finish on their version.

    The published_* fields stay: progress and class results still name it as last published.
    """
    scenario.status = Scenario.Status.DRAFT
    scenario.published_version = None
    scenario.save(update_fields=["status", "published_version", "updated_at"])
    return scenario


@transaction.atomic
def scenario_replace_steps(*, scenario: Scenario, steps: list[dict[str, Any]]) -> None:
    """Replace a draft's steps with ones given in content-pack form (used by import and copy)."""
    scenario.steps.all().delete()
    for position, data in enumerate(steps):
        step = Step.objects.create(
            scenario=scenario,
            key=data["key"],
            kind=data["kind"],
            position=position,
            channel=data.get("channel", ""),
            sender=data.get("from", ""),
            text=data.get("text", ""),
            prompt=data.get("prompt", ""),
            next_key=data.get("next", ""),
            outcome=data.get("outcome", ""),
            tactics=data.get("tactics", []),
            discussion=data.get("discussion", []),
            **chrome_from_dict(data),
        )
        Choice.objects.bulk_create(
            Choice(
                step=step,
                key=c["key"],
                position=i,
                text=c["text"],
                is_safe=c["safe"],
                feedback=c["feedback"],
                next_key=c["next"],
            )
            for i, c in enumerate(data.get("choices", []))
        )
        SpotOption.objects.bulk_create(
            SpotOption(
                step=step,
                key=o["key"],
                position=i,
                quote=o["quote"],
                field=o.get("field", ""),
                is_flag=o["is_flag"],
                why=o["why"],
                tactic=o.get("tactic", ""),
            )
            for i, o in enumerate(data.get("options", []))
        )
        RedFlag.objects.bulk_create(
            RedFlag(
                step=step,
                position=i,
                quote=f["quote"],
                field=f.get("field", ""),
                why=f["why"],
                tactic=f["tactic"],
            )
            for i, f in enumerate(data.get("red_flags", []))
        )


@transaction.atomic
def scenario_duplicate(*, scenario: Scenario) -> Scenario:
    """Copy a scenario into a new draft with a free slug ("<slug>-copy", "-copy-2", ...)."""
    base = f"{scenario.slug}-copy"[:74]
    slug, n = base, 1
    while Scenario.objects.filter(language=scenario.language, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    content = scenario_to_dict(scenario)
    copy = Scenario.objects.create(
        language=scenario.language,
        slug=slug,
        title=scenario.title,
        summary=scenario.summary,
        topic=scenario.topic,
        channel=scenario.channel,
        difficulty=scenario.difficulty,
        genuine=scenario.genuine,
        estimated_minutes=scenario.estimated_minutes,
        min_age=scenario.min_age,
        translation_key=scenario.translation_key,
        start_key=scenario.start_key,
        status=Scenario.Status.DRAFT,
    )
    scenario_replace_steps(scenario=copy, steps=content["steps"])
    return copy
