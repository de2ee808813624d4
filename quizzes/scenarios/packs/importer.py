"""Import a content pack (docs/content-pack.md): validate it whole, then write it in one
transaction, touching only what differs from the database.

Objects are matched by (language, slug) for topics and scenarios and (language, key) for check
items. An object equal to what the database holds is not written at all, so importing the same
pack twice leaves every row, timestamp and version number as it was.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from awareness.models import Topic
from awareness.pages.markdown import render_markdown
from quizzes.models import CheckItem, Scenario
from quizzes.scenarios.chrome import chrome_from_dict
from quizzes.scenarios.packs.exporter import canonical_lesson_plan, canonical_scenario
from quizzes.scenarios.packs.validation import PackError, validate_pack
from quizzes.scenarios.publishing import (
    scenario_publish,
    scenario_replace_steps,
    scenario_to_dict,
)


@dataclass
class ImportReport:
    """What an import changed (or, in a dry run, would change)."""

    name: str
    language: str
    dry_run: bool = False
    topics_created: int = 0
    topics_updated: int = 0
    topics_unchanged: int = 0
    scenarios_created: int = 0
    scenarios_updated: int = 0
    scenarios_unchanged: int = 0
    check_items_created: int = 0
    check_items_updated: int = 0
    check_items_unchanged: int = 0
    versions_published: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.topics_created,
                self.topics_updated,
                self.scenarios_created,
                self.scenarios_updated,
                self.check_items_created,
                self.check_items_updated,
                self.versions_published,
            )
        )

    def summary(self) -> str:
        """One line for the command output."""
        counts = "; ".join(
            f"{noun}: {created} created, {updated} updated, {unchanged} unchanged"
            for noun, created, updated, unchanged in (
                ("topics", self.topics_created, self.topics_updated, self.topics_unchanged),
                (
                    "scenarios",
                    self.scenarios_created,
                    self.scenarios_updated,
                    self.scenarios_unchanged,
                ),
                (
                    "check items",
                    self.check_items_created,
                    self.check_items_updated,
                    self.check_items_unchanged,
                ),
            )
        )
        verdict = "" if self.changed else " (nothing to change)"
        head = "Dry run, nothing written: " if self.dry_run else ""
        return (
            f"{head}{self.name} [{self.language}]: {counts}; "
            f"{self.versions_published} versions published{verdict}"
        )


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def pack_import(data: dict[str, Any], *, name: str, dry_run: bool = False) -> ImportReport:
    """Validate a parsed pack and write it all or nothing; raise PackError naming every problem."""
    language = data.get("language") if isinstance(data, dict) else None
    existing = set()
    if isinstance(language, str):
        existing = set(Topic.objects.filter(language=language).values_list("slug", flat=True))
    errors = validate_pack(data, name=name, existing_topic_slugs=existing)
    if errors:
        raise PackError(errors)

    report = ImportReport(name=name, language=data["language"], dry_run=dry_run)
    try:
        with transaction.atomic():
            _import_topics(data, report)
            _import_scenarios(data, report)
            _import_check_items(data, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _import_topics(data: dict[str, Any], report: ImportReport) -> None:
    language = data["language"]
    existing = {t.slug: t for t in Topic.objects.filter(language=language)}
    for position, incoming in enumerate(data["topics"]):
        values = {
            "title": incoming["title"],
            "summary": incoming["summary"],
            "body_markdown": incoming["body_markdown"],
            "body_html": render_markdown(incoming["body_markdown"]),
            "red_flags": incoming["red_flags"],
            "what_to_do": incoming["what_to_do"],
            "min_age": incoming.get("min_age"),
            "lesson_plan": canonical_lesson_plan(incoming.get("lesson_plan", {})),
        }
        topic = existing.get(incoming["slug"])
        if topic is None:
            Topic.objects.create(
                language=language, slug=incoming["slug"], position=position, **values
            )
            report.topics_created += 1
        elif _assign_changes(topic, values):
            topic.save()
            report.topics_updated += 1
        else:
            report.topics_unchanged += 1


def _import_scenarios(data: dict[str, Any], report: ImportReport) -> None:
    language = data["language"]
    topics = {t.slug: t for t in Topic.objects.filter(language=language)}
    existing = {
        s.slug: s
        for s in Scenario.objects.filter(language=language).select_related(
            "topic", "published_version"
        )
    }
    for position, incoming in enumerate(data["scenarios"]):
        content = canonical_scenario(incoming)
        values = {
            "title": incoming["title"],
            "summary": incoming["summary"],
            "topic": topics[incoming["topic"]],
            "channel": incoming["channel"],
            "difficulty": incoming["difficulty"],
            "genuine": incoming.get("genuine", False),
            "min_age": incoming.get("min_age"),
            "start_key": incoming["start"],
        }
        scenario = existing.get(incoming["slug"])
        if scenario is None:
            scenario = Scenario.objects.create(
                language=language,
                slug=incoming["slug"],
                translation_key=incoming["slug"],
                position=position,
                **values,
            )
            scenario_replace_steps(scenario=scenario, steps=content["steps"])
            report.scenarios_created += 1
        else:
            if not scenario.translation_key:
                values["translation_key"] = scenario.slug
            fields_changed = _assign_changes(scenario, values)
            if fields_changed:
                scenario.save()
            steps_changed = scenario_to_dict(scenario)["steps"] != content["steps"]
            if steps_changed:
                scenario_replace_steps(scenario=scenario, steps=content["steps"])
            if not (fields_changed or steps_changed or _needs_publishing(scenario, content)):
                report.scenarios_unchanged += 1
                continue
            report.scenarios_updated += 1
        latest = scenario.versions.order_by("-number").values_list("number", flat=True).first()
        if scenario_publish(scenario=scenario).number != latest:
            report.versions_published += 1


def _needs_publishing(scenario: Scenario, content: dict[str, Any]) -> bool:
    """True unless the scenario is already live on a version holding exactly this content."""
    version = scenario.published_version
    return (
        scenario.status != Scenario.Status.PUBLISHED
        or version is None
        or version.content != content
    )


def _import_check_items(data: dict[str, Any], report: ImportReport) -> None:
    language = data["language"]
    existing = {item.key: item for item in CheckItem.objects.filter(language=language)}
    for incoming in data["check_items"]:
        values = {
            "channel": incoming["channel"],
            "sender": incoming["from"],
            "text": incoming["text"],
            "is_scam": incoming["is_scam"],
            "explanation": incoming["explanation"],
            "tactics": incoming["tactics"],
            "topic": incoming.get("topic", ""),
            "pair": incoming.get("pair", ""),
            **chrome_from_dict(incoming),
        }
        item = existing.get(incoming["key"])
        if item is None:
            CheckItem.objects.create(language=language, key=incoming["key"], **values)
            report.check_items_created += 1
        elif _assign_changes(item, values):
            item.save()
            report.check_items_updated += 1
        else:
            report.check_items_unchanged += 1


def _assign_changes(obj: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ on obj; return whether any did."""
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed
