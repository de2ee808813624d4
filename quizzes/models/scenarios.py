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


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """A choice's translated label, or the value itself when it is not one of the choices, as
    ``get_FOO_display()`` gives it. That builds a dict of every label, translating each, on
    every call (40 µs for a channel); a list of scenario cards shows dozens."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("E-mails: the subject line.")
    )
    url = models.CharField(
        _("web address"),
        max_length=500,
        blank=True,
        help_text=_("Web pages: the address shown in the browser's address bar."),
    )
    verified = models.BooleanField(
        _("verified mark"), default=False, help_text=_("The platform shows its verified mark.")
    )
    attachment_kind = models.CharField(
        _("attachment"),
        max_length=16,
        choices=AttachmentKind,
        blank=True,
        help_text=_("What comes with the message, if anything: an image, a QR code, a voice note…"),
    )
    attachment_title = models.CharField(
        _("attachment title"),
        max_length=200,
        blank=True,
        help_text=_("The attachment's name or caption as shown, for example “Scan to re-verify”."),
    )
    attachment_text = models.TextField(
        _("attachment text"),
        max_length=2000,
        blank=True,
        help_text=_(
            "What the attachment says or shows, written out: the words in the picture, the web "
            "address behind the QR code…"
        ),
    )

    class Meta:
        abstract = True

    @staticmethod
    def attachment_needs_kind(name: str) -> models.CheckConstraint:
        """An attachment's title and text only with its kind."""
        return models.CheckConstraint(
            condition=~Q(attachment_kind="") | (Q(attachment_title="") & Q(attachment_text="")),
            name=name,
        )


# The help on the columns copied from the version last published.
PUBLISHED_COPY = _("Copied from the version last published: what students and teachers see.")


class ScenarioQuerySet(models.QuerySet):
    def published(self) -> "ScenarioQuerySet":
        return self.filter(status=Scenario.Status.PUBLISHED, published_version__isnull=False)


class Scenario(models.Model):
    """The editable draft of a branching scenario in one language."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language,
        help_text=_("The language students play it in. Each translation is a scenario of its own."),
    )
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        help_text=_(
            "The end of the scenario's web address, made from the title when you create it. "
            "Changing it after publishing breaks links people have saved."
        ),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("What students see in lists and at the top of the story. Short and concrete."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=500,
        help_text=_(
            "One or two sentences under the title: the situation, without giving the answer away."
        ),
    )
    topic = models.ForeignKey(
        "awareness.Topic",
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="scenarios",
        help_text=_("The fraud type it teaches, in the same language. Students find it there."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=Channel,
        help_text=_(
            "Where the story happens: a chat, a text, a call, an e-mail… It sets the look."
        ),
    )
    genuine = models.BooleanField(
        _("genuine"),
        default=False,
        help_text=_(
            "The messages are real: the right move is to check through an official route and "
            "then act; ignoring them costs something (an ending “missed out”)."
        ),
    )
    difficulty = models.CharField(
        _("difficulty"),
        max_length=10,
        choices=Difficulty,
        help_text=_("How hard the scam is to see through, for teachers choosing what to assign."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        help_text=_(
            "Draft: students do not see it. Published: students play the version last published. "
            "Changed by publishing and unpublishing."
        ),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=5,
        help_text=_("About how many minutes one play-through takes; shown to students."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_(
            "Empty for all ages. 15 marks sensitive material (romance scams, sextortion); 12 a "
            "sensitive story whose main targets are younger. Teachers see the mark."
        ),
    )
    translation_key = models.SlugField(
        _("linked translations"),
        max_length=80,
        blank=True,
        help_text=_(
            "Advanced: scenarios in different languages with the same name here are "
            "translations of each other. Filled in automatically from the web address."
        ),
    )
    start_key = models.CharField(
        _("first step"), max_length=80, help_text=_("The step the story starts with.")
    )
    published_version = models.ForeignKey(
        "ScenarioVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        # A published version cannot be deleted on its own; deleting the scenario removes both.
        on_delete=models.RESTRICT,
        related_name="+",
        help_text=_(
            "The version students play now. Publishing makes a new one if the draft changed."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in lists: lower numbers come first.")
    )
    updated_at = models.DateTimeField(
        _("updated"), auto_now=True, help_text=_("When the draft was last saved.")
    )
    # What students and teachers see, copied from the content of the version last published
    # (quizzes.scenarios.publishing): edits to the draft fields above show only once published.
    # Kept after unpublishing, so results and progress still name the scenario as it was.
    published_title = models.CharField(
        _("published title"), max_length=200, blank=True, help_text=PUBLISHED_COPY
    )
    published_summary = models.CharField(
        _("published summary"), max_length=500, blank=True, help_text=PUBLISHED_COPY
    )
    published_channel = models.CharField(
        _("published channel"), max_length=10, choices=Channel, blank=True, help_text=PUBLISHED_COPY
    )
    published_min_age = models.PositiveSmallIntegerField(
        _("published minimum age"), null=True, blank=True, help_text=PUBLISHED_COPY
    )
    published_difficulty = models.CharField(
        _("published difficulty"),
        max_length=10,
        choices=Difficulty,
        blank=True,
        help_text=PUBLISHED_COPY,
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
        help_text=PUBLISHED_COPY,
    )
    # The tactics its steps test, so "what to practise" on /progress/ picks scenarios without
    # loading every published version's content.
    published_tactics = models.JSONField(
        _("published tactics"), default=list, blank=True, help_text=PUBLISHED_COPY
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

    @property
    def published_channel_label(self) -> str:
        return choice_label(Channel, self.published_channel)

    @property
    def published_difficulty_label(self) -> str:
        return choice_label(Difficulty, self.published_difficulty)


class Step(MessageChrome):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        NARRATION = "narration", _("Narration")
        DECISION = "decision", _("Decision")
        SPOT = "spot", _("Spot the red flags")
        ENDING = "ending", _("Ending")

    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        on_delete=models.CASCADE,
        related_name="steps",
        help_text=_("The scenario this step belongs to."),
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_(
            "Advanced: the step's internal key, used by content packs. Filled in automatically; "
            "change it only if you know why."
        ),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind,
        help_text=_(
            "Message: what the player receives. Narration: what happens. Decision: a question "
            "with choices. Spot the red flags: the player taps what is suspicious. Ending: how "
            "the story ends."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Order on the editing page; the story itself follows each “next step”."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=Channel,
        blank=True,
        help_text=_(
            "Only for a message or spot step that arrives another way than the rest of the "
            "story (a call, then the bank's text). Empty: the scenario's channel."
        ),
    )
    sender = models.CharField(
        _("from"),
        max_length=200,
        blank=True,
        help_text=_(
            "Message and spot steps: the name the channel shows, such as “NorthBank” or “Mia”. "
            "The number or e-mail address goes in “address”."
        ),
    )
    text = models.TextField(
        _("text"),
        max_length=5000,
        blank=True,
        help_text=_(
            "What the message says, what happens (narration) or how the story ends (ending). "
            "Red flags quote it exactly."
        ),
    )
    prompt = models.CharField(
        _("prompt"),
        max_length=500,
        blank=True,
        help_text=_("Decision and spot steps: the question, such as “What do you reply?”."),
    )
    next_key = models.CharField(
        _("next step"),
        max_length=80,
        blank=True,
        help_text=_(
            "The step that comes after this one. Decisions have one on each choice instead; "
            "endings have none."
        ),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=Outcome,
        blank=True,
        help_text=_(
            "Endings only: safe, partly harmed, missed out (a real message was ignored) or harmed."
        ),
    )
    tactics = models.JSONField(
        _("tactics tested"),
        default=list,
        blank=True,
        help_text=_("Decision steps: the tricks this decision teaches the player to resist."),
    )
    discussion = models.JSONField(
        _("discussion questions"),
        default=list,
        blank=True,
        help_text=_(
            "Decision steps: one to four questions a teacher can ask the class afterwards. "
            "Teachers see them; students do not."
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


# Red flags and spot options quote words of their step.
QUOTE_HELP = _(
    "Words copied exactly from the message (same capitals, spaces and punctuation), or from the "
    "part chosen in “quoted from”. The site highlights them."
)
QUOTED_FROM_HELP = _(
    "Where the words are: the message text (leave empty), or the sender's address, the subject, "
    "the web address or the attachment."
)


class Choice(models.Model):
    step = models.ForeignKey(
        Step,
        verbose_name=_("step"),
        on_delete=models.CASCADE,
        related_name="choices",
        help_text=_("The decision this choice belongs to."),
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_(
            "Advanced: the choice's internal key, used by content packs and results. Filled "
            "in automatically; change it only if you know why."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Order on the editing page. Students see the choices shuffled."),
    )
    text = models.CharField(
        _("text"),
        max_length=1000,
        help_text=_(
            "What the player chooses, in their own words. Write all choices of a decision alike "
            "in length and tone, so the safe one cannot be guessed."
        ),
    )
    is_safe = models.BooleanField(
        _("safe"),
        default=False,
        help_text=_("Tick if this choice is safe. Every decision needs at least one."),
    )
    feedback = models.TextField(
        _("feedback"),
        max_length=5000,
        help_text=_("Shown right after the choice: why it was safe, or what it risks."),
    )
    next_key = models.CharField(
        _("next step"), max_length=80, help_text=_("The step this choice leads to.")
    )

    class Meta:
        ordering = ["step", "position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["step", "key"], name="choice_unique_key")]

    def __str__(self) -> str:
        return self.key


class SpotOption(models.Model):
    step = models.ForeignKey(
        Step,
        verbose_name=_("step"),
        on_delete=models.CASCADE,
        related_name="options",
        help_text=_("The spot step this option belongs to."),
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_(
            "Advanced: the option's internal key, used by content packs and results. Filled "
            "in automatically; change it only if you know why."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order on the editing page.")
    )
    quote = models.CharField(_("quote"), max_length=1000, help_text=QUOTE_HELP)
    field = models.CharField(
        _("quoted from"), max_length=16, choices=QuoteField, blank=True, help_text=QUOTED_FROM_HELP
    )
    is_flag = models.BooleanField(
        _("is a red flag"),
        default=False,
        help_text=_(
            "Tick if these words are a red flag. Add some options that are not, so that "
            "tapping everything does not win."
        ),
    )
    why = models.TextField(
        _("why"),
        max_length=5000,
        help_text=_("Shown after the player answers: why these words are, or are not, a red flag."),
    )
    tactic = models.CharField(
        _("tactic"),
        max_length=32,
        choices=Tactic,
        blank=True,
        help_text=_("Red flags only: the trick these words use."),
    )

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
        Step,
        verbose_name=_("step"),
        on_delete=models.CASCADE,
        related_name="red_flags",
        help_text=_("The message this red flag belongs to."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in which the red flags are explained.")
    )
    quote = models.CharField(_("quote"), max_length=1000, help_text=QUOTE_HELP)
    field = models.CharField(
        _("quoted from"), max_length=16, choices=QuoteField, blank=True, help_text=QUOTED_FROM_HELP
    )
    why = models.TextField(
        _("why"),
        max_length=5000,
        help_text=_("Why these words are a red flag, in one sentence a 12-year-old understands."),
    )
    tactic = models.CharField(
        _("tactic"), max_length=32, choices=Tactic, help_text=_("The trick these words use.")
    )

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
    number = models.PositiveIntegerField(
        _("number"), help_text=_("1 for the first time it was published, then 2, 3…")
    )
    content = models.JSONField(
        _("content"), help_text=_("The scenario as it was published, as in a content pack.")
    )
    created_at = models.DateTimeField(
        _("created"), auto_now_add=True, help_text=_("When it was published.")
    )

    class Meta:
        ordering = ["scenario", "-number"]
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario.slug} v{self.number}"
