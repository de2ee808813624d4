"""The branch map page in the admin (a scenario's steps and choices as a picture, with every
path from the first step to an ending listed in words below it) and what the publish page
shows of the checks."""

from typing import Any

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from quizzes.models import Scenario
from quizzes.scenarios.editor.branch_map import branch_map, path_stats
from quizzes.scenarios.editor.checks import ERROR, by_step, problems
from quizzes.scenarios.publishing import scenario_to_dict


def scenario_map(model_admin: ModelAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    """The branch map of a draft, for whoever may change the scenario."""
    scenario = get_object_or_404(Scenario.objects.select_related("topic"), pk=object_id)
    if not model_admin.has_change_permission(request, scenario):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": scenario,
        "scenario": scenario,
        "title": _("Branch map of “%(title)s”") % {"title": scenario.title},
        "map": branch_map(scenario_to_dict(scenario)),
    }
    return TemplateResponse(request, "admin/quizzes/scenario/map.html", context)


def publish_checks(content: dict[str, Any]) -> dict[str, Any]:
    """What the publish page shows of a draft (content-pack form): the errors grouped by step,
    the advice apart, and how many paths there are."""
    found = problems(content)
    errors = [problem for problem in found if problem.severity == ERROR]
    path_count, fewest = path_stats(content)
    return {
        "errors": errors,
        "error_groups": by_step(content, errors),
        "advice_groups": by_step(content, [p for p in found if p.severity != ERROR]),
        "path_count": path_count,
        "fewest_decisions": fewest,
    }
