"""The branch map: every step drawn and linked to its place on the editing page, safe and risky
choices told apart without colour, the paths listed in words as the audit counts them."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Scenario
from quizzes.scenarios.audit import paths as audit_paths
from quizzes.scenarios.editor.branch_map import branch_map, path_stats, walk_paths
from quizzes.scenarios.editor.labels import step_label
from tests.factories import make_scenario, make_teacher, small_scenario_steps
from tests.factories.scenarios import long_scenario_steps
from tests.quizzes.scenarios.editor.test_checks import mutations, scenario, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_scenario(publish=False)


def map_url(scenario: Scenario) -> str:
    return reverse("admin:quizzes_scenario_map", args=[scenario.pk])


def svg_of(html: str) -> str:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" role="group"')
    return html[start : html.index("</svg>", start)]


def test_the_map_draws_every_step_and_links_each_to_the_editing_page(editor_client, draft):
    html = editor_client.get(map_url(draft)).content.decode()
    svg = svg_of(html)
    edit = reverse("admin:quizzes_scenario_edit", args=[draft.pk])
    keys = list(draft.steps.order_by("position").values_list("key", flat=True))
    links = re.findall(r'<a href="([^"]+)" class="node ', svg)
    assert links == [f"{edit}#step-{key}" for key in keys]
    # Each node says what it is to a screen reader.
    for number, data in enumerate(small_scenario_steps(), start=1):
        assert f"<title>{step_label(data, number)}" in svg.replace("&#x27;", "'")
    assert 'role="group"' in svg and 'aria-labelledby="branch-map-title branch-map-desc"' in svg


def test_safe_and_risky_choices_differ_by_line_and_mark_not_colour_alone(editor_client, draft):
    svg = svg_of(editor_client.get(map_url(draft)).content.decode())
    edges = re.findall(r'<g class="edge edge-(\w+)">(.*?)</g>', svg, re.S)
    kinds = [kind for kind, _ in edges]
    # Two decisions of a safe and a risky choice each, and the message, narration and spot
    # steps' own next links.
    assert sorted(kinds) == ["next"] * 3 + ["risky"] * 2 + ["safe"] * 2
    for kind, markup in edges:
        dashed = "stroke-dasharray" in markup
        assert dashed == (kind == "risky")
        label = re.search(r'<text class="edge-label"[^>]*>(.*?)</text>', markup)
        if kind == "next":
            assert label is None
        else:
            assert label and label.group(1).startswith("✓ " if kind == "safe" else "✗ ")
            title = "Safe choice: " if kind == "safe" else "Risky choice: "
            assert f"<title>{title}" in markup
    assert "✓ Ignore and block." in svg and "✗ Sounds great, tell me…" in svg


def test_endings_carry_their_outcome_in_words(editor_client, draft):
    svg = svg_of(editor_client.get(map_url(draft)).content.decode())
    assert svg.count('class="node node-ending') == 3
    for words in ("✓ Safe", "◐ Partly harmed", "✗ Harmed"):
        assert f">{words}</text>" in svg


def test_the_listed_paths_are_the_audits_paths():
    content = scenario()
    drawn = branch_map(content)
    counted = list(audit_paths(content))
    assert [(p.decisions, p.spots) for p in drawn.paths] == [
        (c.decisions, c.spots) for c in counted
    ]
    assert path_stats(content) == (3, 1)
    assert (drawn.path_count, drawn.fewest_decisions) == (3, 1)
    first = drawn.paths[0]
    assert [label for label, _ in first.steps] == [
        step_label(step(content, "m1"), 1),
        step_label(step(content, "d1"), 2),
    ]
    assert first.steps[1][1] == "“Ignore and block.”, safe"
    assert first.ending == f"{step_label(step(content, 'end-safe'), 6)} (✓ Safe)"


def test_the_path_list_is_under_the_map_in_words(editor_client, draft):
    html = editor_client.get(map_url(draft)).content.decode()
    listed = html[html.index('<ol class="branch-map-paths">') :]
    assert listed.count("<li>") == 3
    assert "3 paths from the first step to an ending" in html
    assert "the shortest with 1 decision" in html or "the shortest with one decision" in html


def test_unreached_steps_loops_and_missing_steps_are_drawn_without_crashing():
    content = scenario()
    content["steps"].append({"key": "lost", "kind": "narration", "text": "Hm.", "next": "nowhere"})
    step(content, "s1")["next"] = "n1"  # a loop n1 -> s1 -> n1
    drawn = branch_map(content)
    assert len(drawn.steps) == len(content["steps"])
    lost = next(node for node in drawn.nodes if node.key == "lost")
    assert not lost.reached and lost.column == drawn.unreached_column
    assert drawn.columns and drawn.columns[0][1] == "Not reached"
    assert [node.label for node in drawn.missing] == ["Missing step"]
    assert drawn.loops and any(edge.back for edge in drawn.edges)
    assert [n.key for n in drawn.unreached] == ["d2", "end-partly", "end-harm", "lost"]


def test_an_empty_or_broken_draft_is_drawn():
    for content in ({}, {"steps": [1, {"kind": "decision", "choices": "x"}]}, {"start": "x"}):
        drawn = branch_map(content)
        assert drawn.paths == [] and drawn.path_count == 0 and drawn.fewest_decisions is None


@pytest.mark.parametrize(
    ("name", "content"), mutations()[::3], ids=lambda x: x if isinstance(x, str) else ""
)
def test_a_half_written_draft_is_drawn(name, content):
    drawn = branch_map(content)
    assert len(list(walk_paths(content))) == len(drawn.paths) == path_stats(content)[0]


def test_chinese_labels_are_cut_to_fit_their_box():
    content = scenario()
    step(content, "n1")["text"] = (
        "一天后，对方发来一条很长很长的消息，说你已经赚了很多钱，只需要再充值就可以提现。"
    )
    node = next(node for node in branch_map(content).nodes if node.key == "n1")
    assert len(node.lines) == 2 and node.lines[1].endswith("…")
    assert all(len(line) <= 16 for line in node.lines)


def test_the_change_page_links_to_the_map(editor_client, draft):
    page = editor_client.get(reverse("admin:quizzes_scenario_change", args=[draft.pk]))
    assert f'href="{map_url(draft)}"' in page.content.decode()


def test_only_those_who_may_change_scenarios_see_the_map(client, draft):
    client.force_login(make_teacher())
    assert client.get(map_url(draft)).status_code in (302, 403)


def test_the_map_of_a_scenario_that_does_not_exist_is_404(editor_client):
    assert editor_client.get("/admin/quizzes/scenario/999999/map/").status_code == 404


def test_the_map_page_queries_do_not_grow_with_steps(editor_client, django_assert_num_queries):
    small = make_scenario("small", publish=False)
    bigger = make_scenario("bigger", publish=False, steps=long_scenario_steps(12))
    for drawn in (small, bigger):
        # The user, the scenario with its topic, the editor's permissions (own and group's),
        # its steps and their choices, options and red flags.
        with django_assert_num_queries(8):
            editor_client.get(map_url(drawn))
