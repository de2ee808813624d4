"""The quizzes app's models, one module per feature; import them from here."""

from quizzes.models.attempts import Answer, Attempt
from quizzes.models.check import CheckAnswer, CheckItem, CheckSession
from quizzes.models.classes import Assignment, ClassBooster, Classroom, Membership
from quizzes.models.practice import Booster, PracticeAnswer
from quizzes.models.scenarios import (
    AttachmentKind,
    Channel,
    Choice,
    Difficulty,
    MessageChrome,
    Outcome,
    QuoteField,
    RedFlag,
    Scenario,
    ScenarioQuerySet,
    ScenarioVersion,
    SpotOption,
    Step,
    Tactic,
)

__all__ = [
    "AttachmentKind",
    "Channel",
    "MessageChrome",
    "QuoteField",
    "Difficulty",
    "Outcome",
    "Tactic",
    "ScenarioQuerySet",
    "Scenario",
    "Step",
    "Choice",
    "SpotOption",
    "RedFlag",
    "ScenarioVersion",
    "Attempt",
    "Answer",
    "CheckItem",
    "CheckSession",
    "CheckAnswer",
    "Classroom",
    "Membership",
    "Assignment",
    "ClassBooster",
    "Booster",
    "PracticeAnswer",
]
