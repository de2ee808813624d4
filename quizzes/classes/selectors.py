"""Reads for the teacher's class pages and the CSV exports.

Every selector here runs a fixed number of queries, whatever the number of students,
scenarios, attempts and answers (the tests hold them to it), and shows a student to a teacher
by display name only: a username appears only to the teacher who created that account.
Scenarios are named by their ``published_*`` fields, never by the draft's.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Case, Count, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from awareness.models import User
from quizzes.check.impact import class_impact
from quizzes.check.selectors import classroom_check_scores
from quizzes.classes.results import (
    COMPLETED,
    Cell,
    CheckOverview,
    ClassResults,
    ScenarioStats,
    StudentRow,
    check_overview,
    step_options,
    step_stats,
)
from quizzes.models import (
    Answer,
    Assignment,
    Attempt,
    CheckSession,
    Classroom,
    Membership,
    Scenario,
    ScenarioVersion,
)

_STUDENT_FIELDS = ("id", "username", "display_name", "created_by", "role")
_ATTEMPT_FIELDS = (
    "id",
    "user",
    "scenario",
    "version",
    "status",
    "outcome",
    "decisions",
    "safe_decisions",
    "flags_found",
    "flags_total",
    "started_at",
    "finished_at",
)


def student_label(student: User, *, teacher: User, number: int) -> str:
    """How a teacher sees a student: their display name; the username only for accounts this
    teacher created; otherwise "Student <n>" (never another class's username)."""
    if student.display_name.strip():
        return student.display_name
    if student.created_by_id == teacher.pk:
        return student.username
    return _("Student %(number)d") % {"number": number}


def member_labels(classroom: Classroom) -> list[tuple[int, str]]:
    """The class's students in joining order, each with the name their teacher sees (one
    query; ``classroom.teacher`` as set by ``class_for_teacher``)."""
    memberships = (
        Membership.objects.filter(classroom=classroom)
        .select_related("student")
        .order_by("joined_at", "id")
    )
    return [
        (m.student_id, student_label(m.student, teacher=classroom.teacher, number=number))
        for number, m in enumerate(memberships, start=1)
    ]


# --- the teacher's list of classes ------------------------------------------------------


def teacher_classrooms(teacher: User) -> QuerySet[Classroom]:
    """The teacher's own classes with student and assignment counts (one query)."""
    return Classroom.objects.filter(teacher=teacher).annotate(
        student_count=Count("memberships", distinct=True),
        assignment_count=Count("assignments", distinct=True),
    )


def assignable_scenarios(language: str) -> QuerySet[Scenario]:
    """Published scenarios a teacher can assign, the current language first."""
    own_language_first = Case(When(language=language, then=Value(0)), default=Value(1))
    return (
        Scenario.objects.published()
        .only(
            "id",
            "published_title",
            "language",
            "published_difficulty",
            "position",
            "published_min_age",
        )
        .order_by(own_language_first, "language", "position", "published_title")
    )


def _class_attempts(classroom: Classroom) -> QuerySet[Attempt]:
    """Attempts of the class's current students on the class's assigned scenarios."""
    return (
        Attempt.objects.filter(
            user_id__in=Membership.objects.filter(classroom=classroom).values("student_id"),
            scenario_id__in=Assignment.objects.filter(classroom=classroom).values("scenario_id"),
        )
        .only(*_ATTEMPT_FIELDS)
        .order_by("started_at", "id")
    )


def _counted_attempts(attempts: Iterable[Attempt]) -> dict[tuple[int, int], tuple[Attempt, int]]:
    """Per (student, scenario): the attempt that counts and the number of attempts."""
    chosen: dict[tuple[int, int], Attempt] = {}
    totals: Counter = Counter()
    for attempt in attempts:  # oldest first
        # Class members' attempts, so user_id is set (it is optional for visitors' attempts).
        key = (cast(int, attempt.user_id), attempt.scenario_id)
        totals[key] += 1
        current = chosen.get(key)
        if current is None or current.status != COMPLETED:
            chosen[key] = attempt
    return {key: (attempt, totals[key]) for key, attempt in chosen.items()}


def _memberships(classroom: Classroom) -> list[Membership]:
    return list(
        Membership.objects.filter(classroom=classroom)
        .select_related("student")
        .only(
            "id", "joined_at", "classroom", "student", *[f"student__{f}" for f in _STUDENT_FIELDS]
        )
        .order_by("joined_at", "id")
    )


def _assignments(classroom: Classroom) -> list[Assignment]:
    return list(
        Assignment.objects.filter(classroom=classroom)
        .select_related("scenario")
        .defer("scenario__summary", "scenario__published_summary")
        .order_by("created_at", "id")
    )


def _rows(
    classroom: Classroom,
    memberships: list[Membership],
    assignments: list[Assignment],
    counted: dict[tuple[int, int], tuple[Attempt, int]],
) -> list[StudentRow]:
    rows = []
    for number, membership in enumerate(memberships, start=1):
        student = membership.student
        row = StudentRow(
            membership=membership,
            student=student,
            label=student_label(student, teacher=classroom.teacher, number=number),
            created_by_teacher=student.created_by_id == classroom.teacher_id,
        )
        for assignment in assignments:
            attempt, total = counted.get((student.pk, assignment.scenario_id), (None, 0))
            row.cells.append(Cell(assignment=assignment, attempt=attempt, attempts=total))
        rows.append(row)
    rows.sort(key=lambda r: r.label.casefold())
    return rows


def _reference_contents(
    assignments: list[Assignment], counted: Iterable[Attempt]
) -> dict[int, list[dict[str, Any]]]:
    """Per scenario: the contents to label answers with, the published version's first, then
    older versions that attempts were played on (newest first)."""
    published = {a.scenario_id: a.scenario.published_version_id for a in assignments}
    wanted = {pk for pk in published.values() if pk} | {a.version_id for a in counted}
    if not wanted:
        return {}
    versions = list(ScenarioVersion.objects.filter(pk__in=wanted).order_by("-number"))
    contents: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for version in versions:
        if version.pk == published.get(version.scenario_id):
            contents[version.scenario_id].insert(0, version.content)
    for version in versions:
        if version.pk != published.get(version.scenario_id):
            contents[version.scenario_id].append(version.content)
    return contents


def _add_check_scores(rows: list[StudentRow]) -> CheckOverview:
    """Each student's latest finished check before and after (one query), and the class's
    averages."""
    scores = classroom_check_scores([row.student.pk for row in rows])
    for row in rows:
        row.check_pre = scores[row.student.pk][CheckSession.Kind.PRE.value]
        row.check_post = scores[row.student.pk][CheckSession.Kind.POST.value]
    return check_overview(rows)


def _answer_picks(attempts: list[Attempt]) -> tuple[dict[int, Counter], dict[int, Counter]]:
    """Per scenario: how many picked each (step, option), and how many answered each step,
    over the answers of the attempts that count (one query)."""
    picks: dict[int, Counter] = defaultdict(Counter)
    answered: dict[int, Counter] = defaultdict(Counter)
    scenario_of = {a.pk: a.scenario_id for a in attempts}
    if not scenario_of:
        return picks, answered
    answers = Answer.objects.filter(attempt_id__in=list(scenario_of)).values_list(
        "attempt_id", "step_key", "kind", "choice_key", "selected"
    )
    for attempt_id, step_key, kind, choice_key, selected in answers:
        scenario_id = scenario_of[attempt_id]
        answered[scenario_id][step_key] += 1
        for key in [choice_key] if kind == "decision" else list(selected or []):
            picks[scenario_id][(step_key, key)] += 1
    return picks, answered


def _scenario_stats(
    assignment: Assignment,
    rows: list[StudentRow],
    counted: dict[tuple[int, int], tuple[Attempt, int]],
) -> ScenarioStats:
    """Completion, outcomes and safe choices of the class on one assigned scenario."""
    stats = ScenarioStats(assignment=assignment, students=len(rows))
    for row in rows:
        attempt, _total = counted.get((row.student.pk, assignment.scenario_id), (None, 0))
        if attempt is None:
            continue
        if attempt.status == COMPLETED:
            stats.completed += 1
            stats.outcomes[attempt.outcome] += 1
        else:
            stats.in_progress += 1
        stats.decisions += attempt.decisions
        stats.safe_decisions += attempt.safe_decisions
    return stats


def classroom_results(
    classroom: Classroom, *, details: bool = True, checks: bool = True
) -> ClassResults:
    """The class's results: students × assigned scenarios; with ``checks``, each student's
    latest before and after check and the class's averages; with ``details``, per-scenario
    completion, outcomes and how many picked each option of every decision.

    Queries: memberships with students, assignments with scenarios, attempts; with checks
    the check scores of all the students (one query); with details also the scenario
    versions involved and the answers of the attempts that count.
    """
    assignments = _assignments(classroom)
    counted = _counted_attempts(_class_attempts(classroom))
    rows = _rows(classroom, _memberships(classroom), assignments, counted)
    results = ClassResults(classroom=classroom, assignments=assignments, rows=rows)
    if checks:
        results.checks = _add_check_scores(rows)
        results.impact = class_impact(row.student.pk for row in rows)
    if not details:
        return results
    counted_attempts = [attempt for attempt, _total in counted.values()]
    contents = _reference_contents(assignments, counted_attempts)
    picks, answered = _answer_picks(counted_attempts)
    for assignment in assignments:
        stats = _scenario_stats(assignment, rows, counted)
        scenario_id = assignment.scenario_id
        stats.steps = step_stats(
            contents.get(scenario_id, []), picks[scenario_id], answered[scenario_id]
        )
        results.scenarios.append(stats)
    return results


# --- one student's attempts and answers, and the answer-level export ---------------------


@dataclass
class AnswerDetail:
    answer: Answer
    prompt: str
    text: str  # the chosen option, or the phrases ticked on a spot step

    @property
    def is_safe(self) -> bool:
        return self.answer.is_safe


@dataclass
class AttemptDetail:
    attempt: Attempt
    number: int  # 1 for the student's first attempt on this scenario
    answers: list[AnswerDetail] = field(default_factory=list)

    @property
    def scenario(self) -> Scenario:
        return self.attempt.scenario


def describe_answer(content: dict[str, Any], answer: Answer) -> tuple[str, str]:
    """(the step's prompt, the answer in words) from the version the attempt was played on."""
    step = next((s for s in content.get("steps", []) if s["key"] == answer.step_key), None)
    if step is None:
        return answer.step_key, answer.choice_key or ", ".join(answer.selected or [])
    options = {key: text for key, text, _safe in step_options(step)}
    if answer.kind == "decision":
        return step["prompt"], options.get(answer.choice_key, answer.choice_key)
    ticked = [options.get(key, key) for key in answer.selected or []]
    return step["prompt"], pgettext("list separator", "; ").join(ticked)


def _attempt_details(attempts: list[Attempt], answers: Iterable[Answer]) -> list[AttemptDetail]:
    numbers: Counter = Counter()
    details: dict[int, AttemptDetail] = {}
    for attempt in attempts:  # oldest first
        numbers[(attempt.user_id, attempt.scenario_id)] += 1
        details[attempt.pk] = AttemptDetail(
            attempt=attempt, number=numbers[(attempt.user_id, attempt.scenario_id)]
        )
    for answer in answers:
        detail = details[answer.attempt_id]
        prompt, text = describe_answer(detail.attempt.version.content, answer)
        detail.answers.append(AnswerDetail(answer=answer, prompt=prompt, text=text))
    return list(details.values())


def classroom_student(
    classroom: Classroom, student_id: int
) -> tuple[StudentRow, list[AttemptDetail]] | None:
    """One student of the class: their row of the matrix and every attempt on the class's
    assigned scenarios with each answer, or None if they are not in the class."""
    results = classroom_results(classroom, details=False, checks=False)
    row = next((r for r in results.rows if r.student.pk == student_id), None)
    if row is None:
        return None
    attempts = list(
        _class_attempts(classroom)
        .filter(user_id=student_id)
        .select_related("scenario", "version")
        .only(
            *_ATTEMPT_FIELDS,
            "scenario__published_title",
            "scenario__language",
            "version__content",
        )
    )
    answers = Answer.objects.filter(attempt__in=[a.pk for a in attempts]).order_by(
        "attempt_id", "created_at", "id"
    )
    details = _attempt_details(attempts, answers)
    details.sort(key=lambda d: (d.attempt.scenario.published_title.casefold(), d.number))
    return row, details


@dataclass
class AnswerRow:
    student: str
    detail: AttemptDetail
    answer: AnswerDetail


def classroom_answers(classroom: Classroom) -> list[AnswerRow]:
    """Every answer of the class's students on its assigned scenarios, one row each.

    Queries: memberships, assignments (for names and order), attempts, versions, answers.
    """
    memberships = _memberships(classroom)
    # Looked up by the attempts' user_id, which is optional (visitors' attempts have none).
    labels: dict[int | None, str] = {
        m.student.pk: student_label(m.student, teacher=classroom.teacher, number=n)
        for n, m in enumerate(memberships, start=1)
    }
    assignments = {a.scenario_id: a for a in _assignments(classroom)}
    attempts = list(_class_attempts(classroom))
    versions = (
        {v.pk: v for v in ScenarioVersion.objects.filter(pk__in={a.version_id for a in attempts})}
        if attempts
        else {}
    )
    for attempt in attempts:
        attempt.version = versions[attempt.version_id]
        attempt.scenario = assignments[attempt.scenario_id].scenario
    answers = (
        Answer.objects.filter(attempt_id__in=[a.pk for a in attempts]).order_by(
            "attempt_id", "created_at", "id"
        )
        if attempts
        else []
    )
    details = _attempt_details(attempts, answers)
    details.sort(
        key=lambda d: (
            labels[d.attempt.user_id].casefold(),
            d.attempt.scenario.published_title.casefold(),
            d.number,
        )
    )
    return [
        AnswerRow(student=labels[d.attempt.user_id], detail=d, answer=answer)
        for d in details
        for answer in d.answers
    ]
