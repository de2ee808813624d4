from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awareness.accounts.usernames import KEY_MAX_LENGTH, UsernameKeyField


class User(AbstractUser):
    """A site account. Students give only a username and a password (many are minors)."""

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")

    # The username as a reader sees it (see awareness.accounts.usernames), kept by the field on
    # every write: unique, so that no two accounts can pass for each other.
    username_key = UsernameKeyField(_("username key"), max_length=KEY_MAX_LENGTH, editable=False)
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.STUDENT)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("Shown to your teacher. A nickname is fine; no real name needed."),
    )
    # Set for pupil accounts a teacher created in a batch: only that teacher may reset them.
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_accounts",
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # When a teacher issued the one-time password the pupil still holds; cleared when the pupil
    # sets their own. It stops working ONE_TIME_PASSWORD_DAYS later.
    one_time_password_issued_at = models.DateTimeField(
        _("one-time password issued"), null=True, blank=True
    )
    # The pupil's consent: the teacher who created the account may reset the password the
    # pupil chose (without it, only a site administrator can).
    allow_teacher_reset = models.BooleanField(_("teacher may reset password"), default=False)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["student", "teacher"]), name="user_role_valid"
            ),
            models.UniqueConstraint(fields=["username_key"], name="user_unique_username_key"),
        ]

    def __str__(self) -> str:
        return self.username

    def save(self, *args, update_fields=None, **kwargs) -> None:
        # A rename saved with update_fields=["username"] must write the new key too.
        if update_fields is not None and "username" in update_fields:
            update_fields = {*update_fields, "username_key"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def is_teacher(self) -> bool:
        return self.role == self.Role.TEACHER

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT

    @property
    def is_editor(self) -> bool:
        return self.is_staff and (self.is_superuser or self.groups.filter(name="Editors").exists())

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    @property
    def has_one_time_password(self) -> bool:
        """Still signs in with a teacher-issued one-time password, not one of their own."""
        return self.must_change_password and self.one_time_password_issued_at is not None

    @property
    def one_time_password_expired(self) -> bool:
        issued_at = self.one_time_password_issued_at
        if not self.has_one_time_password or issued_at is None:
            return False
        lifetime = timedelta(days=settings.ONE_TIME_PASSWORD_DAYS)
        return timezone.now() - issued_at > lifetime

    @property
    def teacher_may_reset(self) -> bool:
        """Whether the teacher who created this pupil account may give it a new one-time
        password: while it still has one, or once the pupil has agreed."""
        return (
            self.created_by_id is not None
            and self.is_student
            and (self.has_one_time_password or self.allow_teacher_reset)
        )


class Language(models.TextChoices):
    EN = "en", "English"
    ZH_HANS = "zh-hans", "简体中文"


class TopicQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "TopicQuerySet":
        return self.filter(language=language)


class Topic(models.Model):
    """One fraud type: how it works, its red flags, what to do and where to report."""

    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language,
        help_text=_("The language of the topic page. Each translation is a topic of its own."),
    )
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        help_text=_(
            "The end of the topic's web address, such as “phishing”: lowercase letters, digits "
            "and hyphens. Scenarios and content packs refer to the topic by it; change it rarely."
        ),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The name of the fraud type, as students see it.")
    )
    summary = models.CharField(
        _("summary"),
        max_length=500,
        help_text=_("One sentence under the title in the topic list: how the scam works."),
    )
    body_markdown = models.TextField(
        _("body (Markdown)"),
        help_text=_(
            "The topic page: how the scam works and how to spot it. Markdown: ## for a heading, "
            "- for a list, **bold**. Any HTML in it is removed or made harmless."
        ),
    )
    # Rendered and sanitised from body_markdown by awareness.pages.services.topic_save.
    body_html = models.TextField(
        _("body (HTML)"),
        blank=True,
        editable=False,
        help_text=_("Made from the body when the topic is saved."),
    )
    red_flags = models.JSONField(
        _("red flags"),
        default=list,
        blank=True,
        help_text=_("The red flags of this fraud type, one per line."),
    )
    what_to_do = models.JSONField(
        _("what to do"),
        default=list,
        blank=True,
        help_text=_("What to do if it happens, one step per line."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_("Set 15 for sensitive material (romance, sextortion); teachers see the mark."),
    )
    # {"short": {...}, "long": {...}}: a 15- and a 40-minute lesson, each with the texts of its
    # parts "warm_up", "play", "discuss" and "check" (pack version 2).
    lesson_plan = models.JSONField(
        _("lesson plan"),
        default=dict,
        blank=True,
        help_text=_("A 15- and a 40-minute lesson for teachers, written in the eight boxes."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in lists: lower numbers come first.")
    )
    updated_at = models.DateTimeField(
        _("updated"), auto_now=True, help_text=_("When the topic was last saved.")
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="topic_unique_language_slug"),
            models.CheckConstraint(
                condition=models.Q(language__in=["en", "zh-hans"]), name="topic_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("pages:topic-detail", args=[self.slug])
