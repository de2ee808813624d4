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


class TopicAdminForm(forms.ModelForm):
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
