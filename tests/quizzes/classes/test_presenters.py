"""The class results' presentation (stacked-bar segments, SVG numbers, their template filters)
and the one ranking of outcomes they and the selectors share."""

from collections import Counter

import pytest
from django.template import Context, Template
from django.utils import translation

from quizzes.classes.presenters import option_row, outcome_segments, result_cell, svg_number
from quizzes.classes.results import (
    COMPLETED,
    IN_PROGRESS,
    Cell,
    OptionStat,
    ScenarioStats,
    StepStat,
)
from quizzes.models import Assignment, Attempt, Outcome


def stats(students: int, outcomes: dict[str, int], in_progress: int = 0) -> ScenarioStats:
    return ScenarioStats(
        assignment=Assignment(),
        students=students,
        completed=sum(outcomes.values()),
        in_progress=in_progress,
        outcomes=Counter(outcomes),
    )


def test_svg_numbers_have_one_decimal_and_a_point_in_every_language():
    with translation.override("de"):
        assert svg_number(100 / 3) == "33.3"
    assert svg_number(0) == "0.0"
    assert svg_number(12.25) == "12.2"


def test_segments_are_outcomes_best_first_then_in_progress_then_not_started():
    with translation.override("en"):
        segments = outcome_segments(stats(5, {"harmed": 1, "safe": 2}, in_progress=1))
    assert [(s.key, s.count) for s in segments] == [
        ("safe", 2),
        ("partly-harmed", 0),
        ("harmed", 1),
        ("in-progress", 1),
        ("not-started", 1),
    ]
    assert [s.label for s in segments] == [
        "Safe",
        "Partly harmed",
        "Harmed",
        "In progress",
        "Not started",
    ]


def test_missed_out_has_a_segment_only_when_someone_missed_out():
    with translation.override("en"):
        segments = outcome_segments(stats(3, {"safe": 1, "missed-out": 1}))
    assert [(s.key, s.count, s.label) for s in segments][:3] == [
        ("safe", 1, "Safe"),
        ("partly-harmed", 0, "Partly harmed"),
        ("missed-out", 1, "Missed out"),
    ]


def test_segments_follow_each_other_along_the_bar():
    segments = outcome_segments(stats(4, {"safe": 1, "partly-harmed": 1}, in_progress=1))
    assert [(s.x, s.width) for s in segments] == [
        ("0.0", "25.0"),
        ("25.0", "25.0"),
        ("50.0", "0.0"),
        ("50.0", "25.0"),
        ("75.0", "25.0"),
    ]
    assert [s.percent for s in segments] == [25.0, 25.0, 0.0, 25.0, 25.0]


def test_a_class_without_students_has_an_empty_bar():
    segments = outcome_segments(stats(0, {}))
    assert {(s.count, s.x, s.width) for s in segments} == {(0, "0.0", "0.0")}


def test_the_template_filters_give_the_same_as_the_presenters():
    template = Template(
        "{% load quizzes_extras %}{{ value|svg_number }}|"
        "{% for s in stats|outcome_segments %}{{ s.key }}={{ s.width }} {% endfor %}"
    )
    with translation.override("de"):
        html = template.render(Context({"value": 2 / 3 * 100, "stats": stats(2, {"safe": 1})}))
    assert html == "66.7|safe=50.0 partly-harmed=0.0 harmed=0.0 in-progress=0.0 not-started=50.0 "


def test_the_one_ranking_orders_outcomes_as_before():
    # The rankings it replaced: engine.OUTCOME_RANK and student_assignments' "best" (with 0
    # for no outcome), the results' OUTCOME_ORDER, and Cell.sort_key's harmed < partly < safe.
    values = ("safe", "partly-harmed", "missed-out", "harmed", "")
    assert {value: Outcome.rank(value) for value in values} == {
        "safe": 4,
        "partly-harmed": 3,
        "missed-out": 2,
        "harmed": 1,
        "": 0,
    }
    assert Outcome.rank("no-such-outcome") == 0
    assert Outcome.best_first() == ["safe", "partly-harmed", "missed-out", "harmed"]
    assert sorted(["harmed", "safe", "", "partly-harmed"], key=Outcome.rank) == [
        "",
        "harmed",
        "partly-harmed",
        "safe",
    ]


@pytest.mark.parametrize(
    ("status", "outcome", "rank"),
    [
        ("in-progress", "", 1),
        ("completed", "harmed", 2),
        ("completed", "no-such-outcome", 2),
        ("completed", "missed-out", 3),
        ("completed", "partly-harmed", 4),
        ("completed", "safe", 5),
    ],
)
def test_a_results_column_sorts_by_status_then_outcome_as_before(status, outcome, rank):
    attempt = Attempt(status=status, outcome=outcome, decisions=0)
    assert Cell(assignment=Assignment(), attempt=attempt).sort_key[0] == rank
    assert Cell(assignment=Assignment()).sort_key[0] == 0  # not started


def attempt_of(status: str, outcome: str = "", decisions: int = 2, safe: int = 1) -> Attempt:
    return Attempt(status=status, outcome=outcome, decisions=decisions, safe_decisions=safe)


@pytest.mark.parametrize(
    ("cell", "english", "chinese"),
    [
        (Cell(Assignment()), ['class="c-ns"', "Not started"], ["未开始"]),
        (
            Cell(Assignment(), attempt_of(IN_PROGRESS, decisions=1, safe=0), 1),
            ['class="o o-ip"', "In progress", "0 of 1 choice safe so far"],
            ["进行中"],
        ),
        (
            Cell(Assignment(), attempt_of(COMPLETED, Outcome.HARMED), 3),
            ['class="o o-harmed"', "Harmed ending", "1 of 2 choices safe", "(3 attempts)"],
            ["<small>"],
        ),
        (
            Cell(Assignment(), attempt_of(COMPLETED, Outcome.SAFE, decisions=0, safe=0), 1),
            ["Safe ending", "no choice made yet"],
            [],
        ),
    ],
)
def test_a_results_cell_says_how_the_attempt_ended_in_both_languages(cell, english, chinese):
    html = str(result_cell(cell))
    assert html.startswith("<td") and html.endswith("</td>")
    assert all(part in html for part in english), html
    assert ("<small>" in html) == (cell.attempts > 1)
    with translation.override("zh-hans"):
        translated = str(result_cell(cell))
    assert all(part in translated for part in chinese), translated
    # Every English word is translated (the CSS classes stay).
    words = [part for part in english if not part.startswith(("class=", "("))]
    assert not [word for word in words if word in translated], translated


def test_a_cell_escapes_what_it_is_given():
    attempt = attempt_of(COMPLETED, '"><script>')
    assert "<script>" not in str(result_cell(Cell(Assignment(), attempt, 1)))


@pytest.mark.parametrize(
    ("kind", "option", "says"),
    [
        ("decision", OptionStat("a", "Ask a parent", True, 3, 75.0), "Safe choice"),
        ("decision", OptionStat("b", "Pay", False, 1, 25.0), "Unsafe choice"),
        ("spot", OptionStat("f1", "Act now", True, 2, 50.0), "Red flag"),
        ("spot", OptionStat("n1", "Hi", False, 0, 0.0), "Not a red flag"),
    ],
)
def test_a_distribution_row_says_what_the_option_was_and_how_many_picked_it(kind, option, says):
    step = StepStat("d1", kind, "What do you do?", answered=4, options=[option])
    html = str(option_row(step, option))
    assert html.startswith("<tr><th") and html.endswith("</tr>")
    assert f">{option.text} <small" in html and f">{says}</small>" in html
    assert f"<td>{option.count} ({option.percent:.0f}%)<svg" in html
    assert f'<rect width="{option.percent:.1f}"' in html  # never a decimal comma
    assert ("bar-safe" in html) == option.safe and "Most-picked" not in html


def test_the_most_picked_unsafe_choice_is_marked_in_both_languages():
    option = OptionStat("b", "Tell me more!", False, 2, 66.7, is_top_unsafe=True)
    step = StepStat("d1", "decision", "What do you reply?", answered=3, options=[option])
    html = str(option_row(step, option))
    assert html.startswith('<tr class="top-unsafe">')
    assert "Unsafe choice · <strong>Most-picked unsafe choice</strong>" in html
    assert "(67%)" in html and 'width="66.7"' in html
    with translation.override("zh-hans"):
        translated = str(option_row(step, option))
    assert "Most-picked" not in translated and "Unsafe choice" not in translated


def test_a_distribution_row_escapes_the_option_text():
    option = OptionStat("x", '<script>alert("x")</script>', False, 1, 100.0)
    html = str(option_row(StepStat("d1", "decision", "?", 1, [option]), option))
    assert "<script>" not in html and "&lt;script&gt;" in html
