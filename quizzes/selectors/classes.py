"""Reads for the teacher's class pages, the CSV exports and the student's "assigned to you".

Every selector here runs a fixed number of queries, whatever the number of students,
scenarios, attempts and answers (the tests hold them to it), and shows a student to a teacher
by display name only: a username appears only to the teacher who created that account.
Scenarios are named by their ``published_*`` fields, never by the draft's.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db.models import Case, Count, Max, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from awareness.models import User
from quizzes.models import (
    Answer,
    Assignment,
    Attempt,
    CheckSession,
    Classroom,
    Membership,
    Outcome,
    Scenario,
    ScenarioVersion,
)
from quizzes.selectors.check import CheckScore, classroom_check_scores

NOT_STARTED = "not-started"
IN_PROGRESS = Attempt.Status.IN_PROGRESS.value
COMPLETED = Attempt.Status.COMPLETED.value
DUE_SOON_DAYS = 3

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


def status_label(status: str) -> str:
    return {
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        COMPLETED: _("Finished"),
    }[status]


def outcome_label(outcome: str) -> str:
    return str(Outcome(outcome).label) if outcome in Outcome.values else ""


def student_label(student: User, *, teacher: User, number: int) -> str:
    """How a teacher sees a student: their display name; the username only for accounts this
    teacher created; otherwise "Student <n>" (never another class's username)."""
    if student.display_name.strip():
        return student.display_name
    if student.created_by_id == teacher.pk:
        return student.username
    return _("Student %(number)d") % {"number": number}


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


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


# --- the results matrix ----------------------------------------------------------------


@dataclass
class Cell:
    """One student on one assigned scenario: the attempt that counts and how many there were.

    The attempt that counts is the first one finished (later retries know the answers); if
    none is finished, the latest one in progress.
    """

    assignment: Assignment
    attempt: Attempt | None = None
    attempts: int = 0

    @property
    def status(self) -> str:
        return self.attempt.status if self.attempt else NOT_STARTED

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def outcome(self) -> str:
        return self.attempt.outcome if self.attempt else ""

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def safe_rate(self) -> float | None:
        return self.attempt.safe_rate if self.attempt else None

    @property
    def safe_percent(self) -> int | None:
        rate = self.safe_rate
        return None if rate is None else round(100 * rate)

    @property
    def sort_key(self) -> tuple[int, float]:
        rank = {NOT_STARTED: 0, IN_PROGRESS: 1}.get(self.status, 2)
        if self.status == COMPLETED:
            # Harmed (or an unknown outcome) adds nothing, partly harmed 1, safe 2.
            rank += max(Outcome.rank(self.outcome) - 1, 0)
        rate = self.safe_rate
        return rank, -1.0 if rate is None else rate


@dataclass
class StudentRow:
    membership: Membership
    student: User
    label: str
    created_by_teacher: bool
    cells: list[Cell] = field(default_factory=list)
    # The latest finished spot-the-scam checks, before and after (None: not taken).
    check_pre: CheckScore | None = None
    check_post: CheckScore | None = None

    @property
    def check_change(self) -> int | None:
        """After minus before, in percentage points of answers right; None without both."""
        if self.check_pre is None or self.check_post is None:
            return None
        if self.check_pre.accuracy is None or self.check_post.accuracy is None:
            return None
        return self.check_post.accuracy - self.check_pre.accuracy

    @property
    def check_change_size(self) -> int | None:
        change = self.check_change
        return None if change is None else abs(change)

    @property
    def completed(self) -> int:
        return sum(1 for cell in self.cells if cell.status == COMPLETED)

    @property
    def safe_rate(self) -> float | None:
        counted = [cell.attempt for cell in self.cells if cell.attempt]
        decisions = sum(a.decisions for a in counted)
        return sum(a.safe_decisions for a in counted) / decisions if decisions else None

    @property
    def safe_percent(self) -> int | None:
        rate = self.safe_rate
        return None if rate is None else round(100 * rate)


@dataclass
class OptionStat:
    key: str
    text: str
    safe: bool
    count: int = 0
    percent: float = 0.0
    is_top_unsafe: bool = False


@dataclass
class StepStat:
    key: str
    kind: str  # "decision" or "spot"
    prompt: str
    answered: int = 0
    options: list[OptionStat] = field(default_factory=list)

    @property
    def top_unsafe(self) -> OptionStat | None:
        return next((o for o in self.options if o.is_top_unsafe), None)


@dataclass
class ScenarioStats:
    assignment: Assignment
    students: int
    completed: int = 0
    in_progress: int = 0
    outcomes: Counter = field(default_factory=Counter)
    safe_decisions: int = 0
    decisions: int = 0
    steps: list[StepStat] = field(default_factory=list)

    @property
    def scenario(self) -> Scenario:
        return self.assignment.scenario

    @property
    def not_started(self) -> int:
        return self.students - self.completed - self.in_progress

    @property
    def safe_percent(self) -> int | None:
        return round(percent(self.safe_decisions, self.decisions)) if self.decisions else None


@dataclass
class CheckAverage:
    """The class on one kind of check (before or after): totals over the students who took
    it, shown as averages per student."""

    students: int = 0
    hits: int = 0
    scams: int = 0
    false_alarms: int = 0
    genuine: int = 0
    correct: int = 0
    total: int = 0

    def add(self, score: CheckScore) -> None:
        self.students += 1
        self.hits += score.hits
        self.scams += score.scams
        self.false_alarms += score.false_alarms
        self.genuine += score.genuine
        self.correct += score.correct
        self.total += score.total

    def _mean(self, value: int) -> float | None:
        return value / self.students if self.students else None

    @property
    def accuracy(self) -> int | None:
        return round(percent(self.correct, self.total)) if self.total else None

    @property
    def mean_hits(self) -> float | None:
        return self._mean(self.hits)

    @property
    def mean_scams(self) -> float | None:
        return self._mean(self.scams)

    @property
    def mean_false_alarms(self) -> float | None:
        return self._mean(self.false_alarms)

    @property
    def mean_genuine(self) -> float | None:
        return self._mean(self.genuine)


@dataclass
class CheckOverview:
    """The class's before and after averages, and the mean change of the students who took
    both (a difference of the two averages would compare different groups of students)."""

    pre: CheckAverage = field(default_factory=CheckAverage)
    post: CheckAverage = field(default_factory=CheckAverage)
    taken: int = 0  # students who finished at least one check
    both: int = 0
    change_total: int = 0

    @property
    def change(self) -> int | None:
        return round(self.change_total / self.both) if self.both else None

    @property
    def change_size(self) -> int | None:
        change = self.change
        return None if change is None else abs(change)


def _check_overview(rows: list[StudentRow]) -> CheckOverview:
    overview = CheckOverview()
    for row in rows:
        if row.check_pre is not None or row.check_post is not None:
            overview.taken += 1
        if row.check_pre is not None:
            overview.pre.add(row.check_pre)
        if row.check_post is not None:
            overview.post.add(row.check_post)
        if row.check_change is not None:
            overview.both += 1
            overview.change_total += row.check_change
    return overview


@dataclass
class ClassResults:
    classroom: Classroom
    assignments: list[Assignment]
    rows: list[StudentRow]
    scenarios: list[ScenarioStats] = field(default_factory=list)
    checks: CheckOverview | None = None  # None when the check scores were not asked for

    @property
    def student_count(self) -> int:
        return len(self.rows)


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


def _step_options(step: dict[str, Any]) -> list[tuple[str, str, bool]]:
    if step["kind"] == "decision":
        return [(c["key"], c["text"], bool(c["safe"])) for c in step["choices"]]
    return [(o["key"], o["quote"], bool(o["is_flag"])) for o in step["options"]]


def _step_stats(
    contents: list[dict[str, Any]], picks: Counter, answered: Counter
) -> list[StepStat]:
    """Decision and spot steps with how many picked each option; the published version's
    steps first, then steps only older versions had (if anyone answered them)."""
    stats: dict[str, StepStat] = {}
    for index, content in enumerate(contents):
        for step in content.get("steps", []):
            if step["kind"] not in ("decision", "spot"):
                continue
            if index > 0 and step["key"] not in stats and not answered[step["key"]]:
                continue
            stat = stats.setdefault(
                step["key"], StepStat(key=step["key"], kind=step["kind"], prompt=step["prompt"])
            )
            known = {o.key for o in stat.options}
            for key, text, safe in _step_options(step):
                if key not in known and (index == 0 or picks[(step["key"], key)]):
                    stat.options.append(OptionStat(key=key, text=text, safe=safe))
    for stat in stats.values():
        stat.answered = answered[stat.key]
        for option in stat.options:
            option.count = picks[(stat.key, option.key)]
            option.percent = percent(option.count, stat.answered)
        if stat.kind == "decision":
            unsafe = [o for o in stat.options if not o.safe and o.count]
            if unsafe:
                max(unsafe, key=lambda o: o.count).is_top_unsafe = True
    return list(stats.values())


def classroom_results_stamp(classroom: Classroom) -> str:
    """A fingerprint of everything the class's results are computed from: it changes whenever
    the results could, so a page rendered from them can be cached under it.

    Four small queries: the students with their names, the assigned scenarios with due dates,
    published titles and versions, the number and latest change of the class's attempts on
    them (an answer changes its attempt; versions never change), and the number and latest
    finish of the students' finished checks (a check's answers are all in when it finishes).
    """
    students = (
        Membership.objects.filter(classroom=classroom)
        .order_by("pk")
        .values_list(
            "pk", "student_id", "student__display_name", "student__username", "student__created_by"
        )
    )
    assigned = (
        Assignment.objects.filter(classroom=classroom)
        .order_by("pk")
        .values_list(
            "pk",
            "scenario_id",
            "due_date",
            "scenario__published_title",
            "scenario__published_version",
            "scenario__updated_at",
        )
    )
    student_ids = Membership.objects.filter(classroom=classroom).values("student_id")
    scenario_ids = Assignment.objects.filter(classroom=classroom).values("scenario_id")
    activity = Attempt.objects.filter(user__in=student_ids, scenario__in=scenario_ids).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    checks = CheckSession.objects.filter(user__in=student_ids, finished_at__isnull=False).aggregate(
        count=Count("pk"), latest=Max("finished_at")
    )
    parts = (list(students), list(assigned), activity, checks)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


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
    memberships = _memberships(classroom)
    assignments = _assignments(classroom)
    counted = _counted_attempts(_class_attempts(classroom))
    rows = _rows(classroom, memberships, assignments, counted)
    results = ClassResults(classroom=classroom, assignments=assignments, rows=rows)
    if checks:
        scores = classroom_check_scores([row.student.pk for row in rows])
        for row in rows:
            row.check_pre = scores[row.student.pk][CheckSession.Kind.PRE.value]
            row.check_post = scores[row.student.pk][CheckSession.Kind.POST.value]
        results.checks = _check_overview(rows)
    if not details:
        return results

    counted_attempts = [attempt for attempt, _total in counted.values()]
    contents = _reference_contents(assignments, counted_attempts)
    picks: dict[int, Counter] = defaultdict(Counter)
    answered: dict[int, Counter] = defaultdict(Counter)
    scenario_of = {a.pk: a.scenario_id for a in counted_attempts}
    if scenario_of:
        answers = Answer.objects.filter(attempt_id__in=list(scenario_of)).values_list(
            "attempt_id", "step_key", "kind", "choice_key", "selected"
        )
        for attempt_id, step_key, kind, choice_key, selected in answers:
            scenario_id = scenario_of[attempt_id]
            answered[scenario_id][step_key] += 1
            keys = [choice_key] if kind == "decision" else list(selected or [])
            for key in keys:
                picks[scenario_id][(step_key, key)] += 1

    for assignment in assignments:
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
        stats.steps = _step_stats(
            contents.get(assignment.scenario_id, []),
            picks[assignment.scenario_id],
            answered[assignment.scenario_id],
        )
        results.scenarios.append(stats)
    return results


SORTS = ("name", "completed", "rate")


def sort_rows(results: ClassResults, sort: str) -> tuple[str, bool]:
    """Sort the matrix rows in place by ``sort`` ("name", "completed", "rate" or "a<assignment
    id>", with "-" for descending); unknown values sort by name. Returns (key, descending)."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    columns = {f"a{a.pk}": index for index, a in enumerate(results.assignments)}
    if key == "completed":
        results.rows.sort(key=lambda r: (r.completed, r.label.casefold()), reverse=descending)
    elif key == "rate":
        results.rows.sort(
            key=lambda r: (-1.0 if r.safe_rate is None else r.safe_rate, r.label.casefold()),
            reverse=descending,
        )
    elif key in columns:
        index = columns[key]
        results.rows.sort(
            key=lambda r: (r.cells[index].sort_key, r.label.casefold()), reverse=descending
        )
    else:
        key = "name"
        results.rows.sort(key=lambda r: r.label.casefold(), reverse=descending)
    return key, descending


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

    @property
    def status_label(self) -> str:
        return status_label(self.attempt.status)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.attempt.outcome)


def describe_answer(content: dict[str, Any], answer: Answer) -> tuple[str, str]:
    """(the step's prompt, the answer in words) from the version the attempt was played on."""
    step = next((s for s in content.get("steps", []) if s["key"] == answer.step_key), None)
    if step is None:
        return answer.step_key, answer.choice_key or ", ".join(answer.selected or [])
    options = {key: text for key, text, _safe in _step_options(step)}
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


# --- the student's side: classes joined, work assigned -----------------------------------


def student_classrooms(student: User) -> QuerySet[Membership]:
    """The classes a student is in, with their teachers (one query)."""
    return (
        Membership.objects.filter(student=student)
        .select_related("classroom__teacher")
        .order_by("classroom__is_archived", "classroom__name")
    )


@dataclass
class StudentAssignment:
    """A scenario assigned to the student, with its due date and where the student stands."""

    scenario: Scenario
    classroom_names: list[str]
    due_date: date | None
    status: str = NOT_STARTED
    outcome: str = ""
    today: date = field(default_factory=timezone.localdate)

    @property
    def url(self) -> str:
        return self.scenario.get_absolute_url()

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def is_done(self) -> bool:
        return self.status == COMPLETED

    @property
    def is_overdue(self) -> bool:
        return self.due_date is not None and not self.is_done and self.due_date < self.today

    @property
    def is_due_soon(self) -> bool:
        return (
            self.due_date is not None
            and not self.is_done
            and self.today <= self.due_date <= self.today + timedelta(days=DUE_SOON_DAYS)
        )


def student_assignments(user: User) -> list[StudentAssignment]:
    """What the student's active classes assigned them (published scenarios only): unfinished
    work first, soonest due date first. Two queries: assignments, the student's attempts."""
    if not user.is_authenticated:
        return []
    assignments = (
        Assignment.objects.filter(
            classroom__memberships__student=user,
            classroom__is_archived=False,
            scenario__status=Scenario.Status.PUBLISHED,
        )
        .select_related("scenario", "classroom")
        .only(
            "id",
            "due_date",
            "created_at",
            "scenario_id",
            "classroom_id",
            "scenario__slug",
            "scenario__published_title",
            "scenario__language",
            "scenario__estimated_minutes",
            "classroom__name",
        )
        .order_by("created_at", "id")
    )
    today = timezone.localdate()
    items: dict[int, StudentAssignment] = {}
    for assignment in assignments:
        item = items.get(assignment.scenario_id)
        if item is None:
            items[assignment.scenario_id] = StudentAssignment(
                scenario=assignment.scenario,
                classroom_names=[assignment.classroom.name],
                due_date=assignment.due_date,
                today=today,
            )
            continue
        # The same scenario from two classes: listed once, with the earlier due date.
        item.classroom_names.append(assignment.classroom.name)
        if assignment.due_date and (item.due_date is None or assignment.due_date < item.due_date):
            item.due_date = assignment.due_date
    if not items:
        return []
    attempts = (
        Attempt.objects.filter(user=user, scenario_id__in=list(items))
        .values_list("scenario_id", "status", "outcome")
        .order_by("started_at", "id")
    )
    for scenario_id, status, outcome in attempts:
        item = items[scenario_id]
        if status == COMPLETED:
            if item.status != COMPLETED or Outcome.rank(outcome) > Outcome.rank(item.outcome):
                item.outcome = outcome
            item.status = COMPLETED
        elif item.status == NOT_STARTED:
            item.status = IN_PROGRESS
    far = date.max
    return sorted(
        items.values(),
        key=lambda i: (i.is_done, i.due_date or far, i.scenario.published_title.casefold()),
    )


def datetime_text(value: datetime | None) -> str:
    """A timestamp for exports: ISO 8601 in the site's time zone, to the second."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
