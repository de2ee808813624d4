"""Practice outside an attempt: replaying a mistake, and spaced booster rounds.

A practice answer never changes an attempt or its answers; it adds evidence to the student's
mastery (quizzes.play.mastery) and is shown on the mistakes page as a second try.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quizzes.models.scenarios import ScenarioVersion


class Booster(models.Model):
    """A short review round of a few decision and spot steps from the student's weak and due
    tactics, drawn when the student starts it (quizzes.play.boosters)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="boosters",
    )
    # [{"version": <ScenarioVersion id>, "step": <step key>, "tactics": [...]}, ...] in order.
    items = models.JSONField(_("steps"), default=list)
    position = models.PositiveSmallIntegerField(_("steps answered"), default=0)
    right = models.PositiveSmallIntegerField(_("answered right"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("booster")
        verbose_name_plural = _("boosters")
        constraints = [
            models.CheckConstraint(
                condition=Q(right__lte=models.F("position")), name="booster_right_lte_position"
            ),
        ]
        indexes = [models.Index(fields=["user", "started_at"])]

    def __str__(self) -> str:
        return f"booster {self.pk} of {self.user_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class PracticeAnswer(models.Model):
    """An answer to one decision or spot step given as practice: a mistake tried again, or a
    step of a booster round."""

    class Source(models.TextChoices):
        MISTAKE = "mistake", _("Mistake tried again")
        BOOSTER = "booster", _("Booster")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="practice_answers",
    )
    version = models.ForeignKey(
        ScenarioVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    step_key = models.CharField(_("step"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10)
    choice_key = models.CharField(_("choice"), max_length=80, blank=True)
    selected = models.JSONField(_("selected options"), default=list, blank=True)
    is_safe = models.BooleanField(_("safe"), default=False)
    flags_found = models.PositiveSmallIntegerField(_("flags found"), default=0)
    flags_missed = models.PositiveSmallIntegerField(_("flags missed"), default=0)
    wrongly_flagged = models.PositiveSmallIntegerField(_("wrongly flagged"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source)
    booster = models.ForeignKey(
        Booster,
        verbose_name=_("booster"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answers",
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["user", "created_at", "id"]
        verbose_name = _("practice answer")
        verbose_name_plural = _("practice answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["decision", "spot"]), name="practice_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(source="booster") & Q(booster__isnull=False))
                | (Q(source="mistake") & Q(booster__isnull=True)),
                name="practice_booster_matches_source",
            ),
            models.UniqueConstraint(
                fields=["booster", "version", "step_key"],
                condition=Q(booster__isnull=False),
                name="practice_once_per_booster_step",
            ),
        ]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"practice {self.user_id}:{self.version_id}:{self.step_key}"
