"""Two pages inside the scenario admin: "new scenario" (a blank page or a starting template,
made into a draft that opens on the editing page) and the editor's guide (docs/editing.md)."""

from functools import partial
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from awareness.models import Language, Topic
from awareness.pages.markdown import render_markdown
from quizzes.models import Scenario
from quizzes.scenarios.editor.starters import STARTERS, scenario_from_starter

GUIDE = Path(settings.BASE_DIR) / "docs" / "editing.md"


class StarterRadioSelect(forms.RadioSelect):
    """Radio buttons that point at their description (``<id>_description``) for screen readers."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_description"
        return option


class NewScenarioForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        help_text=gettext_lazy(
            "What students see in lists and at the top of the story. You can change it later."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=Language.choices,
        help_text=gettext_lazy("The language students play it in."),
    )
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        queryset=Topic.objects.order_by("language", "position", "title"),
        help_text=gettext_lazy("The fraud type it teaches, in the same language."),
    )
    starter = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        choices=[(starter.name, starter.label) for starter in STARTERS.values()],
        initial="chat",
        widget=StarterRadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        topic, language = data.get("topic"), data.get("language")
        if topic is not None and language and topic.language != language:
            self.add_error(
                "topic",
                _(
                    "This topic is in another language. Choose a topic in the scenario's "
                    "language, or change the language."
                ),
            )
        return data


def scenario_edit_url(scenario: Scenario) -> str:
    """The one-page editor, or the admin's change page while the editor is not installed."""
    try:
        return reverse("admin:quizzes_scenario_edit", args=[scenario.pk])
    except NoReverseMatch:
        return reverse("admin:quizzes_scenario_change", args=[scenario.pk])


def new_scenario_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """GET: the form (title, language, topic, template). POST: create the draft and open it."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        form = NewScenarioForm(request.POST)
        if form.is_valid():
            scenario = scenario_from_starter(
                starter=form.cleaned_data["starter"],
                language=form.cleaned_data["language"],
                topic=form.cleaned_data["topic"],
                title=form.cleaned_data["title"],
            )
            model_admin.log_addition(request, scenario, [{"added": {}}])
            model_admin.message_user(
                request,
                _("The draft “%(title)s” is ready to edit. Students see nothing until you publish.")
                % {"title": scenario.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(scenario_edit_url(scenario))
    else:
        language = get_language()
        form = NewScenarioForm(
            initial={"language": language if language in Language.values else Language.EN}
        )
    descriptions = [starter.description for starter in STARTERS.values()]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("New scenario"),
        "form": form,
        "starters": list(zip(form["starter"], descriptions, strict=True)),
    }
    return TemplateResponse(request, "admin/quizzes/scenario/new.html", context)


def guide_html() -> str:
    """docs/editing.md rendered and sanitised, without its own top heading (the page has one)."""
    text = GUIDE.read_text(encoding="utf-8")
    first, _newline, rest = text.partition("\n")
    return render_markdown(rest if first.startswith("# ") else text)


def editor_guide_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """The editor's guide, for anyone who may see scenarios in the admin."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Editor's guide"),
        # Sanitised by nh3 in render_markdown.
        "guide": mark_safe(guide_html()),  # noqa: S308
    }
    return TemplateResponse(request, "admin/quizzes/scenario/guide.html", context)


def editor_urls(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    """The pages above, for ``ScenarioAdmin.get_urls`` (before its ``<path:object_id>/``)."""
    view = model_admin.admin_site.admin_view
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    return [
        path("new/", view(partial(new_scenario_view, model_admin)), name=f"{prefix}_new"),
        path("guide/", view(partial(editor_guide_view, model_admin)), name=f"{prefix}_guide"),
    ]
