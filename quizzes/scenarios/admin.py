"""The editors' admin for scenarios: the scenario with its steps inline, publishing, preview,
duplicating, content packs in and out, and the read-only published versions."""

from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from quizzes.models import (
    Scenario,
    ScenarioVersion,
)
from quizzes.scenarios.editor.map_views import publish_checks, scenario_map
from quizzes.scenarios.editor.new_views import editor_urls
from quizzes.scenarios.editor.views import scenario_edit, scenario_edit_check
from quizzes.scenarios.forms import (
    PackSizeLimitHandler,
    PackUploadForm,
)
from quizzes.scenarios.packs.exporter import pack_dumps, pack_export
from quizzes.scenarios.packs.importer import pack_import
from quizzes.scenarios.packs.validation import PackError, parse_pack, validate_pack
from quizzes.scenarios.publishing import (
    PublishError,
    scenario_duplicate,
    scenario_publish,
    scenario_to_dict,
    scenario_unpublish,
)
from quizzes.scenarios.step_admin import StepInline

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _ScenarioCounts(TypedDict):  # what ScenarioAdmin.get_queryset annotates
        steps_count: int


def _preview_url(scenario: Scenario) -> str | None:
    """The student-view preview of a draft, if the play views provide one."""
    try:
        return reverse("play:scenario-preview", args=[scenario.pk])
    except NoReverseMatch:
        return None


def _without_label(scenario: Scenario, problems: list[str]) -> list[str]:
    """Drop the validator's 'scenario "slug": ' label where the page already names it."""
    label = f'scenario "{scenario.slug}": '
    return [problem.removeprefix(label) for problem in problems]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    """Scenario drafts. Publishing validates and freezes a draft; a scenario that has versions
    cannot be deleted here (its versions are read-only because attempts point at them)."""

    list_display = (
        "title",
        "language",
        "topic",
        "channel",
        "difficulty",
        "status",
        "version_number",
        "steps_count",
        "one_page_link",
    )
    list_filter = ("language", "status", "channel", "difficulty", "topic")
    search_fields = ("title", "slug", "summary")
    list_select_related = ("topic", "published_version")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("status", "published_version", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "language", "topic", "summary")}),
        (
            gettext_lazy("How it plays"),
            {
                "fields": (
                    ("channel", "genuine"),
                    "difficulty",
                    "start_key",
                    "estimated_minutes",
                    "min_age",
                )
            },
        ),
        (
            gettext_lazy("Listing and translations"),
            {"fields": ("position", "translation_key")},
        ),
        (
            gettext_lazy("Publishing"),
            {"fields": ("status", "published_version", "updated_at")},
        ),
    )
    inlines = (StepInline,)
    actions = ("publish_selected", "unpublish_selected", "duplicate_selected", "export_selected")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Scenario]:
        return super().get_queryset(request).annotate(steps_count=Count("steps"))

    @admin.display(description=gettext_lazy("version"), ordering="published_version__number")
    def version_number(self, scenario: Scenario) -> str:
        version = scenario.published_version
        return str(version.number) if version else "–"

    @admin.display(description=gettext_lazy("steps"), ordering="steps_count")
    def steps_count(self, scenario: "WithAnnotations[Scenario, _ScenarioCounts]") -> int:
        return scenario.steps_count

    @admin.display(description=gettext_lazy("edit"))
    def one_page_link(self, scenario: Scenario) -> str:
        url = reverse("admin:quizzes_scenario_edit", args=[scenario.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit on one page"))

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        """ "Add scenario" anywhere in the admin opens the new-scenario page (a template, a title,
        then the one-page editor); the classic form with its keys stays at ?classic=1."""
        if (
            request.method == "GET"
            and "classic" not in request.GET
            and IS_POPUP_VAR not in request.GET
        ):
            return HttpResponseRedirect(reverse("admin:quizzes_scenario_new"))
        return super().add_view(request, form_url, extra_context)

    def response_add(
        self, request: HttpRequest, obj: Scenario, post_url_continue: str | None = None
    ) -> HttpResponse:
        """After the plain "Save" of the add form, go on writing on the one-page editor."""
        response = super().response_add(request, obj, post_url_continue)
        plain_save = not {"_continue", "_addanother", IS_POPUP_VAR} & set(request.POST)
        if plain_save and self.has_change_permission(request, obj):
            return HttpResponseRedirect(reverse("admin:quizzes_scenario_edit", args=[obj.pk]))
        return response

    # --- URLs and pages ---

    def get_urls(self) -> list:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        # Before the defaults: their "<path:object_id>/" would swallow "import-pack/".
        return [
            path("import-pack/", view(self.import_pack_view), name=f"{prefix}_import_pack"),
            *editor_urls(self),  # "new/" and "guide/"
            path("<id:object_id>/publish/", view(self.publish_view), name=f"{prefix}_publish"),
            path("<id:object_id>/map/", view(partial(scenario_map, self)), name=f"{prefix}_map"),
            # The one-page editor (quizzes/scenarios/editor/views.py).
            path(
                "<id:object_id>/edit/",
                view(partial(scenario_edit, model_admin=self)),
                name=f"{prefix}_edit",
            ),
            path(
                "<id:object_id>/edit/check/",
                view(partial(scenario_edit_check, model_admin=self)),
                name=f"{prefix}_edit_check",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["preview_url"] = _preview_url(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def publish_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """GET: every problem that stops publishing, in plain words. POST: publish."""
        scenario = get_object_or_404(
            Scenario.objects.select_related("topic", "published_version"), pk=object_id
        )
        if not self.has_change_permission(request, scenario):
            raise PermissionDenied
        if request.method == "POST":
            if self._publish(request, scenario):
                return HttpResponseRedirect(
                    reverse("admin:quizzes_scenario_change", args=[scenario.pk])
                )
            return HttpResponseRedirect(request.path)
        version = scenario.published_version
        content = scenario_to_dict(scenario)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": scenario,
            "title": _("Check and publish “%(title)s”") % {"title": scenario.title},
            # Problems by step, advice apart, the paths (the validator's errors all in there).
            **publish_checks(content),
            "has_unpublished_changes": bool(version) and version.content != content,
            "preview_url": _preview_url(scenario),
        }
        return TemplateResponse(request, "admin/quizzes/scenario/publish.html", context)

    def _publish(self, request: HttpRequest, scenario: Scenario) -> bool:
        """Publish one scenario; on failure add one error message per problem."""
        try:
            version = scenario_publish(scenario=scenario)
        except PublishError as exc:
            for problem in _without_label(scenario, exc.errors):
                self.message_user(
                    request,
                    _("“%(scenario)s” was not published: %(problem)s")
                    % {"scenario": scenario, "problem": problem},
                    messages.ERROR,
                )
            return False
        self.message_user(
            request,
            _("“%(scenario)s” is published as version %(number)d.")
            % {"scenario": scenario, "number": version.number},
            messages.SUCCESS,
        )
        return True

    @method_decorator(csrf_exempt)
    def import_pack_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a content pack to check or import it; the file is capped at 5 MB."""
        # The size limit has to be in place before anything reads the request body, CSRF
        # included, hence csrf_exempt here and csrf_protect on the view that does the work.
        limiter = PackSizeLimitHandler(request)
        # Still a list: nothing has read the body yet.
        cast(list, request.upload_handlers).insert(0, limiter)
        return self._import_pack(request, limiter)

    @method_decorator(csrf_protect)
    def _import_pack(self, request: HttpRequest, limiter: PackSizeLimitHandler) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = errors = None
        more_problems = False
        if request.method == "POST":
            form = PackUploadForm(request.POST, request.FILES, too_large=limiter.too_large)
            if form.is_valid():
                upload = form.cleaned_data["pack"]
                try:
                    report = pack_import(
                        parse_pack(upload.read(), name=upload.name),
                        name=upload.name,
                        dry_run=form.cleaned_data["mode"] == PackUploadForm.Mode.VALIDATE,
                    )
                except PackError as exc:
                    # A checker that stopped early ends its list with a line saying so (in
                    # English, like every problem); the page says it in the editor's language.
                    more_problems = exc.more
                    errors = exc.errors[:-1] if exc.more else exc.errors
        else:
            form = PackUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a content pack"),
            "form": form,
            "report": report,
            "errors": errors,
            "more_problems": more_problems,
        }
        return TemplateResponse(request, "admin/quizzes/scenario/import_pack.html", context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = extra_context or {}
        extra_context["can_import_pack"] = self.has_add_permission(
            request
        ) and self.has_change_permission(request)
        return super().changelist_view(request, extra_context)

    # --- actions ---

    @admin.action(description=gettext_lazy("Publish selected scenarios"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Scenario]) -> None:
        for scenario in queryset.select_related("topic"):
            self._publish(request, scenario)

    @admin.action(description=gettext_lazy("Unpublish selected scenarios"), permissions=["change"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Scenario]) -> None:
        count = 0
        for scenario in queryset:
            scenario_unpublish(scenario=scenario)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d scenario is now a draft again; attempts in progress can still finish.",
                "%(count)d scenarios are now drafts again; attempts in progress can still finish.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Duplicate selected scenarios"), permissions=["add"])
    def duplicate_selected(self, request: HttpRequest, queryset: QuerySet[Scenario]) -> None:
        for scenario in queryset.select_related("topic"):
            copy = scenario_duplicate(scenario=scenario)
            self.message_user(
                request,
                _("“%(scenario)s” was copied to the draft “%(slug)s”.")
                % {"scenario": scenario, "slug": copy.slug},
                messages.SUCCESS,
            )

    @admin.action(
        description=gettext_lazy("Export selected scenarios as a content pack"),
        permissions=["view"],
    )
    def export_selected(
        self, request: HttpRequest, queryset: QuerySet[Scenario]
    ) -> HttpResponse | None:
        scenarios = list(queryset.select_related("topic").order_by("position", "title", "id"))
        languages = sorted({scenario.language for scenario in scenarios})
        if len(languages) != 1:
            self.message_user(
                request,
                _(
                    "A content pack holds one language; the selected scenarios are in "
                    "%(languages)s. Select scenarios of one language (filter by language)."
                )
                % {"languages": ", ".join(languages)},
                messages.ERROR,
            )
            return None
        language = languages[0]
        name = (
            f"scenarios-{language}.json"
            if len(scenarios) > 1
            else f"{scenarios[0].slug}-{language}.json"
        )
        pack = pack_export(language=language, scenarios=scenarios)
        # A pack that import would refuse is no use to anyone: say why instead of handing it out.
        problems = validate_pack(pack, name=name)
        if problems:
            for problem in problems:
                self.message_user(
                    request,
                    _("Not exported: %(problem)s") % {"problem": problem},
                    messages.ERROR,
                )
            return None
        response = HttpResponse(pack_dumps(pack), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(name[:-5])}.json"'
        return response


# --- published versions ------------------------------------------------------


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(admin.ModelAdmin):
    """Published snapshots, for reading only: attempts depend on them staying as they are."""

    list_display = ("scenario", "number", "created_at")
    list_filter = ("scenario__language",)
    search_fields = ("scenario__title", "scenario__slug")
    list_select_related = ("scenario",)
    fields = ("scenario", "number", "created_at", "content_json")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("content"))
    def content_json(self, version: ScenarioVersion) -> str:
        return format_html("<pre>{}</pre>", pack_dumps(version.content))
