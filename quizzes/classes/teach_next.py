"""What the class page says to teach next, and a topic's printable lesson plan.

``classroom_teach_next`` gives the class's safe-choice rate per tactic × channel (the heatmap,
in the form of the student's grid on /progress/, ``quizzes.play.mastery``) and the three tactics
the class misses most, each with the decision where most of the class went wrong, its most
picked unsafe option and that decision's discussion questions. It reads three aggregates,
whatever the number of students and answers: the class members' scenario answers counted per
version, step and choice; the versions they were given on (with each scenario's published
version, whose discussion questions are the newest); and the members' answers to scam check
items counted per tactic and channel. The rest is plain Python over those counts.

``topic_lesson_plan`` reads a topic's 15- and 40-minute lessons (``Topic.lesson_plan``) and the
topic's published scenarios in one language.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from awareness.models import Topic
from quizzes.models import (
    Answer,
    Channel,
    CheckAnswer,
    Classroom,
    Membership,
    Scenario,
    ScenarioVersion,
    Tactic,
)
from quizzes.play.mastery import CHANNELS, TACTICS, Cell

# A tactic is ranked only once the class has answered it this often (a rate of two answers
# says little about a class).
MIN_ANSWERS = 5
# The decision shown for a tactic is one the class answered at least this often, if any is.
MIN_DECISION_ANSWERS = 3
TEACH_COUNT = 3


# --- the heatmap and what to teach next ----------------------------------------------------


@dataclass
class HeatRow:
    tactic: str
    label: str
    cells: list[Cell]
    overall: Cell = field(default_factory=Cell)


@dataclass(frozen=True)
class PickedOption:
    key: str
    text: str
    count: int


@dataclass
class MissedDecision:
    """One decision the class answered: how many answered, how many unsafely, and with what."""

    scenario_id: int
    step_key: str
    answers: int = 0
    unsafe: int = 0
    picked: Counter = field(default_factory=Counter)  # unsafe choice key -> answers
    scenario_title: str = ""
    scenario_language: str = ""
    topic: str = ""  # the topic's slug
    topic_title: str = ""
    prompt: str = ""
    option_texts: dict[str, str] = field(default_factory=dict)
    discussion: list[str] = field(default_factory=list)

    @property
    def unsafe_share(self) -> float:
        return self.unsafe / self.answers if self.answers else 0.0

    @property
    def unsafe_percent(self) -> int:
        return round(100 * self.unsafe_share)

    @property
    def top_unsafe(self) -> PickedOption | None:
        """The unsafe option most picked (the first in the scenario's order on a tie)."""
        if not self.picked:
            return None
        order = list(self.option_texts)
        key = max(
            self.picked,
            key=lambda k: (self.picked[k], -order.index(k) if k in order else -len(order)),
        )
        return PickedOption(key, self.option_texts.get(key, key), self.picked[key])


@dataclass(frozen=True)
class TeachItem:
    row: HeatRow
    decision: MissedDecision | None


@dataclass
class TeachNext:
    rows: list[HeatRow]
    channels: list[tuple[str, str]]
    items: list[TeachItem]

    @property
    def answered(self) -> bool:
        return any(row.overall.answers for row in self.rows)

    @property
    def not_met(self) -> list[HeatRow]:
        return [row for row in self.rows if not row.overall.answers]


def _members(classroom: Classroom) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(classroom=classroom).values("student_id")


def _answer_counts(classroom: Classroom) -> list[dict[str, Any]]:
    """The members' answers, counted per version, step, choice (or ticks) and safety."""
    return list(
        Answer.objects.filter(attempt__user_id__in=_members(classroom))
        .values("attempt__version_id", "step_key", "kind", "choice_key", "selected", "is_safe")
        .annotate(n=Count("id"))
        .order_by()
    )


def _versions(version_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The versions answers were given on and the published versions of their scenarios."""
    if not version_ids:
        return {}
    published = Scenario.objects.filter(versions__in=version_ids).values("published_version_id")
    versions = ScenarioVersion.objects.filter(Q(pk__in=version_ids) | Q(pk__in=published))
    rows = versions.order_by().values(
        "pk",
        "number",
        "content",
        "scenario_id",
        "scenario__language",
        "scenario__published_title",
        "scenario__published_version_id",
        "scenario__published_topic__title",
    )
    return {row["pk"]: dict(row) for row in rows}


def _check_counts(classroom: Classroom) -> list[dict[str, Any]]:
    """The members' answers to scam check items, counted per item tactics and channel."""
    return list(
        CheckAnswer.objects.filter(session__user_id__in=_members(classroom), item__is_scam=True)
        .values("item__tactics", "item__channel", "says_scam")
        .annotate(n=Count("id"))
        .order_by()
    )


def classroom_teach_next(classroom: Classroom) -> TeachNext:
    """The class's heatmap of safe choices by tactic × channel and what to teach next (three
    queries at any size)."""
    answers = _answer_counts(classroom)
    versions = _versions({row["attempt__version_id"] for row in answers})
    checks = _check_counts(classroom)
    return teach_next_from(answers, versions, checks)


def teach_next_from(
    answers: list[dict[str, Any]],
    versions: dict[int, dict[str, Any]],
    checks: list[dict[str, Any]],
) -> TeachNext:
    labels = dict(Tactic.choices)
    rows = {
        t: HeatRow(t, str(labels[t]), [Cell() for _ in CHANNELS]) for t in TACTICS if t in labels
    }
    column = {channel: i for i, channel in enumerate(CHANNELS)}

    def mark(tactic: str, channel: str, right: int, total: int) -> None:
        row = rows.get(tactic)
        if row is None or channel not in column:
            return
        for cell in (row.cells[column[channel]], row.overall):
            cell.right += right
            cell.total += total
            cell.answers += total

    decisions: dict[tuple[int, str], MissedDecision] = {}
    tested: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for tally in answers:
        version = versions.get(tally["attempt__version_id"])
        step = _step(version, tally["step_key"])
        if version is None or step is None:
            continue
        n = tally["n"]
        channel = step.get("channel") or version["content"].get("channel", "")
        if step["kind"] == "decision":
            for tactic in step.get("tactics", []):
                mark(tactic, channel, n if tally["is_safe"] else 0, n)
            key = (version["scenario_id"], tally["step_key"])
            decision = decisions.setdefault(key, MissedDecision(*key))
            decision.answers += n
            if not tally["is_safe"]:
                decision.unsafe += n
                decision.picked[tally["choice_key"]] += n
            for tactic in step.get("tactics", []):
                tested[tactic].add(key)
        elif step["kind"] == "spot":
            selected = set(tally["selected"] or [])
            for option in step.get("options", []):
                if option.get("is_flag") and option.get("tactic"):
                    mark(option["tactic"], channel, n if option["key"] in selected else 0, n)
    for tally in checks:
        for tactic in tally["item__tactics"] or []:
            n = tally["n"]
            mark(tactic, tally["item__channel"], n if tally["says_scam"] else 0, n)

    items = []
    shown: set[tuple[int, str]] = set()
    for row in _most_missed(list(rows.values())):
        candidates = [decisions[k] for k in tested.get(row.tactic, ()) if decisions[k].unsafe]
        # A decision testing two of the tactics is shown once if another one will do.
        fresh = [d for d in candidates if (d.scenario_id, d.step_key) not in shown]
        worst = _worst(fresh or candidates)
        if worst is not None:
            shown.add((worst.scenario_id, worst.step_key))
            _describe(worst, versions)
        items.append(TeachItem(row, worst))
    return TeachNext(
        rows=list(rows.values()),
        channels=[(c, str(Channel(c).label)) for c in CHANNELS],
        items=items,
    )


def _step(version: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    if version is None:
        return None
    return next((s for s in version["content"].get("steps", []) if s.get("key") == key), None)


def _most_missed(rows: list[HeatRow]) -> list[HeatRow]:
    """The tactics with enough answers that the class got wrong at least once, lowest rate
    first (more answers first on a tie, then by name)."""
    ranked = [
        row
        for row in rows
        if row.overall.answers >= MIN_ANSWERS and row.overall.right < row.overall.total
    ]
    ranked.sort(key=lambda row: (row.overall.rate or 0.0, -row.overall.answers, row.label))
    return ranked[:TEACH_COUNT]


def _worst(candidates: list[MissedDecision]) -> MissedDecision | None:
    """The decision with the largest unsafe share, among those answered often enough if any
    are; more unsafe answers first on a tie."""
    enough = [d for d in candidates if d.answers >= MIN_DECISION_ANSWERS] or candidates
    if not enough:
        return None
    return max(enough, key=lambda d: (d.unsafe_share, d.unsafe, -d.scenario_id, d.step_key))


def _describe(decision: MissedDecision, versions: dict[int, dict[str, Any]]) -> None:
    """Names the decision from its scenario's versions: the published one first, then newest
    first (an option no longer in the scenario keeps the text it was answered with)."""
    own = [v for v in versions.values() if v["scenario_id"] == decision.scenario_id]
    own.sort(key=lambda v: (v["pk"] == v["scenario__published_version_id"], v["number"]))
    for version in own:  # oldest first, the published version last: later ones win
        content = version["content"]
        step = _step(version, decision.step_key)
        if step is None or step.get("kind") != "decision":
            continue
        decision.scenario_title = (
            version["scenario__published_title"] or content.get("title") or decision.scenario_title
        )
        decision.scenario_language = version["scenario__language"]
        decision.topic = content.get("topic", "") or decision.topic
        decision.topic_title = version["scenario__published_topic__title"] or decision.topic
        decision.prompt = step.get("prompt", "") or decision.prompt
        decision.option_texts.update({c["key"]: c["text"] for c in step.get("choices", [])})
        questions = [q for q in step.get("discussion", []) if isinstance(q, str) and q.strip()]
        if questions:
            decision.discussion = questions


# --- the printable lesson plan ---------------------------------------------------------------

LESSONS: list[tuple[str, int]] = [("short", 15), ("long", 40)]
MINUTES_RE = re.compile(
    r"\s*[(（]\s*(?P<n>\d{1,3})\s*(?:min|mins|minutes?|分钟)\s*\.?\s*[)）]\s*[.。]?\s*$",
    re.IGNORECASE,
)
# Minutes of each part when its text does not say: (short, long), as the shipped plans time them.
PARTS: list[tuple[str, Promise, tuple[int, int]]] = [
    ("warm_up", pgettext_lazy("lesson part", "Warm-up"), (2, 5)),
    ("play", pgettext_lazy("lesson part", "Play"), (7, 15)),
    ("discuss", pgettext_lazy("lesson part", "Discuss"), (4, 15)),
    ("check", pgettext_lazy("lesson part", "The check"), (2, 5)),
]


@dataclass(frozen=True)
class LessonPart:
    key: str
    label: str
    minutes: int
    paragraphs: list[str]
    points: list[str]


@dataclass(frozen=True)
class Lesson:
    kind: str  # "short" or "long"
    minutes: int
    parts: list[LessonPart]


@dataclass(frozen=True)
class LessonScenario:
    scenario: Scenario
    discussion: list[tuple[str, list[str]]]  # (the decision's prompt, its questions)


@dataclass(frozen=True)
class LessonPlan:
    topic: Topic
    lessons: list[Lesson]
    scenarios: list[LessonScenario]


def lessons_from(plan: Any) -> list[Lesson]:
    """The 15- and 40-minute lessons of a topic's ``lesson_plan``. A part is a text (blank
    lines between paragraphs; a closing "(3 min)" gives its length), a list of points, or
    {"minutes": n, "text": ...}; parts without a length take PARTS' and a lesson without any
    text is left out."""
    if not isinstance(plan, dict):
        return []
    lessons = []
    for index, (kind, _total) in enumerate(LESSONS):
        parts_in = plan.get(kind)
        if not isinstance(parts_in, dict):
            continue
        parts = []
        for key, label, default_minutes in PARTS:
            part = _part(key, str(label), default_minutes[index], parts_in.get(key))
            if part is not None:
                parts.append(part)
        if parts:
            lessons.append(Lesson(kind, sum(p.minutes for p in parts), parts))
    return lessons


def _part(key: str, label: str, minutes: int, value: Any) -> LessonPart | None:
    if isinstance(value, dict):
        given = value.get("minutes")
        if isinstance(given, int) and not isinstance(given, bool) and 0 < given <= 120:
            minutes = given
        value = value.get("text", value.get("points"))
    if isinstance(value, str) and value.strip():
        text = value.strip()
        # The pack's texts end with their length, "(3 min)" or "（3 分钟）": shown beside the
        # part's name instead.
        if (found := MINUTES_RE.search(text)) and 0 < int(found["n"]) <= 120:
            minutes, text = int(found["n"]), text[: found.start()].rstrip() or text
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        return LessonPart(key, label, minutes, paragraphs, [])
    if isinstance(value, list):
        points = [p.strip() for p in value if isinstance(p, str) and p.strip()]
        if points:
            return LessonPart(key, label, minutes, [], points)
    return None


def topic_lesson_plan(*, slug: str, language: str) -> LessonPlan | None:
    """The topic in ``language`` (else in English) with its lessons and its published
    scenarios in the topic's language, with their decisions' discussion questions (two
    queries)."""
    found = {t.language: t for t in Topic.objects.filter(slug=slug, language__in={language, "en"})}
    topic = found.get(language) or found.get("en")
    if topic is None:
        return None
    scenarios = (
        Scenario.objects.published()
        .filter(published_topic=topic, language=topic.language)
        .select_related("published_version")
        .order_by("position", "published_title", "pk")
    )
    return LessonPlan(
        topic=topic,
        lessons=lessons_from(topic.lesson_plan),
        scenarios=[LessonScenario(s, _discussion(s)) for s in scenarios],
    )


def _discussion(scenario: Scenario) -> list[tuple[str, list[str]]]:
    version = scenario.published_version
    if version is None:
        return []
    found = []
    for step in version.content.get("steps", []):
        questions = [q for q in step.get("discussion", []) if isinstance(q, str) and q.strip()]
        if step.get("kind") == "decision" and questions:
            found.append((step.get("prompt", ""), questions))
    return found
