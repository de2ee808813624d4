"""Fingerprints of a class's data, for the class page's three cached parts: the results, what
to teach next and the boosters due. Each part is kept in the shared cache under a stamp of what
it is computed from, so that a change shows at once whichever server answers; the three stamps
come from one set of reads (five small queries at any class size) rather than three.

Each stamp covers only what its own part reads, so that, say, an answer (which changes the
results) does not throw away the boosters, which read every answer of every member.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from quizzes.models import Assignment, Attempt, CheckSession, Classroom, Membership, Scenario


@dataclass(frozen=True)
class ClassStamps:
    results: str
    teach_next: str
    boosters: str


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def class_stamps(classroom: Classroom) -> ClassStamps:
    """The three stamps, from:

    - the members with their names (the results and the boosters) and the start and finish of
      their latest booster rounds (the boosters);
    - the assigned scenarios with due dates, published titles and versions;
    - the number and latest change of the members' attempts (an answer changes its attempt;
      versions never change);
    - the number and latest finish of their finished checks (a check's results are in when it
      finishes), and the number and latest of their check answers (the heatmap counts them
      as they come);
    - the latest change of any scenario (a published prompt or title in the heatmap).
    """
    members = list(
        Membership.objects.filter(classroom=classroom)
        .order_by("pk")
        .annotate(
            last_round=Max("student__boosters__started_at"),
            last_done=Max("student__boosters__finished_at"),
        )
        .values_list(
            "pk",
            "student_id",
            "student__display_name",
            "student__username",
            "student__created_by",
            "last_round",
            "last_done",
        )
    )
    assigned = list(
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
    attempts = Attempt.objects.filter(user__in=student_ids).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    # Joined to their answers: sessions are counted once each, and a session without answers
    # still counts.
    checks = CheckSession.objects.filter(user__in=student_ids).aggregate(
        finished=Count("pk", filter=Q(finished_at__isnull=False), distinct=True),
        last_finished=Max("finished_at"),
        answered=Count("answers"),
        last_answer=Max("answers__created_at"),
    )
    scenarios = Scenario.objects.aggregate(latest=Max("updated_at"))["latest"]
    names = [row[:5] for row in members]
    ids = [row[1] for row in members]
    return ClassStamps(
        results=_digest(names, assigned, attempts, (checks["finished"], checks["last_finished"])),
        teach_next=_digest(ids, attempts, (checks["answered"], checks["last_answer"]), scenarios),
        # The boosters name the students too.
        boosters=_digest([row[1:] for row in members]),
    )
