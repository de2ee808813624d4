"""A live session (one scenario played by a room together), who joined it and their votes.

Everything a page needs to follow the session is on the session row: its state, the step
shown, the revision bumped by every change, and the counts the projector shows (joined, voted
on this step), so that the state endpoint every phone polls reads one row. The counts are
kept by the services in the same transaction as the rows they count.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quizzes.models import Classroom, Scenario, ScenarioVersion

NICKNAME_MAX = 20


def view_of(state: str, current_key: str, paused: bool) -> str:
    """What a live page shows, in one string: the pages reload when it changes."""
    return f"{state}:{current_key}:{int(paused)}"


class LiveSession(models.Model):
    class State(models.TextChoices):
        LOBBY = "lobby", _("Waiting to start")
        STEP = "step", _("Showing a step")
        REVEALED = "revealed", _("Answer revealed")
        ENDED = "ended", _("Ended")

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="live_sessions",
    )
    # A room of guests has no class; a deleted class leaves its sessions' figures to the teacher.
    classroom = models.ForeignKey(
        Classroom,
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_sessions",
    )
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="+"
    )
    # The frozen content played: a scenario published again mid-session changes nothing.
    version = models.ForeignKey(
        ScenarioVersion, verbose_name=_("version"), on_delete=models.RESTRICT, related_name="+"
    )
    join_code = models.CharField(_("join code"), max_length=8)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.LOBBY)
    current_key = models.CharField(_("current step"), max_length=80, blank=True)
    path = models.JSONField(_("steps shown"), default=list)
    # Drawn once per session (engine.shuffled_order): every phone shows the same order.
    option_order = models.JSONField(_("option order"), default=dict)
    # Decision key -> the choice whose branch the class followed (two choices may share one).
    followed = models.JSONField(_("branches followed"), default=dict)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    joined_count = models.PositiveIntegerField(_("joined"), default=0)
    voted_count = models.PositiveIntegerField(_("voted on this step"), default=0)
    paused = models.BooleanField(_("paused"), default=False)
    names_hidden = models.BooleanField(_("nicknames hidden"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"], condition=~Q(state="ended"), name="live_unique_open_code"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["lobby", "step", "revealed", "ended"]),
                name="live_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["classroom", "created_at"], name="live_class_created"),
            models.Index(fields=["teacher", "created_at"], name="live_teacher_created"),
        ]

    def __str__(self) -> str:
        return f"{self.join_code} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("live:screen", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state != self.State.ENDED

    @property
    def view(self) -> str:
        return view_of(self.state, self.current_key, self.paused)


class LiveParticipant(models.Model):
    """Someone who joined: a signed-in student as themselves, anyone else as a nickname with a
    random token kept in their browser session. Guests are deleted when the session ends."""

    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("live session"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="live_participations",
    )
    nickname = models.CharField(_("nickname"), max_length=NICKNAME_MAX, blank=True)
    token = models.CharField(_("token"), max_length=43, blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("live participant")
        verbose_name_plural = _("live participants")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False),
                name="live_participant_once",
            ),
            models.UniqueConstraint(
                fields=["token"], condition=~Q(token=""), name="live_participant_token"
            ),
            # A guest has a nickname and a token; a student has neither.
            models.CheckConstraint(
                condition=Q(user__isnull=False, nickname="", token="")
                | (Q(user__isnull=True) & ~Q(nickname="") & ~Q(token="")),
                name="live_participant_student_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or 'guest'} in {self.session_id}"


class LiveVote(models.Model):
    """One vote on one step. When its guest is deleted at the end of the session the vote
    stays, with no participant: an anonymous count."""

    session = models.ForeignKey(
        LiveSession, verbose_name=_("live session"), on_delete=models.CASCADE, related_name="votes"
    )
    participant = models.ForeignKey(
        LiveParticipant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="votes",
    )
    step_key = models.CharField(_("step"), max_length=80)
    choice_key = models.CharField(_("choice"), max_length=80, blank=True)
    selected = models.JSONField(_("options ticked"), default=list, blank=True)
    is_safe = models.BooleanField(_("safe"))
    created_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("live vote")
        verbose_name_plural = _("live votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "step_key"],
                condition=Q(participant__isnull=False),
                name="live_vote_once_per_step",
            ),
        ]
        indexes = [models.Index(fields=["session", "step_key"], name="live_vote_step")]

    def __str__(self) -> str:
        return f"{self.step_key}: {self.choice_key or self.selected}"
