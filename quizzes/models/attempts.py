"""A student's (or visitor's) play of one published version, and their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quizzes.models.scenarios import Outcome, Scenario, ScenarioVersion


class Attempt(models.Model):
    """One play-through of a scenario version by a student (or a visitor's session)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in-progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    # Random id kept in a visitor's session; cleared when the attempt moves to an account.
    visitor_id = models.CharField(_("visitor id"), max_length=40, blank=True, db_index=True)
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="attempts"
    )
    # RESTRICT: a version with attempts stays, unless its whole scenario is deleted.
    version = models.ForeignKey(
        ScenarioVersion, verbose_name=_("version"), on_delete=models.RESTRICT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.IN_PROGRESS
    )
    current_key = models.CharField(_("current step"), max_length=80)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, blank=True)
    decisions = models.PositiveSmallIntegerField(_("decisions"), default=0)
    safe_decisions = models.PositiveSmallIntegerField(_("safe decisions"), default=0)
    flags_found = models.PositiveSmallIntegerField(_("red flags found"), default=0)
    flags_total = models.PositiveSmallIntegerField(_("red flags to find"), default=0)
    # Steps already shown, in order, so the page can replay the conversation so far.
    path = models.JSONField(_("path"), default=list)
    # Per decision or spot step, its option keys in the order this attempt shows them.
    option_order = models.JSONField(_("order of options shown"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(visitor_id=""), name="attempt_has_owner"
            ),
            models.CheckConstraint(
                condition=Q(safe_decisions__lte=models.F("decisions")),
                name="attempt_safe_lte_decisions",
            ),
            models.CheckConstraint(
                condition=(Q(status="completed") & ~Q(outcome="") & Q(finished_at__isnull=False))
                | (Q(status="in-progress") & Q(outcome="")),
                name="attempt_outcome_when_completed",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "scenario", "status"]),
            models.Index(fields=["scenario", "user"]),
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.scenario_id}"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def safe_rate(self) -> float | None:
        return self.safe_decisions / self.decisions if self.decisions else None


class Answer(models.Model):
    """The student's answer to one decision or spot step of an attempt (at most one each)."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers"
    )
    step_key = models.CharField(_("step"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10)
    choice_key = models.CharField(_("choice"), max_length=80, blank=True)
    selected = models.JSONField(_("selected options"), default=list, blank=True)
    is_safe = models.BooleanField(_("safe"), default=False)
    flags_found = models.PositiveSmallIntegerField(_("flags found"), default=0)
    flags_missed = models.PositiveSmallIntegerField(_("flags missed"), default=0)
    wrongly_flagged = models.PositiveSmallIntegerField(_("wrongly flagged"), default=0)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["attempt", "created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "step_key"], name="answer_once_per_step"),
            models.CheckConstraint(
                condition=Q(kind__in=["decision", "spot"]), name="answer_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.step_key}"
