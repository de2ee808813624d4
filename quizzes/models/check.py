"""The spot-the-scam check: its items, a sitting, and the answers of a sitting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awareness.models import Language
from quizzes.models.scenarios import Channel, MessageChrome


class CheckItem(MessageChrome):
    """A message for the spot-the-scam check: a scam, or a legitimate look-alike."""

    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language,
        help_text=_("The language of the check this message appears in."),
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_(
            "Advanced: the message's internal key, unique in its language, such as "
            "“parcel-fee-text”. Filled in automatically by content packs; for a new message use "
            "lowercase letters, digits and hyphens."
        ),
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=Channel,
        help_text=_("Where the message arrives: a text, a chat, an e-mail…"),
    )
    sender = models.CharField(
        _("from"),
        max_length=200,
        help_text=_("The name the channel shows. The number or e-mail address goes in “address”."),
    )
    text = models.TextField(
        _("text"), max_length=5000, help_text=_("The message as the student sees it.")
    )
    is_scam = models.BooleanField(
        _("is a scam"), help_text=_("Tick for a scam; leave empty for a real message.")
    )
    explanation = models.TextField(
        _("explanation"),
        max_length=5000,
        help_text=_(
            "Shown after the student answers: what gives the scam away, or why the real message "
            "can be trusted."
        ),
    )
    tactics = models.JSONField(
        _("tactics"),
        default=list,
        blank=True,
        help_text=_("Scams: the tricks that give it away (at least one). Real messages: none."),
    )
    topic = models.SlugField(
        _("topic"),
        max_length=80,
        blank=True,
        help_text=_(
            "The fraud type, written as the end of its topic's web address, such as "
            "“phishing”. Used to balance the check's three forms."
        ),
    )
    pair = models.SlugField(
        _("matched twin"),
        max_length=80,
        blank=True,
        help_text=_(
            "The look-alike message of the other kind (the real one for a scam, the scam for a "
            "real one), by its internal name."
        ),
    )

    class Meta:
        ordering = ["language", "key"]
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="checkitem_unique_key"),
            MessageChrome.attachment_needs_kind("checkitem_attachment_has_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.language}]"


class CheckSession(models.Model):
    """One sitting of the spot-the-scam check.

    Three sittings are measures, each on a different parallel form of matched pairs: "before"
    (before playing), "after" (once the student has played some scenarios) and "later" (a few
    weeks after "after", to see what lasted). Which form comes when follows a Latin square
    across students (``quizzes.check.bank``). Any sitting after those is practice, with the
    answer after each message, and is never counted as a measure.
    """

    class Kind(models.TextChoices):
        PRE = "pre", _("Before")
        POST = "post", _("After")
        LATER = "later", _("Later")
        PRACTICE = "practice", _("Practice")

    class Form(models.TextChoices):
        A = "a", _("Form A")
        B = "b", _("Form B")
        C = "c", _("Form C")
        MIXED = "x", _("Practice (any form)")

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
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
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
                condition=Q(kind__in=["pre", "post", "later", "practice"]),
                name="checksession_kind_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind="practice") & Q(form="x"))
                | (~Q(kind="practice") & Q(form__in=["a", "b", "c"])),
                name="checksession_form_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "finished_at"])]

    def __str__(self) -> str:
        return f"check {self.pk} ({self.kind}, form {self.form})"

    def get_absolute_url(self) -> str:
        return reverse("check:result", args=[self.pk])


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
