"""A teacher's class, its members and the scenarios assigned to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quizzes.models.scenarios import Scenario


class Classroom(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="classrooms",
    )
    name = models.CharField(_("name"), max_length=100)
    join_code = models.CharField(_("join code"), max_length=8)
    is_archived = models.BooleanField(_("archived"), default=False)
    # The teacher opened the "after" check for the whole class (students need not have
    # finished AFTER_CHECK_SCENARIOS scenarios first): for a lesson played together.
    after_check_open = models.BooleanField(_("after check open to all"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["is_archived", "name", "id"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"],
                condition=Q(is_archived=False),
                name="classroom_unique_active_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classes:detail", args=[self.pk])


class Membership(models.Model):
    classroom = models.ForeignKey(
        Classroom, verbose_name=_("class"), on_delete=models.CASCADE, related_name="memberships"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["classroom", "joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="membership_once_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.classroom_id}"


class Assignment(models.Model):
    classroom = models.ForeignKey(
        Classroom, verbose_name=_("class"), on_delete=models.CASCADE, related_name="assignments"
    )
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="assignments"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["classroom", "created_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "scenario"], name="assignment_once_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} for {self.classroom_id}"


class ClassBooster(models.Model):
    """A booster round the teacher sent to the whole class: it is due for every member who has
    not finished a booster since."""

    classroom = models.ForeignKey(
        Classroom, verbose_name=_("class"), on_delete=models.CASCADE, related_name="boosters_sent"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["classroom", "-created_at", "-id"]
        verbose_name = _("booster sent to a class")
        verbose_name_plural = _("boosters sent to classes")
        indexes = [models.Index(fields=["classroom", "created_at"])]

    def __str__(self) -> str:
        return f"booster for {self.classroom_id} at {self.created_at:%Y-%m-%d}"
