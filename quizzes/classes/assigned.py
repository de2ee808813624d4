"""The student's side of classes: the classes joined and the work assigned (home page,
progress page, join page)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from awareness.models import User
from quizzes.classes.results import COMPLETED, IN_PROGRESS, NOT_STARTED
from quizzes.models import (
    Assignment,
    Attempt,
    Membership,
    Outcome,
    Scenario,
)

DUE_SOON_DAYS = 3


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
