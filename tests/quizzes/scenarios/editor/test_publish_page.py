"""The publish page: each problem under its step with a link to that step on the editing page,
the audit's advice apart (it does not stop publishing), the paths and a link to the map."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Scenario, Step
from tests.factories import make_scenario
from tests.factories.scenarios import long_scenario_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_scenario(publish=False)


def publish_url(scenario: Scenario) -> str:
    return reverse("admin:quizzes_scenario_publish", args=[scenario.pk])


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>" if "advice" in element_id else "</div>", start)]


def test_each_problem_is_listed_under_a_link_to_its_step(editor_client, draft):
    Step.objects.filter(scenario=draft, key="m1").update(
        text="Earn 300 A DAY just by liking videos!"
    )
    Step.objects.filter(scenario=draft, key="end-safe").update(text="")
    html = editor_client.get(publish_url(draft)).content.decode()
    problems = section(html, "publish-problems")
    edit = reverse("admin:quizzes_scenario_edit", args=[draft.pk])
    groups = re.findall(
        r'<a href="([^"]+)">([^<]+)</a>\s*</h3>\s*<ul class="errorlist">(.*?)</ul>', problems, re.S
    )
    assert [(href, re.findall(r"<li>(.*?)</li>", items)) for href, _, items in groups] == [
        (
            f"{edit}#step-m1",
            [
                "Red flag 1: “Earn 300 a day just by liking videos” is not in the text word for "
                "word. Did you mean “Earn 300 A DAY just by liking videos”?"
            ],
        ),
        (f"{edit}#step-end-safe", ["The text is missing."]),
    ]
    assert "2 problems stop this scenario from being published" in html
    assert 'name="publish"' not in html


def test_problems_of_the_whole_scenario_come_first_without_a_link(editor_client, draft):
    Scenario.objects.filter(pk=draft.pk).update(summary="", start_key="")
    html = editor_client.get(publish_url(draft)).content.decode()
    problems = section(html, "publish-problems")
    assert problems.index("The whole scenario") < problems.index("Choose the first step")


def test_advice_is_shown_apart_and_does_not_stop_publishing(editor_client, draft):
    html = editor_client.get(publish_url(draft)).content.decode()
    assert "No problems found: this scenario can be published" in html
    advice = section(html, "publish-advice")
    assert "Advice, does not stop publishing" in advice
    assert "1 of 3 paths from the first step to an ending has fewer than 3 decisions" in advice
    edit = reverse("admin:quizzes_scenario_edit", args=[draft.pk])
    assert (
        f'href="{edit}#step-d2"' in advice and "The safe choice is the longest one here" in advice
    )
    assert 'id="publish-problems"' not in html
    assert 'name="publish"' in html

    response = editor_client.post(publish_url(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Scenario.Status.PUBLISHED


def test_the_page_counts_the_paths_and_links_to_the_map(editor_client, draft):
    html = editor_client.get(publish_url(draft)).content.decode()
    paths = html[html.index('id="publish-paths"') :]
    assert "3 paths lead from the first step to an ending" in paths
    assert "the shortest with one decision" in paths
    assert f'href="{reverse("admin:quizzes_scenario_map", args=[draft.pk])}"' in paths


def test_the_publish_page_queries_do_not_grow_with_steps(editor_client, django_assert_num_queries):
    for steps in (None, long_scenario_steps(12)):
        scenario = make_scenario(f"size-{len(steps or [])}", publish=False, steps=steps)
        # The user, the scenario with its topic and version, the editor's permissions (own and
        # group's), its steps and their choices, options and red flags.
        with django_assert_num_queries(8):
            editor_client.get(publish_url(scenario))
