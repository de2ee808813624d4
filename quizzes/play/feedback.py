"""What the feedback on one answer shows: the choice made, or each spot option found, missed,
wrongly ticked or rightly left alone, marked in the message. Shared by attempts, previews and
practice."""

from typing import Any

from quizzes.play.simulation import Mark, spot_message_html
from quizzes.scenarios import engine


def answer_feedback(
    content: dict[str, Any], step: dict[str, Any], answer: Any, order: dict[str, list[str]]
) -> dict[str, Any]:
    """Template context for the feedback include; ``answer`` has ``choice_key`` and
    ``selected`` (an Answer, a PracticeAnswer or a preview's record)."""
    if step["kind"] == "decision":
        return {"choice": engine.find_choice(step, answer.choice_key)}
    selected = set(answer.selected)
    marks = []
    explained = []
    for option in engine.in_shown_order(step, order):
        if option["is_flag"]:
            state = "found" if option["key"] in selected else "missed"
        else:
            state = "wrong" if option["key"] in selected else "fine"
        marks.append((option["quote"], option.get("field", ""), Mark(f"spot-{state}")))
        explained.append({"option": option, "state": state})
    return {
        "spot_message": spot_message_html(content, step, marks),
        "spot_options": explained,
    }
