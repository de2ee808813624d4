from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A site account. Students give only a username and a password (many are minors)."""

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")

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

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["student", "teacher"]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.username

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


class Language(models.TextChoices):
    EN = "en", "English"
    ZH_HANS = "zh-hans", "简体中文"


class TopicQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "TopicQuerySet":
        return self.filter(language=language)


class Topic(models.Model):
    """One fraud type: how it works, its red flags, what to do and where to report."""

    language = models.CharField(_("language"), max_length=10, choices=Language)
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    body_markdown = models.TextField(
        _("body (Markdown)"), help_text=_("Markdown. Any HTML in it is sanitised.")
    )
    # Rendered and sanitised from body_markdown by awareness.services.topic_save.
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    red_flags = models.JSONField(_("red flags"), default=list, blank=True)
    what_to_do = models.JSONField(_("what to do"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_("Set 15 for sensitive material (romance, sextortion); teachers see the mark."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

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

        return reverse("awareness:topic-detail", args=[self.slug])
