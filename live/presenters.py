"""What the live pages show, from the frozen content, the session's path and the votes counted:
the split of a step (count, share, bar width, safe or not), the red flags of the step shown,
and the class's recap. Pure functions: no database access."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from live.models import LiveSession
from live.selectors import Tally
from quizzes.play.selectors import messages_before
from quizzes.play.simulation import Mark, simulation_html, spot_message_html
from quizzes.scenarios import engine


@dataclass
class SplitRow:
    """One choice (or spot option) with its votes. ``percent`` is a whole number 0-100 used
    for the bar's width class; the count and the words are always shown next to it."""

    key: str
    kind: str  # the step's: "decision" or "spot"
    text: str
    count: int
    percent: int
    safe: bool  # a safe choice, or a spot option that is a red flag
    why: str = ""
    followed: bool = False

    @property
    def tone(self) -> str:
        """The row's CSS class: a decision's choice is safe or risky; a spot option is a red
        flag or harmless (its share: those who ticked it)."""
        if self.kind == "spot":
            return "is-flag" if self.safe else "is-harmless"
        return "is-safe" if self.safe else "is-risky"


@dataclass
class Split:
    step: dict[str, Any]
    voters: int
    rows: list[SplitRow]


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def split_of(
    step: dict[str, Any], tally: Tally, order: dict[str, list[str]], followed: str = ""
) -> Split:
    """The votes on ``step`` option by option, in the session's shown order. For a spot step
    each option's share is of the voters (each ticks several)."""
    rows = []
    for option in engine.in_shown_order(step, order):
        count = tally.counts[option["key"]]
        if step["kind"] == "decision":
            text, safe, why = option["text"], bool(option["safe"]), option.get("feedback", "")
        else:
            text, safe, why = option["quote"], bool(option["is_flag"]), option.get("why", "")
        rows.append(
            SplitRow(
                key=option["key"],
                kind=step["kind"],
                text=text,
                count=count,
                percent=_percent(count, tally.voters),
                safe=safe,
                why=why,
                followed=option["key"] == followed,
            )
        )
    return Split(step=step, voters=tally.voters, rows=rows)


def shown_messages_html(
    content: dict[str, Any], session: LiveSession, *, with_flags: bool
) -> SafeString:
    """The messages leading up to the current step (since the previous stop), as their channel;
    red flags marked once revealed. A spot step's own message is drawn by ``spot_html``."""
    keys = messages_before(content, session.path, session.current_key)
    return simulation_html(content, keys, with_flags=with_flags)


def spot_html(content: dict[str, Any], step: dict[str, Any], *, with_flags: bool) -> SafeString:
    """A spot step's message; once revealed, its red flags marked and numbered."""
    if not with_flags:
        return spot_message_html(content, step)
    flags = [option for option in step["options"] if option["is_flag"]]
    marks = [
        (option["quote"], option.get("field", ""), Mark("flag", number))
        for number, option in enumerate(flags, start=1)
    ]
    return spot_message_html(content, step, marks)


@dataclass
class Recap:
    genuine: bool
    outcome: str
    splits: list[Split] = field(default_factory=list)  # decisions and spot steps, in order
    flags: list[dict[str, Any]] = field(default_factory=list)  # quote, why


def recap_of(content: dict[str, Any], session: LiveSession, tallies: dict[str, Tally]) -> Recap:
    """The class's play: every decision and spot step on the path with its split (and the
    branch followed), every red flag met on the way, the outcome reached."""
    steps = engine.steps_by_key(content)
    recap = Recap(genuine=bool(content.get("genuine")), outcome="")
    for key in session.path:
        step = steps[key]
        if step["kind"] in {"message", "spot"}:
            recap.flags += [{"quote": f["quote"], "why": f["why"]} for f in engine.red_flags(step)]
        # Every vote taken, except the one still open on the step shown.
        still_open = key == session.current_key and session.state == "step"
        if step["kind"] in {"decision", "spot"} and not still_open:
            tally = tallies.get(key, Tally())
            followed = session.followed.get(key, "")
            recap.splits.append(split_of(step, tally, session.option_order, followed))
        if step["kind"] == "ending":
            recap.outcome = step.get("outcome", "")
    return recap


def majority_row(split: Split) -> SplitRow | None:
    """The choice most voted for; a tie goes to the one shown first. None without votes."""
    best = None
    for row in split.rows:
        if row.count and (best is None or row.count > best.count):
            best = row
    return best


@dataclass
class StudentCell:
    text: str
    safe: bool | None  # None: did not vote on this step


@dataclass
class StudentRow:
    label: str
    cells: list[StudentCell]


def student_rows(recap: Recap, students: list[tuple[str, dict[str, Any]]]) -> list[StudentRow]:
    """Each signed-in student's vote on each step of the recap: the choice (a decision) or the
    red flags ticked out of all (a spot step), and whether it was safe."""
    rows = []
    for label, votes in students:
        cells = []
        for split in recap.splits:
            vote = votes.get(split.step["key"])
            if vote is None:
                cells.append(StudentCell("–", None))
            elif split.step["kind"] == "decision":
                text = next((r.text for r in split.rows if r.key == vote.choice_key), "")
                cells.append(StudentCell(text, vote.is_safe))
            else:
                flags = [r.key for r in split.rows if r.safe]
                found = len(set(flags) & set(vote.selected))
                cells.append(StudentCell(f"{found}/{len(flags)}", vote.is_safe))
        rows.append(StudentRow(label, cells))
    return rows
