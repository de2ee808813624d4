"""The editors' admin: scenarios with their steps, choices, options and red flags, check items,
read-only published versions, publishing, and content packs in and out.

Attempts, answers and classes are students' and teachers' data, so they are not registered.
The admin classes live with their feature; importing them here registers them.
"""

from quizzes.check import admin as check_admin
from quizzes.scenarios import admin as scenario_admin
from quizzes.scenarios import step_admin

__all__ = ["check_admin", "scenario_admin", "step_admin"]
