from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count, Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from awareness.accounts.services import username_validate
from awareness.models import Topic, User
from awareness.pages.services import topic_save
from quizzes.models import Scenario

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    class _TopicCounts(TypedDict):  # what TopicAdmin.get_queryset annotates
        published_scenario_count: int


admin.site.site_header = _("Scam Spotter administration")
admin.site.site_title = _("Scam Spotter admin")


class UsernameCheckMixin:
    """A new or changed username must not pass for another account's (nor mix look-alike
    scripts); this replaces Django's narrower "differs only in case" check."""

    # Provided by the ModelForm it is mixed into.
    cleaned_data: dict[str, Any]
    changed_data: list[str]
    instance: User

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if "username" in self.changed_data:
            username_validate(username=username, user=self.instance)
        return username


class SiteUserCreationForm(UsernameCheckMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        model = User


class SiteUserChangeForm(UsernameCheckMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        model = User


@admin.register(User)
class SiteUserAdmin(UserAdmin):
    add_form = SiteUserCreationForm
    form = SiteUserChangeForm
    list_display = ("username", "display_name", "role", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "groups")
    search_fields = ("username", "display_name")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Site"), {"fields": ("role", "display_name", "created_by", "must_change_password")}),
    )
    raw_id_fields = ("created_by",)


class LinesField(forms.CharField):
    """A list of short texts edited as a textarea, one per line (empty lines are dropped)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    # A list where CharField gives a string: the point of this field.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""  # CharField gives "" for empty input anyway
        return [line.strip() for line in text.splitlines() if line.strip()]


# A topic's lesson plan (pack format version 2): for each lesson, the texts of its parts.
LESSON_PARTS = ("warm_up", "play", "discuss", "check")
LESSONS = ("short", "long")
LESSON_PART_LENGTH = 1200
HALF_A_PLAN = _("Fill in all eight parts of the lesson plan, or leave all of them empty.")


def _lesson_part(label: "StrOrPromise") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=LESSON_PART_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TopicAdminForm(forms.ModelForm):
    """A topic; its lesson plan as eight boxes (lesson_<short|long>_<part>), all or none filled."""

    lesson_short_warm_up = _lesson_part(_("15 minutes: warm-up"))
    lesson_short_play = _lesson_part(_("15 minutes: play"))
    lesson_short_discuss = _lesson_part(_("15 minutes: discuss"))
    lesson_short_check = _lesson_part(_("15 minutes: the check"))
    lesson_long_warm_up = _lesson_part(_("40 minutes: warm-up"))
    lesson_long_play = _lesson_part(_("40 minutes: play"))
    lesson_long_discuss = _lesson_part(_("40 minutes: discuss"))
    lesson_long_check = _lesson_part(_("40 minutes: the check"))
    red_flags = LinesField(
        label=_("red flags"), required=False, help_text=_("One red flag per line.")
    )
    what_to_do = LinesField(
        label=_("what to do"), required=False, help_text=_("One step per line.")
    )

    class Meta:
        model = Topic
        fields = (
            "language",
            "slug",
            "title",
            "summary",
            "body_markdown",
            "red_flags",
            "what_to_do",
            "min_age",
            "position",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance.lesson_plan if isinstance(self.instance.lesson_plan, dict) else {}
        for lesson in LESSONS:
            parts = plan.get(lesson)
            if not isinstance(parts, dict):
                parts = {}
            for part in LESSON_PARTS:
                if (name := f"lesson_{lesson}_{part}") in self.fields:
                    self.fields[name].initial = parts.get(part, "")

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        names = [f"lesson_{lesson}_{part}" for lesson in LESSONS for part in LESSON_PARTS]
        if not all(name in self.fields for name in names):
            return data  # a form without the lesson plan boxes leaves the plan alone
        texts = {name: (data.get(name) or "").strip() for name in names}
        if not any(texts.values()):
            self.instance.lesson_plan = {}
        elif all(texts.values()):
            self.instance.lesson_plan = {
                lesson: {part: texts[f"lesson_{lesson}_{part}"] for part in LESSON_PARTS}
                for lesson in LESSONS
            }
        else:
            for name, text in texts.items():
                if not text and name not in self.errors:
                    self.add_error(name, HALF_A_PLAN)
        return data


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ("title", "language", "slug", "min_age", "position", "published_scenarios")
    list_filter = ("language",)
    search_fields = ("title", "slug", "summary")
    ordering = ("language", "position", "title")
    readonly_fields = ("body_preview", "updated_at")
    fieldsets = (
        (None, {"fields": ("language", "slug", "title", "summary", "min_age", "position")}),
        (_("Body"), {"fields": ("body_markdown", "body_preview")}),
        (_("Lists"), {"fields": ("red_flags", "what_to_do")}),
        (
            _("Lesson plan for teachers"),
            {
                "description": _(
                    "A 15-minute and a 40-minute lesson on this topic, printed from the class "
                    "page: how to warm up, what to play, what to discuss and how to check what "
                    "the class learned. Fill in all eight parts or none (at most 1,200 "
                    "characters each)."
                ),
                "fields": (
                    *("lesson_short_warm_up", "lesson_short_play"),
                    *("lesson_short_discuss", "lesson_short_check"),
                    *("lesson_long_warm_up", "lesson_long_play"),
                    *("lesson_long_discuss", "lesson_long_check"),
                ),
            },
        ),
        (None, {"fields": ("updated_at",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                published_scenario_count=Count(
                    "scenarios",
                    filter=Q(
                        scenarios__published_version__isnull=False,
                        scenarios__status=Scenario.Status.PUBLISHED,
                    ),
                )
            )
        )

    @admin.display(description=_("published scenarios"), ordering="published_scenario_count")
    def published_scenarios(self, obj: "WithAnnotations[Topic, _TopicCounts]") -> int:
        return obj.published_scenario_count

    @admin.display(description=_("preview (as saved, sanitised)"))
    def body_preview(self, obj: Topic) -> "StrOrPromise":
        if not obj.pk:
            return _("Save to see the preview.")
        # body_html was sanitised by nh3 when topic_save rendered it.
        return mark_safe(f'<div class="topic-body">{obj.body_html}</div>')  # noqa: S308

    def save_model(self, request, obj: Topic, form, change: bool) -> None:
        # topic_save re-renders body_html from the Markdown on every save.
        topic_save(topic=obj)
