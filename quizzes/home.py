"""What a signed-in student's home page shows from quizzes: the work assigned to them and the
spot-the-scam check and the booster that are due (the one selector the home page reads quiz
data through)."""

from dataclasses import dataclass

from awareness.models import User
from quizzes.check.services import NextCheck, check_next
from quizzes.classes.assigned import StudentAssignment, student_assignments
from quizzes.models import CheckSession
from quizzes.play.boosters import BoosterStatus, status_of


@dataclass(frozen=True)
class StudentHome:
    assignments: list[StudentAssignment]
    check: NextCheck | None  # the measure to take next (None: all three taken)
    booster: BoosterStatus


def student_home(user: User) -> StudentHome:
    upcoming = check_next(user)
    measure = upcoming if upcoming.kind != CheckSession.Kind.PRACTICE else None
    return StudentHome(
        assignments=student_assignments(user), check=measure, booster=status_of(user)
    )
