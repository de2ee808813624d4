"""CSV exports of a class's results that spreadsheet programs open safely and correctly.

UTF-8 with a byte-order mark, so Excel reads Chinese names correctly; every text cell that a
spreadsheet could take for a formula is neutralised; bidirectional override characters are
removed so a name cannot disguise the cells around it.
"""

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from quizzes.check.selectors import CheckScore
from quizzes.classes.assigned import datetime_text
from quizzes.classes.presenters import outcome_label, status_label
from quizzes.classes.results import ClassResults
from quizzes.classes.selectors import AnswerRow

BOM = "\ufeff"
# Characters that start a formula in Excel, LibreOffice or Google Sheets (tab and carriage
# return too, per OWASP's guidance on CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def safe_cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet will evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return str(value)
    text = BIDI_CONTROLS.sub("", str(value))
    if text.startswith(FORMULA_TRIGGERS) or _first_visible(text) in FORMULA_TRIGGERS[:4]:
        return "'" + text
    return text


def _first_visible(text: str) -> str:
    """The first character a spreadsheet would show: past spaces and invisible format
    characters such as a right-to-left mark."""
    for ch in text:
        if not ch.isspace() and unicodedata.category(ch) != "Cf":
            return ch
    return ""


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """An attachment download: UTF-8 with BOM, CRLF line ends, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def _check_cells(score: CheckScore | None) -> list[object]:
    """Answers right (%), scams caught, real messages called scams; blank when not taken."""
    if score is None:
        return ["", "", ""]
    return [score.accuracy, score.hits, score.false_alarms]


def _detection_cells(scores: dict[str, Any], kind: str) -> list[object]:
    """d′, criterion c and AUC of the student's measure of this kind; blank when not taken."""
    score = scores.get(kind)
    if score is None:
        return ["", "", ""]
    return [f"{score.d_prime:.2f}", f"{score.criterion:.2f}", f"{score.auc:.2f}"]


def results_csv(results: ClassResults) -> HttpResponse:
    """One row per student × assigned scenario, each with the student's latest before and
    after check scores (repeated on each of the student's rows, so every row stands alone
    when filtered or sorted in a spreadsheet)."""
    header = [
        _("Student"),
        _("Scenario"),
        _("Language"),
        _("Due date"),
        _("Status"),
        _("Outcome"),
        _("Safe choices"),
        _("Decisions"),
        _("Safe-choice rate (%)"),
        _("Red flags found"),
        _("Red flags to find"),
        _("Attempts"),
        _("Started"),
        _("Finished"),
        _("Check before: answers right (%)"),
        _("Check before: scams caught"),
        _("Check before: false alarms"),
        _("Check after: answers right (%)"),
        _("Check after: scams caught"),
        _("Check after: false alarms"),
        *(
            f"{label}: {figure}"
            for label in (_("Check before"), _("Check after"), _("Check later"))
            for figure in ("d′", "c", "AUC")
        ),
    ]
    detection = results.impact.scores if results.impact else {}

    def rows():
        for row in results.rows:
            for cell in row.cells:
                attempt = cell.attempt
                yield [
                    row.label,
                    cell.assignment.scenario.published_title,
                    cell.assignment.scenario.language,
                    cell.assignment.due_date.isoformat() if cell.assignment.due_date else "",
                    status_label(cell.status),
                    outcome_label(cell.outcome),
                    attempt.safe_decisions if attempt else "",
                    attempt.decisions if attempt else "",
                    cell.safe_percent if cell.safe_percent is not None else "",
                    attempt.flags_found if attempt else "",
                    attempt.flags_total if attempt else "",
                    cell.attempts,
                    datetime_text(attempt.started_at) if attempt else "",
                    datetime_text(attempt.finished_at) if attempt else "",
                    *_check_cells(row.check_pre),
                    *_check_cells(row.check_post),
                    *(
                        cell
                        for kind in ("pre", "post", "later")
                        for cell in _detection_cells(detection.get(row.student.pk, {}), kind)
                    ),
                ]

    return csv_response(f"class-{results.classroom.pk}-results.csv", header, rows())


def answers_csv(classroom_pk: int, answer_rows: list[AnswerRow]) -> HttpResponse:
    """One row per answer, with the question and the chosen option in words."""
    header = [
        _("Student"),
        _("Scenario"),
        _("Attempt"),
        _("Attempt status"),
        _("Outcome"),
        _("Step"),
        _("Question"),
        _("Answer"),
        _("Safe"),
        _("Red flags found"),
        _("Red flags missed"),
        _("Wrongly flagged"),
        _("Answered"),
    ]

    def rows():
        for item in answer_rows:
            attempt, answer = item.detail.attempt, item.answer.answer
            yield [
                item.student,
                attempt.scenario.published_title,
                item.detail.number,
                status_label(attempt.status),
                outcome_label(attempt.outcome),
                answer.step_key,
                item.answer.prompt,
                item.answer.text,
                answer.is_safe,
                answer.flags_found if answer.kind == "spot" else "",
                answer.flags_missed if answer.kind == "spot" else "",
                answer.wrongly_flagged if answer.kind == "spot" else "",
                datetime_text(answer.created_at),
            ]

    return csv_response(f"class-{classroom_pk}-answers.csv", header, rows())
