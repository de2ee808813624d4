"""Topics and scenarios built (and published) through the real services."""

from itertools import count
from typing import Any

from awareness.models import Topic
from quizzes.models import Scenario
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps

_seq = count(1)


def make_topic(slug: str = "phishing", language: str = "en", **extra):
    topic, _ = Topic.objects.get_or_create(
        language=language,
        slug=slug,
        defaults={
            "title": extra.pop("title", slug.replace("-", " ").title()),
            "summary": "A fraud type.",
            "body_markdown": "How it works.",
            **extra,
        },
    )
    return topic


def small_scenario_steps() -> list[dict]:
    """A branching scenario: message, decision (safe ends / unsafe goes on), spot, endings."""
    return [
        {
            "key": "m1",
            "kind": "message",
            "from": "Amy (recruiter)",
            "text": "Hi! Earn 300 a day just by liking videos. Interested?",
            "red_flags": [
                {
                    "quote": "Earn 300 a day just by liking videos",
                    "why": "Real jobs do not pay this much for trivial tasks.",
                    "tactic": "too-good-to-be-true",
                }
            ],
            "next": "d1",
        },
        {
            "key": "d1",
            "kind": "decision",
            "prompt": "What do you reply?",
            "tactics": ["too-good-to-be-true"],
            "choices": [
                {
                    "key": "a",
                    "text": "Ignore and block.",
                    "safe": True,
                    "feedback": "Right: easy-money offers from strangers are a lure.",
                    "next": "end-safe",
                },
                {
                    "key": "b",
                    "text": "Sounds great, tell me more!",
                    "safe": False,
                    "feedback": "This is how the task scam starts.",
                    "next": "n1",
                },
            ],
        },
        {"key": "n1", "kind": "narration", "text": "A day later…", "next": "s1"},
        {
            "key": "s1",
            "kind": "spot",
            "prompt": "Tap everything suspicious.",
            "from": "Amy (recruiter)",
            "text": "Top up 500 first to unlock VIP tasks. Have a nice day!",
            "options": [
                {
                    "key": "o1",
                    "quote": "Top up 500 first",
                    "is_flag": True,
                    "why": "Paying to get paid.",
                    "tactic": "pay-to-unlock",
                },
                {"key": "o2", "quote": "Have a nice day!", "is_flag": False, "why": "Polite."},
            ],
            "next": "d2",
        },
        {
            "key": "d2",
            "kind": "decision",
            "prompt": "Do you pay?",
            "tactics": ["pay-to-unlock"],
            "choices": [
                {
                    "key": "pay",
                    "text": "Pay the 500.",
                    "safe": False,
                    "feedback": "The money is gone.",
                    "next": "end-harm",
                },
                {
                    "key": "stop",
                    "text": "Stop and tell someone.",
                    "safe": True,
                    "feedback": "Good call.",
                    "next": "end-partly",
                },
            ],
        },
        {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "You kept your money."},
        {
            "key": "end-partly",
            "kind": "ending",
            "outcome": "partly-harmed",
            "text": "You lost time but no money.",
        },
        {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "The deposit is gone."},
    ]


def make_scenario(
    slug: str = "likes-for-money",
    *,
    language: str = "en",
    steps: list[dict] | None = None,
    publish: bool = True,
    **extra,
):
    """A scenario built through the services (and published, unless ``publish`` is False)."""
    topic = extra.pop("topic", None) or make_topic(language=language)
    steps = steps or small_scenario_steps()
    scenario = Scenario.objects.create(
        language=language,
        slug=slug,
        title=extra.pop("title", slug.replace("-", " ").capitalize()),
        summary=extra.pop("summary", "A stranger offers easy money."),
        topic=topic,
        channel=extra.pop("channel", "chat"),
        difficulty=extra.pop("difficulty", "easy"),
        translation_key=slug,
        start_key=steps[0]["key"],
        **extra,
    )
    scenario_replace_steps(scenario=scenario, steps=steps)
    if publish:
        scenario_publish(scenario=scenario)
        scenario.refresh_from_db()
    return scenario


def long_scenario_steps(decisions: int) -> list[dict]:
    """A chain of ``decisions`` decisions, each with a safe exit, for query-count tests."""
    steps: list[dict] = []
    for i in range(decisions):
        nxt = f"d{i + 1}" if i + 1 < decisions else "end-harm"
        steps.append(
            {
                "key": f"d{i}",
                "kind": "decision",
                "prompt": f"Decision {i}?",
                "tactics": ["urgency"],
                "choices": [
                    {"key": "go", "text": "Go on", "safe": False, "feedback": "Hm.", "next": nxt},
                    {
                        "key": "stop",
                        "text": "Stop",
                        "safe": True,
                        "feedback": "Yes.",
                        "next": "end-safe",
                    },
                ],
            }
        )
    steps.append({"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "Safe."})
    steps.append({"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "Harmed."})
    return steps


# d1: "a" is safe (on to the spot step), "b" and "c" are not (on to d2).
BRANCHING_STEPS: list[dict[str, Any]] = [
    {
        "key": "m1",
        "kind": "message",
        "from": "Amy (recruiter)",
        "text": "Earn 300 a day just by liking videos!",
        "red_flags": [
            {
                "quote": "Earn 300 a day",
                "why": "Too good to be true.",
                "tactic": "too-good-to-be-true",
            }
        ],
        "next": "d1",
    },
    {
        "key": "d1",
        "kind": "decision",
        "prompt": "What do you reply?",
        "choices": [
            {
                "key": "a",
                "text": "Ignore and block.",
                "safe": True,
                "feedback": "Right.",
                "next": "s1",
            },
            {
                "key": "b",
                "text": "Tell me more!",
                "safe": False,
                "feedback": "Risky.",
                "next": "d2",
            },
            {
                "key": "c",
                "text": "Send my ID card.",
                "safe": False,
                "feedback": "No!",
                "next": "d2",
            },
        ],
    },
    {
        "key": "s1",
        "kind": "spot",
        "prompt": "Tick everything suspicious.",
        "from": "Amy (recruiter)",
        "text": "Pay 500 now to unlock tasks. Our office is in town.",
        "options": [
            {
                "key": "f1",
                "quote": "Pay 500 now",
                "is_flag": True,
                "why": "Pay to unlock.",
                "tactic": "pay-to-unlock",
            },
            {"key": "n1", "quote": "Our office is in town", "is_flag": False, "why": "Harmless."},
        ],
        "next": "end-safe",
    },
    {
        "key": "d2",
        "kind": "decision",
        "prompt": "She asks for a 500 deposit. What now?",
        "choices": [
            {
                "key": "a",
                "text": "Stop and tell a parent.",
                "safe": True,
                "feedback": "Good.",
                "next": "end-partly",
            },
            {
                "key": "b",
                "text": "Pay the deposit.",
                "safe": False,
                "feedback": "Gone.",
                "next": "end-harm",
            },
        ],
    },
    {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "You kept your money."},
    {"key": "end-partly", "kind": "ending", "outcome": "partly-harmed", "text": "Your ID is out."},
    {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "The deposit is gone."},
]


def make_numbered_topic(language: str = "en") -> Topic:
    """A topic of its own (a new slug each time)."""
    slug = f"topic-{next(_seq)}"
    topic, _ = Topic.objects.get_or_create(
        language=language,
        slug=slug,
        defaults={"title": "Task scams", "summary": "Easy money.", "body_markdown": "How."},
    )
    return topic


def make_branching_scenario(
    title: str | None = None, *, language: str = "en", topic=None
) -> Scenario:
    """A published scenario with two decisions, a spot step and three endings."""
    n = next(_seq)
    scenario = Scenario.objects.create(
        language=language,
        slug=f"scenario-{n}",
        title=title or f"Scenario {n}",
        summary="A stranger offers easy money.",
        topic=topic or make_numbered_topic(language),
        channel="chat",
        difficulty="easy",
        start_key="m1",
    )
    scenario_replace_steps(scenario=scenario, steps=BRANCHING_STEPS)
    scenario_publish(scenario=scenario)
    scenario.refresh_from_db()
    return scenario
