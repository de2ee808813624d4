"""manage.py seed_demo: demo accounts and a class with varied results and before/after checks,
for local trials."""

import random
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from awareness.accounts.services import username_validate
from awareness.models import User
from awareness.roles import EDITORS, TEACHERS
from quizzes.check.services import check_answer, check_next, check_session_start
from quizzes.classes.services import (
    assignment_save,
    classroom_archive,
    classroom_create,
    classroom_open_after_check,
)
from quizzes.models import (
    Assignment,
    Attempt,
    CheckItem,
    CheckSession,
    Classroom,
    Membership,
    Scenario,
)
from quizzes.play.services import attempt_answer, attempt_start

DEMO_PASSWORD = "scam-spotter-demo-2026"  # noqa: S105 - published on purpose: demo only
TEACHER = "demo-teacher"
EDITOR = "demo-editor"
STUDENTS = [
    ("demo-student-1", "Ana"),
    ("demo-student-2", "Bo"),
    ("demo-student-3", "Chen Jie"),
    ("demo-student-4", "Dara"),
    ("demo-student-5", "Eli"),
]
CLASS_NAME = "Demo class 7B"
SCENARIO_COUNT = 4
DUE_IN_DAYS = [7, 14, None, 3]

# How each student plays each assigned scenario (rows: students, columns: scenarios).
# safe: always the safe choice; unsafe: always an unsafe one; mixed: unsafe first, then safe;
# stop: one answer, then left in progress; none: not started.
PLANS = [
    ["safe", "safe", "mixed", "safe"],
    ["unsafe", "mixed", "safe", "stop"],
    ["mixed", "unsafe", "unsafe", "none"],
    ["safe", "stop", "none", "mixed"],
    ["none", "none", "stop", "none"],
]

# The spot-the-scam check of each student (rows as in STUDENTS): scams missed and real messages
# called scams, before and after playing (None: not taken yet). Most get better, by different
# amounts; one does a little worse after, as happens in a real class.
MEASURES = (CheckSession.Kind.PRE, CheckSession.Kind.POST)
CHECKS: list[tuple[tuple[int, int], tuple[int, int] | None]] = [
    ((3, 2), (0, 1)),
    ((2, 2), (1, 1)),
    ((3, 1), (1, 2)),
    ((1, 1), (2, 1)),
    ((2, 3), None),
]


class Command(BaseCommand):
    help = (
        "Create demo accounts (a teacher, an editor, five students, all with the password "
        f'"{DEMO_PASSWORD}") and a class with assigned scenarios and varied results, importing '
        "the shipped content packs first if nothing is published. Safe to run again: it only "
        "adds what is missing. For local trials only: it refuses to run with DEBUG off unless "
        "given --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo password is public: never on a real site).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, then roll everything back.",
        )

    def handle(self, *args: Any, force: bool, dry_run: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a publicly known password, so it refuses to run "
                "with DEBUG off. Use DEBUG=1 for a local trial, or --force if you are sure."
            )
        with transaction.atomic():
            self._ensure_content()
            teacher = self._user(TEACHER, role=User.Role.TEACHER, group=TEACHERS)
            self._user(EDITOR, group=EDITORS, is_staff=True)
            students = [
                self._user(username, display_name=name, created_by=teacher)
                for username, name in STUDENTS
            ]
            classroom = self._classroom(teacher, students)
            scenarios = self._assign(classroom)
            played = self._play(scenarios, students)
            checks = self._checks(classroom, students)
            if dry_run:
                transaction.set_rollback(True)
        self._report(classroom, scenarios, played, checks, dry_run)

    def _ensure_content(self) -> None:
        if Scenario.objects.published().filter(language="en").exists():
            return
        packs = sorted((settings.BASE_DIR / "content").glob("*.json"))
        for pack in packs:
            call_command("import_content", str(pack), stdout=self.stdout, stderr=self.stderr)

    def _user(
        self,
        username: str,
        *,
        role: str = User.Role.STUDENT,
        group: str | None = None,
        is_staff: bool = False,
        display_name: str = "",
        created_by: User | None = None,
    ) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            # Never take over someone's look-alike account (it would get the public password).
            try:
                username_validate(username=username)
            except ValidationError as error:
                raise CommandError(
                    f"Cannot create the demo account {username}: {' '.join(error.messages)}"
                ) from error
            user = User(username=username)
        user.role = role
        user.is_staff = is_staff
        user.display_name = display_name
        user.created_by = created_by
        user.must_change_password = False
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        return user

    def _classroom(self, teacher: User, students: list[User]) -> Classroom:
        classroom = Classroom.objects.filter(teacher=teacher, name=CLASS_NAME).first()
        if classroom is None:
            classroom = classroom_create(teacher=teacher, name=CLASS_NAME)
        elif classroom.is_archived:
            classroom_archive(classroom=classroom, teacher=teacher, archived=False)
        for student in students:
            Membership.objects.get_or_create(classroom=classroom, student=student)
        return classroom

    def _assign(self, classroom: Classroom) -> list[Scenario]:
        assigned = list(
            Scenario.objects.published()
            .filter(assignments__classroom=classroom)
            .order_by("assignments__created_at", "assignments__id")
        )
        if assigned:
            return assigned  # already seeded: keep the teacher's own changes
        scenarios = list(
            Scenario.objects.published()
            .filter(language="en")
            .select_related("published_version")
            .order_by("position", "title")[:SCENARIO_COUNT]
        )
        today = timezone.localdate()
        for scenario, days in zip(scenarios, DUE_IN_DAYS, strict=False):
            if not Assignment.objects.filter(classroom=classroom, scenario=scenario).exists():
                assignment_save(
                    classroom=classroom,
                    teacher=classroom.teacher,
                    scenario=scenario,
                    due_date=today + timedelta(days=days) if days else None,
                )
        return scenarios

    def _play(self, scenarios: list[Scenario], students: list[User]) -> int:
        played = 0
        for plans, student in zip(PLANS, students, strict=True):
            for plan, scenario in zip(plans, scenarios, strict=False):
                if (
                    plan == "none"
                    or Attempt.objects.filter(user=student, scenario=scenario).exists()
                ):
                    continue
                _play_through(scenario, student, plan)
                played += 1
        return played

    def _checks(self, classroom: Classroom, students: list[User]) -> int:
        """Before and after checks through the real services, so that the class page's check
        section has something to show from the first run. Without check items (none
        imported): none."""
        if not CheckItem.objects.filter(language="en").exists():
            return 0
        # The after check normally waits until a student has finished a few scenarios; the
        # demo opens it for the class while it writes the checks, then puts it back.
        was_open = classroom.after_check_open
        if not was_open:
            classroom_open_after_check(classroom=classroom, teacher=classroom.teacher, is_open=True)
        taken = 0
        for number, (student, plan) in enumerate(zip(students, CHECKS, strict=True)):
            for kind, errors in zip(MEASURES, plan, strict=True):
                if errors is None:
                    break
                done = CheckSession.objects.filter(
                    user=student, kind=kind, finished_at__isnull=False
                ).exists()
                if done:
                    continue
                if check_next(student).kind != kind:
                    break
                session = check_session_start(
                    user=student,
                    language="en",
                    rng=random.Random(number),  # noqa: S311
                )
                _answer_check(session, missed=errors[0], false_alarms=errors[1])
                taken += 1
        if not was_open:
            classroom_open_after_check(
                classroom=classroom, teacher=classroom.teacher, is_open=False
            )
        return taken

    def _report(
        self,
        classroom: Classroom,
        scenarios: list[Scenario],
        played: int,
        checks: int,
        dry_run: bool,
    ) -> None:
        prefix = "[dry run, nothing kept] " if dry_run else ""
        self.stdout.write(
            f"{prefix}Demo class “{classroom.name}” (join code {classroom.join_code}): "
            f"{len(scenarios)} scenarios assigned, {played} new play-throughs, "
            f"{checks} new checks."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  teacher   {TEACHER}")
        self.stdout.write(f"  editor    {EDITOR}   (edits content at /admin/)")
        self.stdout.write("  students  " + ", ".join(username for username, _ in STUDENTS))


def _pick_choice(choices: list[dict[str, Any]], plan: str, answered: int) -> str:
    safe = [c["key"] for c in choices if c["safe"]]
    unsafe = [c["key"] for c in choices if not c["safe"]]
    wants_safe = plan == "safe" or (plan == "mixed" and answered > 0)
    pool = (safe or unsafe) if wants_safe else (unsafe or safe)
    return pool[0]


def _pick_spot(options: list[dict[str, Any]], plan: str) -> list[str]:
    flags = [o["key"] for o in options if o["is_flag"]]
    harmless = [o["key"] for o in options if not o["is_flag"]]
    if plan == "safe":
        return flags
    return flags[:1] + harmless[:1]  # one flag found, one harmless phrase wrongly ticked


def _play_through(scenario: Scenario, student: User, plan: str) -> Attempt:
    """Play a scenario through the real services: choices follow ``plan``."""
    attempt = attempt_start(scenario=scenario, user=student)
    steps = {step["key"]: step for step in attempt.version.content["steps"]}
    answered = 0
    while attempt.status == Attempt.Status.IN_PROGRESS and answered < 50:
        if plan == "stop" and answered == 1:
            break
        step = steps[attempt.current_key]
        if step["kind"] == "decision":
            choice = _pick_choice(step["choices"], plan, answered)
            attempt_answer(attempt=attempt, step_key=step["key"], choice_key=choice)
        else:
            selected = _pick_spot(step["options"], plan)
            attempt_answer(attempt=attempt, step_key=step["key"], selected=selected)
        attempt.refresh_from_db()
        answered += 1
    return attempt


def _answer_check(session: CheckSession, *, missed: int, false_alarms: int) -> None:
    """Answer the rest of a check: miss the first ``missed`` scams, call the first
    ``false_alarms`` real messages scams, get the others right (surer when right)."""
    items = {
        item.key: item
        for item in CheckItem.objects.filter(language=session.language, key__in=session.item_keys)
    }
    answered = session.answers.count()
    scams = real = 0
    for position, key in enumerate(session.item_keys, start=1):
        if items[key].is_scam:
            scams += 1
            says_scam = scams > missed
        else:
            real += 1
            says_scam = real <= false_alarms
        if position > answered:
            confidence = 3 if says_scam == items[key].is_scam else 2
            check_answer(
                session=session, position=position, says_scam=says_scam, confidence=confidence
            )
