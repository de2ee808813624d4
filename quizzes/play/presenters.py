"""Presentation of the student's pages: parts of /progress/ built in Python rather than by
template tags in loops (the mastery grid has a cell for every trick and channel)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from quizzes.play.mastery import TacticRow


def mastery_state_label(state: str) -> str:
    """ "Mastered", "Shaky", "Learning" or "Not met yet"."""
    labels = {"mastered": _("Mastered"), "shaky": _("Shaky"), "learning": _("Learning")}
    return labels.get(state, _("Not met yet"))


def mastery_cells(row: TacticRow) -> SafeString:
    """A row of the mastery grid after its heading: the trick's state in words, then its share
    of right answers on each channel (a dash, named "not met", where it was never met). About
    a hundred cells a page: built here, a tenth of the template's time by tags."""
    not_met = format_html('<span aria-label="{}">–</span>', _("not met"))
    cells = format_html_join(
        "",
        '<td class="mastery-cell mastery-{}">{}</td>',
        (
            (cell.level, format_html("{}&nbsp;%", cell.percent) if cell.answers else not_met)
            for cell in row.cells
        ),
    )
    return format_html(
        '<td class="mastery-state mastery-{}">{}</td>{}',
        row.state,
        mastery_state_label(row.state),
        cells,
    )
