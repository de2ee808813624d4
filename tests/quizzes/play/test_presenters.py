"""The student's pages' presentation: the mastery grid's rows, built in Python."""

import pytest
from django.template import Context, Template
from django.utils import translation

from quizzes.play.mastery import Cell, TacticRow
from quizzes.play.presenters import mastery_cells, mastery_state_label


def row(state: str) -> TacticRow:
    return TacticRow(
        tactic="urgency",
        label="Urgency",
        cells=[
            Cell(right=3.5, total=4.0, answers=4),
            Cell(),
            Cell(right=0.0, total=1.0, answers=1),
        ],
        state=state,
    )


def test_a_row_gives_its_state_then_a_cell_per_channel():
    with translation.override("en"):
        html = mastery_cells(row("mastered"))
    assert html == (
        '<td class="mastery-state mastery-mastered">Mastered</td>'
        '<td class="mastery-cell mastery-high">88&nbsp;%</td>'
        '<td class="mastery-cell mastery-none"><span aria-label="not met">–</span></td>'
        '<td class="mastery-cell mastery-low">0&nbsp;%</td>'
    )


@pytest.mark.parametrize(
    ("state", "english", "chinese"),
    [
        ("mastered", "Mastered", "已掌握"),
        ("shaky", "Shaky", "不太稳"),
        ("learning", "Learning", "正在学"),
        ("not-met", "Not met yet", "还没遇到"),
    ],
)
def test_every_state_is_named_in_both_languages(state, english, chinese):
    with translation.override("en"):
        assert mastery_state_label(state) == english
    with translation.override("zh-hans"):
        assert mastery_state_label(state) == chinese
        assert f'mastery-{state}">{chinese}</td>' in mastery_cells(row(state))


def test_the_unmet_cell_is_named_in_chinese():
    with translation.override("zh-hans"):
        assert '<span aria-label="还没遇到">–</span>' in mastery_cells(row("learning"))


def test_the_template_tag_gives_the_presenter_s_row():
    template = Template("{% load quizzes_extras %}<tr>{% mastery_cells row %}</tr>")
    with translation.override("en"):
        html = template.render(Context({"row": row("shaky")}))
        assert html == f"<tr>{mastery_cells(row('shaky'))}</tr>"
