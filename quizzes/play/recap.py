"""The ending's recap: every decision with the player's choice and, where it was not safe, the
better one; every red flag met on the way (quote and why), and for spot steps whether the
player found it. Pure functions over the played content, the path and the answers."""

from dataclasses import dataclass, field
from typing import Any

from quizzes.scenarios import engine


@dataclass
class RecapDecision:
    prompt: str
    chosen: str
    safe: bool
    feedback: str
    better: list[str] = field(default_factory=list)  # the safe choices, when this one was not


@dataclass
class RecapFlag:
    quote: str
    why: str
    found: bool | None = None  # None: shown in a message, not asked about


@dataclass
class Recap:
    genuine: bool
    decisions: list[RecapDecision]
    flags: list[RecapFlag]


def recap(content: dict[str, Any], path: list[str], answers: dict[str, Any]) -> Recap:
    """What the player met on ``path``, in the order they met it. ``answers`` maps a step key
    to its answer (``choice_key``, ``selected``)."""
    steps = engine.steps_by_key(content)
    decisions, flags = [], []
    for key in path:
        step = steps[key]
        answer = answers.get(key)
        if step["kind"] == "message":
            flags += [RecapFlag(f["quote"], f["why"]) for f in step.get("red_flags", [])]
        elif step["kind"] == "spot" and answer is not None:
            selected = set(answer.selected or [])
            flags += [
                RecapFlag(o["quote"], o["why"], found=o["key"] in selected)
                for o in step["options"]
                if o["is_flag"]
            ]
        elif step["kind"] == "decision" and answer is not None:
            choice = engine.find_choice(step, answer.choice_key)
            if choice is None:
                continue
            decisions.append(
                RecapDecision(
                    prompt=step["prompt"],
                    chosen=choice["text"],
                    safe=bool(choice["safe"]),
                    feedback=choice["feedback"],
                    better=[]
                    if choice["safe"]
                    else [c["text"] for c in step["choices"] if c["safe"]],
                )
            )
    return Recap(genuine=bool(content.get("genuine")), decisions=decisions, flags=flags)
