"""What the live pages show, from content and votes: splits, the majority, the recap and the
signed-in students' rows (pure functions, no database)."""

from types import SimpleNamespace

from live.models import LiveSession
from live.presenters import majority_row, recap_of, split_of, student_rows
from live.selectors import Tally
from quizzes.scenarios import engine
from tests.live.conftest import live_steps

CONTENT = {"title": "t", "channel": "chat", "start": "m1", "steps": live_steps()}
STEPS = engine.steps_by_key(CONTENT)


def tally(voters: int, **counts: int) -> Tally:
    result = Tally(voters=voters)
    result.counts.update(counts)
    return result


def test_a_decision_split_follows_the_shown_order_with_shares():
    split = split_of(STEPS["d1"], tally(3, a=1, b=2), {"d1": ["b", "a"]}, followed="b")
    assert [(r.key, r.count, r.percent, r.safe, r.followed) for r in split.rows] == [
        ("b", 2, 67, False, True),
        ("a", 1, 33, True, False),
    ]
    assert [r.tone for r in split.rows] == ["is-risky", "is-safe"]
    assert majority_row(split).key == "b"


def test_a_spot_split_counts_ticks_out_of_the_voters():
    split = split_of(STEPS["s1"], tally(4, o1=3, o2=1), {})
    assert [(r.text, r.percent, r.tone) for r in split.rows] == [
        ("Top up 500 first", 75, "is-flag"),
        ("Have a nice day!", 25, "is-harmless"),
    ]


def test_no_votes_no_majority_and_a_tie_goes_to_the_first_shown():
    assert majority_row(split_of(STEPS["d1"], tally(0), {})) is None
    assert majority_row(split_of(STEPS["d1"], tally(2, a=1, b=1), {"d1": ["b", "a"]})).key == "b"


def test_the_recap_lists_revealed_steps_flags_and_the_outcome():
    session = LiveSession(
        state="step",
        current_key="end-harm",
        path=["m1", "d1", "n1", "s1", "d2", "end-harm"],
        followed={"d1": "b", "d2": "pay"},
        option_order={},
    )
    tallies = {"d1": tally(2, a=1, b=1), "d2": tally(1, pay=1)}
    recap = recap_of(CONTENT, session, tallies)
    assert [split.step["key"] for split in recap.splits] == ["d1", "s1", "d2"]
    assert recap.splits[1].voters == 0  # nobody ticked anything: still listed
    assert [row.followed for row in recap.splits[2].rows] == [True, False]
    assert [flag["quote"] for flag in recap.flags] == [
        "Earn 300 a day just by liking videos",
        "Top up 500 first",
    ]
    assert recap.outcome == "harmed"
    # The step still open for votes is not in the recap.
    session.current_key, session.path = "d2", session.path[:-1]
    assert [split.step["key"] for split in recap_of(CONTENT, session, tallies).splits] == [
        "d1",
        "s1",
    ]


def test_each_student_row_shows_their_choice_or_flags_found():
    session = LiveSession(state="ended", current_key="d2", path=["m1", "d1", "n1", "s1", "d2"])
    session.followed, session.option_order = {"d1": "b"}, {}
    recap = recap_of(CONTENT, session, {})
    votes = {
        "d1": SimpleNamespace(choice_key="b", selected=[], is_safe=False),
        "s1": SimpleNamespace(choice_key="", selected=["o1"], is_safe=True),
    }
    (row,) = student_rows(recap, [("Mei", votes)])
    assert [(cell.text, cell.safe) for cell in row.cells] == [
        ("Sounds great, tell me more!", False),
        ("1/1", True),
        ("–", None),
    ]
