"""Scenarios (editable drafts and frozen published versions), attempts and answers, check
items, and classes.

Editors edit the draft tables (Scenario, Step, Choice, SpotOption, RedFlag). Publishing freezes
the draft into an immutable ScenarioVersion whose ``content`` is the scenario in content-pack
form; attempts point at the version they started on, so later edits never touch them.
"""

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
    # A real message or warning was ignored, and that cost something (genuine scenarios).
    MISSED_OUT = "missed-out", _("Missed out")
    HARMED = "harmed", _("Harmed")

    @classmethod
    def rank(cls, value: str) -> int:
        """Higher is better: safe 4, partly harmed 3, missed out 2, harmed 1; anything else
        (none yet) 0."""
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
    THREAT = "threat", _("Threats")
    LOOKALIKE = "lookalike", _("Look-alike link or sender")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")
    SCREENSHOT = "screenshot", _("Screenshot")
    LINK_PREVIEW = "link-preview", _("Link preview")
    VOICE_NOTE = "voice-note", _("Voice note")
    VIDEO = "video", _("Video")
    QR_CODE = "qr-code", _("QR code")


class QuoteField(models.TextChoices):
    """Where a red flag's or spot option's quote occurs: the text, or the channel's chrome."""

    TEXT = "", _("Text")
    ADDRESS = "address", _("Address")
    SUBJECT = "subject", _("Subject")
    URL = "url", _("Web address")
    ATTACHMENT = "attachment", _("Attachment")


class MessageChrome(models.Model):
    """What a channel shows around a message, where the clues often are (pack version 2)."""

    address = models.CharField(
        _("address"),
        max_length=200,
        blank=True,
        help_text=_("The e-mail address, number, short code, handle or caller ID as shown."),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    url = models.CharField(_("web address"), max_length=500, blank=True)
    verified = models.BooleanField(
        _("verified mark"), default=False, help_text=_("The platform shows its verified mark.")
    )
    attachment_kind = models.CharField(
        _("attachment"), max_length=16, choices=AttachmentKind, blank=True
    )
    attachment_title = models.CharField(_("attachment title"), max_length=200, blank=True)
    attachment_text = models.TextField(_("attachment text"), max_length=2000, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def attachment_needs_kind(name: str) -> models.CheckConstraint:
        """An attachment's title and text only with its kind."""
        return models.CheckConstraint(
            condition=~Q(attachment_kind="") | (Q(attachment_title="") & Q(attachment_text="")),
            name=name,
        )


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
    genuine = models.BooleanField(
        _("genuine"),
        default=False,
        help_text=_(
            "The messages are real: the right move is to check through an official route and "
            "then act; ignoring them costs something (an ending “missed out”)."
        ),
    )
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
    # (quizzes.scenarios.publishing): edits to the draft fields above show only once published.
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
        return reverse("play:scenario-detail", args=[self.slug])


class Step(MessageChrome):
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
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=Channel,
        blank=True,
        help_text=_(
            "Message and spot steps that arrive on another channel than the scenario's (a call, "
            "then the bank's SMS). Empty: the scenario's channel."
        ),
    )
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
    discussion = models.JSONField(
        _("discussion questions"),
        default=list,
        blank=True,
        help_text=_(
            "Decision steps: two or three questions a teacher can ask the class after it "
            "(pack version 2)."
        ),
    )

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
            MessageChrome.attachment_needs_kind("step_attachment_has_kind"),
            models.CheckConstraint(
                condition=Q(channel="") | Q(kind__in=["message", "spot"]),
                name="step_channel_only_on_messages",
                violation_error_message=_(
                    "Only a message or a spot step has a channel of its own; leave it empty."
                ),
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
    field = models.CharField(_("quoted from"), max_length=16, choices=QuoteField, blank=True)
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
    field = models.CharField(_("quoted from"), max_length=16, choices=QuoteField, blank=True)
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
