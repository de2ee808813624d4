"""The one-page scenario editor inside the admin (ScenarioAdmin.get_urls wires these views
with the admin's login check; each checks the same permission as changing a scenario).

GET shows the scenario with every step; POST parses the whole page (structure.py) and either
saves it (Save, or an "Add …" button without JavaScript, which then shows the page again with
the new blank part) or, when a field has a problem, saves nothing and shows everything the
editor typed with the problems next to their fields. The checks endpoint parses the page the
same way and answers with its problems as JSON, for editor.js to show as the editor types."""

from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awareness.models import Topic
from quizzes.models import Scenario, Step
from quizzes.scenarios.editor import checks
from quizzes.scenarios.editor.labels import (
    BARE_LABEL_FORMAT,
    ENDING_GIST_FORMAT,
    LABEL_FORMAT,
    MESSAGE_GIST_FORMAT,
)
from quizzes.scenarios.editor.services import scenario_save_edited
from quizzes.scenarios.editor.structure import (
    EditedScenario,
    form_data,
    parse,
    templates_for,
)
from quizzes.scenarios.publishing import scenario_to_dict

ADD_BUTTONS = [
    (Step.Kind.MESSAGE, gettext_lazy("Add a message")),
    (Step.Kind.NARRATION, gettext_lazy("Add a narration")),
    (Step.Kind.DECISION, gettext_lazy("Add a decision")),
    (Step.Kind.SPOT, gettext_lazy("Add a spot-the-red-flags step")),
    (Step.Kind.ENDING, gettext_lazy("Add an ending")),
]


def _scenario(request: HttpRequest, object_id: int, model_admin: ModelAdmin) -> Scenario:
    """The scenario, if this editor may change it (404 if there is none, 403 if not)."""
    scenario = get_object_or_404(
        Scenario.objects.select_related("topic", "published_version"), pk=object_id
    )
    if not model_admin.has_change_permission(request, scenario):
        raise PermissionDenied
    return scenario


class Topics:
    """Every topic, for the topic select (a scenario's topic is in its language)."""

    def __init__(self) -> None:
        topics = list(
            Topic.objects.only("language", "slug", "title").order_by("language", "title", "pk")
        )
        self.by_value = {str(topic.pk): topic for topic in topics}
        self.choices = [
            (str(topic.pk), f"{topic.title} [{topic.language}]", topic.language) for topic in topics
        ]

    def pack_form(self, content: dict[str, Any], slug: str) -> dict[str, Any]:
        """The parsed page's content as the checks read it: named by slug, topic by slug."""
        topic = self.by_value.get(str(content.get("topic")))
        return {"slug": slug, **content, "topic": topic.slug if topic else ""}


def _editing(scenario: Scenario, content: dict[str, Any], topics: Topics) -> EditedScenario:
    """The page for the scenario as saved (``content``: scenario_to_dict's)."""
    data = form_data(
        {**content, "topic": str(scenario.topic_id)},
        language=scenario.language,
        estimated_minutes=scenario.estimated_minutes,
    )
    return parse(data, topics=topics.choices)


def _problems(content: dict[str, Any], edited: EditedScenario) -> list[dict[str, Any]]:
    """What stops publishing or is worth a look (checks.py), each with a link to its step."""
    try:
        found = checks.problems(content)
    except NotImplementedError:  # until checks.py is written
        found = []
    shown = []
    for problem in found:
        step = edited.step(key=problem.step_key) if problem.step_key else None
        shown.append(
            {
                "message": str(problem.message),
                "severity": problem.severity,
                "anchor": step.anchor if step else None,
                "label": step.label if step else None,
            }
        )
    return shown


def scenario_edit(request: HttpRequest, object_id: int, *, model_admin: ModelAdmin) -> HttpResponse:
    scenario = _scenario(request, object_id, model_admin)
    topics = Topics()
    saved = False
    focus = None
    if request.method == "POST":
        edited = parse(request.POST, topics=topics.choices)
        add = request.POST.get("add", "")
        _language_stays_once_published(scenario, edited)
        if edited.is_valid():
            content = edited.content()
            scenario = scenario_save_edited(
                scenario=scenario,
                content=content,
                topic=topics.by_value[content["topic"]],
                language=edited.language,
                estimated_minutes=edited.estimated_minutes,
            )
            if not add:
                return _after_saving(request, scenario)
            # An "Add …" button without JavaScript: the page again, as saved, with the new part.
            saved = True
            add = _by_key(add, edited)
            content = scenario_to_dict(scenario)
            edited = _editing(scenario, content, topics)
            focus = edited.add(_by_token(add, edited), focus=True) if add else None
        else:
            focus = edited.add(add) if add else None
            content = topics.pack_form(edited.content(), scenario.slug)
    else:
        content = scenario_to_dict(scenario)
        edited = _editing(scenario, content, topics)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": scenario,
        "title": _("Edit “%(title)s”") % {"title": scenario.title},
        "edited": edited,
        "has_errors": request.method == "POST" and not saved,
        "saved": saved,
        "focus": focus,
        "problems": _problems(content, edited),
        "add_buttons": ADD_BUTTONS,
        "templates": templates_for(edited),
        "label_formats": {
            "label": LABEL_FORMAT,
            "bare": BARE_LABEL_FORMAT,
            "message": MESSAGE_GIST_FORMAT,
            "ending": ENDING_GIST_FORMAT,
        },
    }
    return TemplateResponse(request, "admin/quizzes/scenario/edit.html", context)


def _language_stays_once_published(scenario: Scenario, edited: EditedScenario) -> None:
    """A published scenario keeps its language: its versions and attempts are in it."""
    if not edited.scenario.is_valid() or edited.language == scenario.language:
        return
    if scenario.versions.exists():
        edited.scenario.add_error(
            "language",
            _("A published scenario keeps its language; copy it to translate it."),
        )


def _by_key(add: str, edited: EditedScenario) -> str:
    """An "Add a choice" (…) action naming its step by token, renamed by the step's internal
    name: the page shown after saving numbers its steps afresh."""
    what, sep, token = add.partition(":")
    step = edited.step(token=token) if sep else None
    return f"{what}:{step.key}" if step else add


def _by_token(add: str, edited: EditedScenario) -> str:
    what, sep, key = add.partition(":")
    step = edited.step(key=key) if sep else None
    return f"{what}:{step.token}" if step else add


def _after_saving(request: HttpRequest, scenario: Scenario) -> HttpResponse:
    if "_check" in request.POST:
        messages.success(request, _("“%(title)s” was saved.") % {"title": scenario.title})
        return HttpResponseRedirect(reverse("admin:quizzes_scenario_publish", args=[scenario.pk]))
    if scenario.published_version_id:
        message = _("“%(title)s” was saved. Students see the changes once you publish it again.")
    else:
        message = _("“%(title)s” was saved. It is a draft until you publish it.")
    messages.success(request, message % {"title": scenario.title})
    return HttpResponseRedirect(reverse("admin:quizzes_scenario_edit", args=[scenario.pk]))


def scenario_edit_check(
    request: HttpRequest, object_id: int, *, model_admin: ModelAdmin
) -> HttpResponse:
    """The checks for the page as it is now (not saved): problems and fields' errors."""
    scenario = _scenario(request, object_id, model_admin)  # 404 first, like every admin page
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    topics = Topics()
    edited = parse(request.POST, topics=topics.choices)
    content = topics.pack_form(edited.content(), scenario.slug)
    return JsonResponse({"problems": _problems(content, edited), "errors": edited.errors()})
