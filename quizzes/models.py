"""Scenarios (editable drafts and frozen published versions), attempts and answers, check
items, and classes.

Editors edit the draft tables (Scenario, Step, Choice, SpotOption, RedFlag). Publishing freezes
the draft into an immutable ScenarioVersion whose ``content`` is the scenario in content-pack
form; attempts point at the version they started on, so later edits never touch them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awareness.models import Language


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    CHAT = "chat", _("Chat")
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web page")
    SOCIAL = "social", _("Social media")
    GAME = "game", _("Game chat")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Outcome(models.TextChoices):
    """How a scenario ended, declared best first: that order is the one ranking of outcomes."""

    SAFE = "safe", _("Safe")
    PARTLY_HARMED = "partly-harmed", _("Partly harmed")
    HARMED = "harmed", _("Harmed")

    @classmethod
    def rank(cls, value: str) -> int:
        """Higher is better: safe 3, partly harmed 2, harmed 1; anything else (none yet) 0."""
        values = cls.values
        return len(values) - values.index(value) if value in values else 0

    @classmethod
    def best_first(cls) -> list[str]:
        """The outcome values from best to worst."""
        return sorted(cls.values, key=cls.rank, reverse=True)


class Tactic(models.TextChoices):
    TOO_GOOD = "too-good-to-be-true", _("Too good to be true")
    PAY_TO_UNLOCK = "pay-to-unlock", _("Pay to unlock")
    URGENCY = "urgency", _("Urgency")
    AUTHORITY = "authority", _("Fake authority")
    SECRECY = "secrecy", _("Secrecy")
    OFF_PLATFORM = "off-platform", _("Moving you off the platform")
    CREDENTIAL_REQUEST = "credential-request", _("Asking for codes or passwords")
    EMOTIONAL_HOOK = "emotional-hook", _("Emotional hook")
    SOCIAL_PROOF = "social-proof", _("Fake social proof")
    IMPERSONATION_TECH = "impersonation-tech", _("Impersonation technology")
    ACCOUNT_LENDING = "account-lending", _("Lending your account or card")


class ScenarioQuerySet(models.QuerySet):
    def published(self) -> "ScenarioQuerySet":
        return self.filter(status=Scenario.Status.PUBLISHED, published_version__isnull=False)


class Scenario(models.Model):
    """The editable draft of a branching scenario in one language."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    language = models.CharField(_("language"), max_length=10, choices=Language)
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    topic = models.ForeignKey(
        "awareness.Topic",
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="scenarios",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    translation_key = models.SlugField(
        _("translation key"),
        max_length=80,
        blank=True,
        help_text=_("Links translations of the same scenario. Defaults to the slug."),
    )
    start_key = models.CharField(_("first step"), max_length=80)
    published_version = models.ForeignKey(
        "ScenarioVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        # A published version cannot be deleted on its own; deleting the scenario removes both.
        on_delete=models.RESTRICT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What students and teachers see, copied from the content of the version last published
    # (quizzes.services.publishing): edits to the draft fields above show only once published.
    # Kept after unpublishing, so results and progress still name the scenario as it was.
    published_title = models.CharField(_("published title"), max_length=200, blank=True)
    published_summary = models.CharField(_("published summary"), max_length=500, blank=True)
    published_channel = models.CharField(
        _("published channel"), max_length=10, choices=Channel, blank=True
    )
    published_min_age = models.PositiveSmallIntegerField(
        _("published minimum age"), null=True, blank=True
    )
    published_difficulty = models.CharField(
        _("published difficulty"), max_length=10, choices=Difficulty, blank=True
    )
    # PROTECT, like the draft's topic: deleting a topic must not take a published scenario off
    # its topic page and filters before the move to another topic is published. (SET_NULL
    # would be exactly such an unpublished change.) The version's content names the topic by
    # slug; this is that topic in the scenario's language.
    published_topic = models.ForeignKey(
        "awareness.Topic",
        verbose_name=_("published topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_scenarios",
    )

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="scenario_unique_language_slug"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="scenario_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="scenario_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__in=Difficulty.values), name="scenario_difficulty_valid"
            ),
            models.CheckConstraint(
                condition=Q(published_channel__in=["", *Channel.values]),
                name="scenario_published_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(published_difficulty__in=["", *Difficulty.values]),
                name="scenario_published_difficulty_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_version__isnull=False),
                name="scenario_published_has_version",
            ),
        ]
        indexes = [models.Index(fields=["language", "status", "position"])]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:scenario-detail", args=[self.slug])


class Step(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        NARRATION = "narration", _("Narration")
        DECISION = "decision", _("Decision")
        SPOT = "spot", _("Spot the red flags")
        ENDING = "ending", _("Ending")

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="steps"
    )
    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    sender = models.CharField(
        _("from"), max_length=200, blank=True, help_text=_("Message and spot steps.")
    )
    text = models.TextField(_("text"), max_length=5000, blank=True)
    prompt = models.CharField(
        _("prompt"), max_length=500, blank=True, help_text=_("Decision and spot steps.")
    )
    next_key = models.CharField(
        _("next step"), max_length=80, blank=True, help_text=_("Key of the step that follows.")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, blank=True)
    tactics = models.JSONField(_("tactics tested"), default=list, blank=True)

    class Meta:
        ordering = ["scenario", "position", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "key"], name="step_unique_key"),
            models.CheckConstraint(
                condition=Q(kind__in=["message", "narration", "decision", "spot", "ending"]),
                name="step_kind_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind="ending") & Q(outcome__in=Outcome.values) & Q(next_key=""))
                | (~Q(kind="ending") & Q(outcome="")),
                name="step_outcome_only_on_endings",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_kind_display()})"


class Choice(models.Model):
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.CASCADE, related_name="choices"
    )
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("text"), max_length=1000)
    is_safe = models.BooleanField(_("safe"), default=False)
    feedback = models.TextField(_("feedback"), max_length=5000)
    next_key = models.CharField(_("next step"), max_length=80)

    class Meta:
        ordering = ["step", "position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["step", "key"], name="choice_unique_key")]

    def __str__(self) -> str:
        return self.key


class SpotOption(models.Model):
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.CASCADE, related_name="options"
    )
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    quote = models.CharField(_("quote"), max_length=1000)
    is_flag = models.BooleanField(_("is a red flag"), default=False)
    why = models.TextField(_("why"), max_length=5000)
    tactic = models.CharField(_("tactic"), max_length=32, choices=Tactic, blank=True)

    class Meta:
        ordering = ["step", "position", "id"]
        verbose_name = _("spot option")
        verbose_name_plural = _("spot options")
        constraints = [
            models.UniqueConstraint(fields=["step", "key"], name="spotoption_unique_key"),
            models.CheckConstraint(
                condition=Q(is_flag=False) | ~Q(tactic=""), name="spotoption_flag_has_tactic"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class RedFlag(models.Model):
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.CASCADE, related_name="red_flags"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    quote = models.CharField(_("quote"), max_length=1000)
    why = models.TextField(_("why"), max_length=5000)
    tactic = models.CharField(_("tactic"), max_length=32, choices=Tactic)

    class Meta:
        ordering = ["step", "position", "id"]
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")

    def __str__(self) -> str:
        return self.quote[:60]


class ScenarioVersion(models.Model):
    """An immutable published snapshot; ``content`` is the scenario in content-pack form."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["scenario", "-number"]
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario.slug} v{self.number}"


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


class CheckItem(models.Model):
    """A message for the spot-the-scam check: a scam, or a legitimate look-alike."""

    language = models.CharField(_("language"), max_length=10, choices=Language)
    key = models.SlugField(_("key"), max_length=80)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    sender = models.CharField(_("from"), max_length=200)
    text = models.TextField(_("text"), max_length=5000)
    is_scam = models.BooleanField(_("is a scam"))
    explanation = models.TextField(_("explanation"), max_length=5000)
    tactics = models.JSONField(_("tactics"), default=list, blank=True)

    class Meta:
        ordering = ["language", "key"]
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="checkitem_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.language}]"


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
        return reverse("quizzes:class-detail", args=[self.pk])


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


class CheckSession(models.Model):
    """One sitting of the spot-the-scam check: ten messages drawn from one of two forms.

    The first check someone takes is the "before" measure on form A; later ones are "after"
    measures on the other form, so nobody sees the same messages twice in a row.
    """

    class Kind(models.TextChoices):
        PRE = "pre", _("Before")
        POST = "post", _("After")

    class Form(models.TextChoices):
        A = "a", _("Form A")
        B = "b", _("Form B")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="check_sessions",
    )
    # Random id kept in a visitor's session, as for Attempt.
    visitor_id = models.CharField(_("visitor id"), max_length=40, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=Language)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind)
    form = models.CharField(_("form"), max_length=1, choices=Form)
    # The keys of the items drawn, in the order they are shown.
    item_keys = models.JSONField(_("items"), default=list)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("check session")
        verbose_name_plural = _("check sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(visitor_id=""), name="checksession_has_owner"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["pre", "post"]), name="checksession_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(form__in=["a", "b"]), name="checksession_form_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "finished_at"])]

    def __str__(self) -> str:
        return f"check {self.pk} ({self.kind}, form {self.form})"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:check-result", args=[self.pk])


class CheckAnswer(models.Model):
    """The answer to one message of a check session (at most one per message)."""

    class Confidence(models.IntegerChoices):
        NOT_SURE = 1, _("Not sure")
        FAIRLY_SURE = 2, _("Fairly sure")
        CERTAIN = 3, _("Certain")

    session = models.ForeignKey(
        CheckSession,
        verbose_name=_("check session"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    # PROTECT: an answered item stays, so before/after results never lose their messages.
    item = models.ForeignKey(
        CheckItem, verbose_name=_("check item"), on_delete=models.PROTECT, related_name="answers"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    says_scam = models.BooleanField(_("answered scam"))
    confidence = models.PositiveSmallIntegerField(_("confidence"), choices=Confidence)
    is_correct = models.BooleanField(_("correct"))
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["session", "position"]
        verbose_name = _("check answer")
        verbose_name_plural = _("check answers")
        constraints = [
            models.UniqueConstraint(fields=["session", "item"], name="checkanswer_once_per_item"),
            models.UniqueConstraint(
                fields=["session", "position"], name="checkanswer_once_per_position"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=1) & Q(confidence__lte=3),
                name="checkanswer_confidence_1_to_3",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="checkanswer_position_min"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.position}"

    @property
    def item_is_scam(self) -> bool:
        """What the item was when answered (later edits to the item do not change results)."""
        return self.says_scam == self.is_correct
