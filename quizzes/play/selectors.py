"""Reads for the scenario list, the play pages and the student's progress."""

from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import QuerySet

from awareness.models import Topic, User
from quizzes.models import Answer, Attempt, Channel, Outcome, Scenario
from quizzes.scenarios import engine

FALLBACK_LANGUAGE = "en"


# A topic's page, which lists of scenarios never show (long text and JSON decoded per row).
TOPIC_PAGE_FIELDS = ("body_markdown", "body_html", "red_flags", "what_to_do", "lesson_plan")


def published_scenarios(language: str) -> QuerySet[Scenario]:
    """Published scenarios in ``language``, or in English when none exist in it.

    Pages show their ``published_*`` fields (never the draft's, which editors may be changing).
    """
    base = (
        Scenario.objects.published()
        .select_related("published_topic")
        .defer(*(f"published_topic__{name}" for name in TOPIC_PAGE_FIELDS))
    )
    if language != FALLBACK_LANGUAGE and not base.filter(language=language).exists():
        language = FALLBACK_LANGUAGE
    return base.filter(language=language).order_by("position", "published_title", "pk")


def scenario_for_slug(slug: str, language: str) -> Scenario | None:
    """The published scenario with this slug in the user's language, else in English."""
    candidates = [
        s
        for s in Scenario.objects.published()
        .select_related("published_topic")
        .filter(slug=slug, language__in={language, FALLBACK_LANGUAGE})
    ]
    candidates.sort(key=lambda s: s.language != language)
    return candidates[0] if candidates else None


def next_unplayed_scenario(
    scenario: Scenario, user: User | None, visitor_id: str = ""
) -> Scenario | None:
    """The first published scenario in ``scenario``'s language, other than it, that the player
    has never started (one query, however many attempts the player has)."""
    if user is not None and user.is_authenticated:
        played = Attempt.objects.filter(user=user)
    elif visitor_id:
        played = Attempt.objects.filter(user__isnull=True, visitor_id=visitor_id)
    else:
        played = Attempt.objects.none()
    return (
        published_scenarios(scenario.language)
        .exclude(pk=scenario.pk)
        .exclude(pk__in=played.values("scenario_id"))
        .first()
    )


@dataclass
class ScenarioState:
    status: str = "new"  # new, in-progress, completed: where the latest attempt stands
    best_outcome: str = ""  # of every finished attempt, so set once any attempt finished
    latest_outcome: str = ""
    open_attempt_id: int | None = None  # the latest attempt, if it is unfinished
    attempts: int = 0

    @property
    def completed(self) -> bool:
        """Finished at least once (a newer attempt may be in progress)."""
        return bool(self.best_outcome)


def scenario_states(
    user: User | None, visitor_id: str = "", scenario: Scenario | None = None
) -> dict[int, ScenarioState]:
    """Per scenario id: the player's state (the latest attempt's) and best outcome; of one
    scenario only when ``scenario`` is given (its intro page)."""
    if user is not None and user.is_authenticated:
        attempts = Attempt.objects.filter(user=user)
    elif visitor_id:
        attempts = Attempt.objects.filter(user__isnull=True, visitor_id=visitor_id)
    else:
        return {}
    if scenario is not None:
        attempts = attempts.filter(scenario=scenario)
    fields = ("id", "scenario_id", "status", "outcome", "started_at")
    return scenario_states_from(list(attempts.only(*fields).order_by("started_at", "id")))


def messages_before(content: dict[str, Any], path: list[str], stop_key: str) -> list[str]:
    """The keys shown between the previous stop and ``stop_key`` (the lead-up to a decision);
    when that stop was a spot step, its message too: the conversation goes on from it."""
    steps = engine.steps_by_key(content)
    index = path.index(stop_key)
    start = index
    while start > 0 and steps[path[start - 1]]["kind"] not in engine.STOP_KINDS:
        start -= 1
    if start > 0 and steps[path[start - 1]]["kind"] == "spot":
        start -= 1
    return path[start:index]


@dataclass
class PlayedScenario:
    scenario: Scenario
    state: ScenarioState


@dataclass
class SafeRate:
    """Safe choices out of all choices, for a channel or a fraud type."""

    decisions: int = 0
    safe: int = 0

    @property
    def rate(self) -> int | None:
        return round(100 * self.safe / self.decisions) if self.decisions else None

    @property
    def weak(self) -> bool:
        return bool(self.decisions) and self.safe / self.decisions < WEAK_RATE

    def add(self, attempt: Attempt) -> None:
        self.decisions += attempt.decisions
        self.safe += attempt.safe_decisions


@dataclass
class ChannelRate(SafeRate):
    channel: str = ""  # the channel's name, in the player's language


@dataclass
class TopicRate(SafeRate):
    topic: Topic | None = None


@dataclass
class ProgressSummary:
    completed: list[PlayedScenario]
    in_progress: list[PlayedScenario]
    overall: SafeRate
    per_channel: list[ChannelRate]
    suggestions: list[Scenario]
    to_review: list[TopicRate] = field(default_factory=list)
    # The published scenarios (SUGGESTION_FIELDS), for "what to practise"
    # (quizzes.play.mastery.practice_for), which would otherwise read them again.
    published: list[Scenario] = field(default_factory=list)

    @property
    def finished(self) -> set[int]:
        """The ids of the scenarios finished at least once."""
        return {played.scenario.pk for played in self.completed}

    @property
    def decisions(self) -> int:
        return self.overall.decisions

    @property
    def safe_decisions(self) -> int:
        return self.overall.safe

    @property
    def safe_rate(self) -> int | None:
        return self.overall.rate


WEAK_RATE = 0.75  # below this share of safe choices, a channel or fraud type needs review


def _played(attempts: list[Attempt]) -> tuple[list[PlayedScenario], list[PlayedScenario]]:
    """The scenarios finished and those in progress (both at once when a finished scenario
    is being played again)."""
    scenarios = {a.scenario_id: a.scenario for a in attempts}
    completed, in_progress = [], []
    for scenario_id, state in scenario_states_from(attempts).items():
        played = PlayedScenario(scenarios[scenario_id], state)
        if state.completed:
            completed.append(played)
        if state.open_attempt_id:
            in_progress.append(played)
    return completed, in_progress


def _rates(attempts: list[Attempt]) -> tuple[SafeRate, dict[str, ChannelRate], list[TopicRate]]:
    """Safe choices overall, per channel and per fraud type (the topic a scenario is listed
    under when published)."""
    overall = SafeRate()
    labels = dict(Channel.choices)
    channels: dict[str, ChannelRate] = {}
    topics: dict[int, TopicRate] = {}
    for attempt in attempts:
        overall.add(attempt)
        channel = attempt.scenario.published_channel
        channels.setdefault(channel, ChannelRate(channel=str(labels[channel]))).add(attempt)
        topic = attempt.scenario.published_topic
        if topic is not None:
            topics.setdefault(topic.pk, TopicRate(topic=topic)).add(attempt)
    return overall, channels, list(topics.values())


def _to_review(topics: list[TopicRate]) -> list[TopicRate]:
    """The fraud types where the student was fooled most, worst first: what to read again."""
    weak = [row for row in topics if row.weak and row.topic is not None]
    return sorted(weak, key=lambda r: (r.rate, -r.decisions, cast(Topic, r.topic).position))


SUGGESTION_FIELDS = (
    "slug",
    "position",
    "published_title",
    "published_channel",
    "published_topic",
    "published_tactics",
)


def _suggestions(
    listed: list[Scenario], played: set[int], weak_topics: set[int], weak_channels: set[str]
) -> list[Scenario]:
    """Scenarios not played yet, those on the student's weak fraud types and channels first."""
    fresh = [s for s in listed if s.pk not in played]
    fresh.sort(
        key=lambda s: (
            s.published_topic_id not in weak_topics,
            s.published_channel not in weak_channels,
            s.position,
            s.published_title,
        )
    )
    return fresh


# What /progress/ shows of an attempt, its scenario and the scenario's fraud type.
PROGRESS_FIELDS = (
    "scenario_id",
    "status",
    "outcome",
    "decisions",
    "safe_decisions",
    "started_at",
    "scenario__slug",
    "scenario__position",
    "scenario__published_title",
    "scenario__published_channel",
    "scenario__published_topic__slug",
    "scenario__published_topic__title",
    "scenario__published_topic__position",
)


def student_progress(user: User, language: str) -> ProgressSummary:
    """Everything /progress/ shows, in a fixed number of queries."""
    attempts = list(
        Attempt.objects.filter(user=user)
        .select_related("scenario__published_topic")
        .only(*PROGRESS_FIELDS)  # not the path and option order (JSON decoded per row)
        .order_by("started_at", "id")
    )
    completed, in_progress = _played(attempts)
    overall, channels, topics = _rates(attempts)
    to_review = _to_review(topics)
    published = list(published_scenarios(language).select_related(None).only(*SUGGESTION_FIELDS))
    suggestions = _suggestions(
        published,
        played={a.scenario_id for a in attempts},
        weak_topics={cast(Topic, row.topic).pk for row in to_review},
        weak_channels={key for key, row in channels.items() if row.weak},
    )
    return ProgressSummary(
        completed=completed,
        in_progress=in_progress,
        overall=overall,
        per_channel=[channels[key] for key in sorted(channels)],
        suggestions=suggestions[:3],
        to_review=to_review[:3],
        published=published,
    )


def scenario_states_from(attempts: list[Attempt]) -> dict[int, ScenarioState]:
    """States from attempts given oldest first: the latest attempt says where the player
    stands (starting again leaves an older unfinished attempt behind for good), and any
    finished attempt counts as completing the scenario."""
    states: dict[int, ScenarioState] = {}
    for attempt in attempts:
        state = states.setdefault(attempt.scenario_id, ScenarioState())
        state.attempts += 1
        if attempt.status == Attempt.Status.COMPLETED:
            state.latest_outcome = attempt.outcome
            if Outcome.rank(attempt.outcome) > Outcome.rank(state.best_outcome):
                state.best_outcome = attempt.outcome
            state.open_attempt_id = None
        else:
            state.open_attempt_id = attempt.pk
    for state in states.values():
        state.status = (
            "in-progress" if state.open_attempt_id else ("completed" if state.completed else "new")
        )
    return states


def attempt_answers(attempt: Attempt) -> dict[str, Answer]:
    return {answer.step_key: answer for answer in attempt.answers.all()}
