"""Presentation of the teacher's class pages: SVG geometry and the labels beside the results,
and the rows of the assign page.

The selectors (``quizzes.classes.selectors``) return counts; the functions here turn them into
what the templates draw, through the filters in ``quizzes.templatetags.quizzes_extras``.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes.classes.results import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    Cell,
    OptionStat,
    ScenarioStats,
    StepStat,
    percent,
)
from quizzes.models import Attempt, Outcome, Scenario


def status_label(status: str) -> str:
    """ "Not started", "In progress" or "Finished"."""
    return {
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        COMPLETED: _("Finished"),
    }[status]


def outcome_label(outcome: str) -> str:
    """The outcome's name ("Stayed safe"...), or nothing for an attempt without one."""
    return str(Outcome(outcome).label) if outcome in Outcome.values else ""


def ending_phrase(outcome: str) -> str:
    """How an attempt ended, as a phrase that says so ("Safe ending", not a bare "Safe")."""
    phrases: dict[str, str] = {
        Outcome.SAFE.value: _("Safe ending"),
        Outcome.PARTLY_HARMED.value: _("Partly harmed ending"),
        Outcome.MISSED_OUT.value: _("Missed-out ending"),
        Outcome.HARMED.value: _("Harmed ending"),
    }
    return phrases.get(outcome, _("Finished"))


def safe_choices_phrase(attempt: Attempt) -> str:
    """ "1 of 2 choices safe" (a finished attempt) or "0 of 1 choice safe so far" (one in
    progress)."""
    n, safe = attempt.decisions, attempt.safe_decisions
    if not n:
        return _("no choice made yet")
    if attempt.status == Attempt.Status.COMPLETED:
        text = ngettext("%(safe)s of %(n)s choice safe", "%(safe)s of %(n)s choices safe", n)
    else:
        text = ngettext(
            "%(safe)s of %(n)s choice safe so far", "%(safe)s of %(n)s choices safe so far", n
        )
    return text % {"safe": safe, "n": n}


def result_cell(cell: Cell) -> SafeString:
    """One cell of the class's results: how the attempt that counts ended (or that it is in
    progress), its safe choices and how many attempts there were. Built here rather than by
    including a template for each of a class's hundreds of cells (a fifth of the time)."""
    attempt = cell.attempt
    if attempt is None:
        return format_html('<td class="c-ns">{}</td>', _("Not started"))
    if attempt.status == Attempt.Status.IN_PROGRESS:
        ending = format_html('<b class="o o-ip">{}</b>', _("In progress"))
    else:
        ending = format_html(
            '<b class="o o-{}">{}</b>', attempt.outcome, ending_phrase(attempt.outcome)
        )
    count = ""
    if cell.attempts > 1:
        label = ngettext("(%(n)s attempt)", "(%(n)s attempts)", cell.attempts)
        count = format_html("\n<small>{}</small>", label % {"n": cell.attempts})
    return format_html(
        '<td>{}\n<span class="cell-safe">· {}</span>{}</td>',
        ending,
        safe_choices_phrase(attempt),
        count,
    )


def option_row(step: StepStat, option: OptionStat) -> SafeString:
    """One row of a step's distribution: the choice (or phrase), whether it was safe (or a red
    flag), how many picked it and a bar. Built here rather than by template tags per row: a
    class's scenarios have hundreds of these rows (a fifth of the section's time)."""
    if step.kind == "decision":
        kind = _("Safe choice") if option.safe else _("Unsafe choice")
        if option.is_top_unsafe:
            kind = format_html("{} · <strong>{}</strong>", kind, _("Most-picked unsafe choice"))
    else:
        kind = _("Red flag") if option.safe else _("Not a red flag")
    return format_html(
        '<tr{}><th scope="row">{} <small class="d-block">{}</small></th>'
        '<td>{} ({}%)<svg class="dist-bar" viewBox="0 0 100 4" preserveAspectRatio="none"'
        ' aria-hidden="true"><rect width="{}" height="4" class="{}"/></svg></td></tr>',
        mark_safe(' class="top-unsafe"') if option.is_top_unsafe else "",
        option.text,
        kind,
        option.count,
        floatformat(option.percent, 0),
        svg_number(option.percent),
        "bar-safe" if option.safe else "bar-unsafe",
    )


@dataclass
class Segment:
    """One part of a stacked bar, with its text equivalent."""

    key: str
    label: str
    count: int
    percent: float
    x: str = "0"
    width: str = "0"


def svg_number(value: float) -> str:
    """A number for an SVG attribute: never localised (a decimal comma would break it)."""
    return f"{value:.1f}"


def outcome_segments(stats: ScenarioStats) -> list[Segment]:
    """The scenario's stacked bar: outcomes best first (missed out only when someone did),
    then in progress and not started."""
    parts = [
        (outcome, outcome_label(outcome), stats.outcomes[outcome])
        for outcome in Outcome.best_first()
        # "Missed out" happens only in genuine scenarios: no empty part for it elsewhere.
        if outcome != Outcome.MISSED_OUT or stats.outcomes[outcome]
    ]
    parts += [
        (IN_PROGRESS, status_label(IN_PROGRESS), stats.in_progress),
        (NOT_STARTED, status_label(NOT_STARTED), stats.not_started),
    ]
    segments, x = [], 0.0
    for key, label, count in parts:
        share = percent(count, stats.students)
        segments.append(
            Segment(
                key=key,
                label=label,
                count=count,
                percent=share,
                x=svg_number(x),
                width=svg_number(share),
            )
        )
        x += share
    return segments


@dataclass
class AssignRow:
    """One scenario in the assign page's list: already assigned (shown ticked and disabled),
    or ticked by the teacher in a submission that is shown again."""

    scenario: Scenario
    assigned: bool
    checked: bool


def assign_rows(
    scenarios: Iterable[Scenario], *, assigned: Collection[int], chosen: Collection[str]
) -> list[AssignRow]:
    """The assign page's rows, in the order of ``scenarios`` (by topic)."""
    return [
        AssignRow(scenario=s, assigned=s.pk in assigned, checked=str(s.pk) in chosen)
        for s in scenarios
    ]
