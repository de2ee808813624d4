"""The editors' admin: building scenarios through the admin's own forms, publishing, duplicating.

Also holds the helpers that test_admin_packs.py and test_admin_access.py import; the fixtures
(editor_client, topic, draft) are in conftest.py.
"""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from awareness.models import Topic
from quizzes.models import Scenario, ScenarioVersion, Step
from quizzes.scenarios.publishing import scenario_publish

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/quizzes/scenario/"
IMPORT_PAGE = "/admin/quizzes/scenario/import-pack/"


# --- helpers ------------------------------------------------------------------------------------


def make_topic(language: str = "en", slug: str = "phishing") -> Topic:
    return Topic.objects.create(
        language=language, slug=slug, title="Phishing", summary="s", body_markdown="b"
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def formset(prefix: str, rows: list[dict[str, Any]], *, initial: int = 0) -> dict[str, Any]:
    """POST data for an inline formset: the management form plus one entry per row."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{field}": value for field, value in row.items()}
    return data


def step_row(key: str, kind: str, position: int, **fields: Any) -> dict[str, Any]:
    row = {
        "id": "",
        "key": key,
        "kind": kind,
        "position": str(position),
        "sender": "",
        "text": "",
        "prompt": "",
        "next_key": "",
        "outcome": "",
    }
    return row | fields


def scenario_form(topic: Topic, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Earn money by liking videos",
        "slug": "likes-for-money",
        "language": "en",
        "topic": str(topic.pk),
        "summary": "A stranger offers easy money.",
        "channel": "chat",
        "difficulty": "easy",
        "start_key": "m1",
        "estimated_minutes": "5",
        "min_age": "",
        "position": "0",
        "translation_key": "",
    }
    return data | overrides


BRANCHING_STEPS = [
    step_row(
        "m1",
        "message",
        0,
        sender="Amy (recruiter)",
        text="Hi! Earn 300 a day just by liking videos. Interested?",
        next_key="d1",
    ),
    step_row(
        "d1", "decision", 1, prompt="What do you reply?", tactics=["urgency", "too-good-to-be-true"]
    ),
    step_row(
        "m2", "message", 2, sender="Amy", text="Top up 500 to unlock tasks.", next_key="end-harm"
    ),
    step_row("end-safe", "ending", 3, outcome="safe", text="You kept your money."),
    step_row("end-harm", "ending", 4, outcome="harmed", text="The deposit is gone."),
]


def step_form(step: Step, **overrides: Any) -> dict[str, Any]:
    data = {
        "key": step.key,
        "kind": step.kind,
        "position": str(step.position),
        "sender": step.sender,
        "text": step.text,
        "prompt": step.prompt,
        "next_key": step.next_key,
        "outcome": step.outcome,
        "tactics": list(step.tactics),
    }
    return data | overrides


def build_scenario_through_admin(client: Client, topic: Topic) -> Scenario:
    """Create the scenario on the add page, then its choices and red flag on the step pages."""
    response = client.post(
        "/admin/quizzes/scenario/add/",
        scenario_form(topic) | formset("steps", BRANCHING_STEPS),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    scenario = Scenario.objects.get(slug="likes-for-money")

    d1 = scenario.steps.get(key="d1")
    choices = [
        {
            "id": "",
            "key": "a",
            "position": "0",
            "text": "Ignore and block.",
            "is_safe": "on",
            "feedback": "Right: easy money from strangers is a lure.",
            "next_key": "end-safe",
        },
        {
            "id": "",
            "key": "b",
            "position": "1",
            "text": "Tell me more!",
            "feedback": "This is how the task scam starts.",
            "next_key": "m2",
        },
    ]
    response = client.post(
        f"/admin/quizzes/step/{d1.pk}/change/", step_form(d1) | formset("choices", choices)
    )
    assert response.status_code == 302, response.context["errors"]

    m1 = scenario.steps.get(key="m1")
    flags = [
        {
            "id": "",
            "position": "0",
            "quote": "Earn 300 a day just by liking videos",
            "why": "Real jobs do not pay this much for trivial tasks.",
            "tactic": "too-good-to-be-true",
        }
    ]
    response = client.post(
        f"/admin/quizzes/step/{m1.pk}/change/", step_form(m1) | formset("red_flags", flags)
    )
    assert response.status_code == 302, response.context["errors"]
    return scenario


def run_action(client: Client, action: str, *scenarios: Scenario, follow: bool = False):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(s.pk) for s in scenarios]},
        follow=follow,
    )


# --- building and publishing --------------------------------------------------------------------


def test_editor_builds_a_branching_scenario_in_the_admin_and_publishes_it(editor_client, topic):
    scenario = build_scenario_through_admin(editor_client, topic)
    d1 = scenario.steps.get(key="d1")
    # Checkboxes are stored as a JSON list, in the order tactics are declared.
    assert d1.tactics == ["too-good-to-be-true", "urgency"]
    assert [c.key for c in d1.choices.all()] == ["a", "b"]

    response = run_action(editor_client, "publish_selected", scenario)

    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.PUBLISHED
    version = scenario.published_version
    assert version.number == 1
    steps = {s["key"]: s for s in version.content["steps"]}
    assert steps["m1"]["red_flags"][0]["tactic"] == "too-good-to-be-true"
    assert [c["next"] for c in steps["d1"]["choices"]] == ["end-safe", "m2"]
    assert any("published as version 1" in m for m in messages_of(response))


def test_publishing_an_invalid_scenario_shows_every_problem_and_publishes_nothing(
    editor_client, topic
):
    steps = [
        step_row("m1", "message", 0, sender="Amy", text="Hi", next_key="ghost"),
        step_row("d1", "decision", 1, prompt="What now?"),
        step_row("end", "ending", 2, outcome="safe", text="Bye"),
    ]
    response = editor_client.post(
        "/admin/quizzes/scenario/add/",
        scenario_form(topic, start_key="nope") | formset("steps", steps),
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get()

    response = run_action(editor_client, "publish_selected", scenario)

    errors = [m for m in messages_of(response) if "was added" not in m]
    prefix = "“Earn money by liking videos [en]” was not published: "
    assert sorted(errors) == sorted(
        prefix + problem
        for problem in [
            'start step "nope" does not exist',
            'step "m1": next step "ghost" does not exist',
            'step "d1": choices has 0 items; it must have at least 2',
            'step "d1": is not an ending and has no next step, '
            "so this path never reaches an ending",
        ]
    )
    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.DRAFT
    assert scenario.published_version is None
    assert not ScenarioVersion.objects.exists()


def test_publishing_two_scenarios_publishes_the_valid_one_only(editor_client, topic, draft):
    broken = Scenario.objects.create(
        language="en",
        slug="broken",
        title="Broken",
        summary="s",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="x",
    )
    response = run_action(editor_client, "publish_selected", draft, broken)

    draft.refresh_from_db()
    broken.refresh_from_db()
    assert draft.status == Scenario.Status.PUBLISHED
    assert broken.status == Scenario.Status.DRAFT and not broken.versions.exists()
    errors = [m for m in messages_of(response) if "was not published" in m]
    assert errors and all("Broken [en]" in m for m in errors)


def test_change_page_check_lists_problems_and_publish_button_publishes(editor_client, topic, draft):
    change = editor_client.get(f"/admin/quizzes/scenario/{draft.pk}/change/")
    publish_url = f"/admin/quizzes/scenario/{draft.pk}/publish/"
    assert publish_url in change.content.decode()

    Step.objects.filter(scenario=draft, key="n1").update(next_key="missing")
    page = editor_client.get(publish_url)
    assert page.status_code == 200
    # In plain words, each under its step (tests/quizzes/scenarios/editor/test_publish_page.py).
    assert [(p.step_key, p.message) for p in page.context["errors"]] == [
        ("n1", "It leads to a step that does not exist any more: choose another next step."),
        ("end", "No path from the first step reaches this step."),
    ]
    for problem in page.context["errors"]:
        assert f"<li>{escape(problem.message)}</li>" in page.content.decode()
    assert 'name="publish"' not in page.content.decode()
    response = editor_client.post(publish_url)
    assert response.status_code == 302 and response["Location"] == publish_url
    assert len(messages_of(response)) == 2
    assert not draft.versions.exists()

    Step.objects.filter(scenario=draft, key="n1").update(next_key="end")
    page = editor_client.get(publish_url)
    assert "No problems found" in page.content.decode()
    assert 'name="publish"' in page.content.decode()
    response = editor_client.post(publish_url)
    assert response["Location"] == f"/admin/quizzes/scenario/{draft.pk}/change/"
    draft.refresh_from_db()
    assert draft.status == Scenario.Status.PUBLISHED


def test_change_page_links_to_the_student_preview(editor_client, draft):
    preview = reverse("play:scenario-preview", args=[draft.pk])
    response = editor_client.get(f"/admin/quizzes/scenario/{draft.pk}/change/")
    assert f'href="{preview}"' in response.content.decode()


def test_publish_page_of_another_scenario_id_is_404(editor_client):
    assert editor_client.get("/admin/quizzes/scenario/999999/publish/").status_code == 404


def test_unpublish_and_duplicate_actions(editor_client, draft):
    scenario_publish(scenario=draft)

    run_action(editor_client, "unpublish_selected", draft)
    draft.refresh_from_db()
    assert draft.status == Scenario.Status.DRAFT and draft.published_version is None
    assert draft.versions.count() == 1  # history is kept

    response = run_action(editor_client, "duplicate_selected", draft)
    copy = Scenario.objects.get(slug="fake-refund-copy")
    assert copy.status == Scenario.Status.DRAFT
    assert list(copy.steps.values_list("key", flat=True)) == ["n1", "end"]
    assert any("fake-refund-copy" in m for m in messages_of(response))


def test_step_form_explains_ending_rules_in_plain_words(editor_client, draft):
    end = draft.steps.get(key="end")
    response = editor_client.post(
        f"/admin/quizzes/step/{end.pk}/change/", step_form(end, outcome="", next_key="n1")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["outcome"] == ["An ending needs an outcome."]
    assert errors["next_key"] == ["An ending has no next step; leave this empty."]


def test_choice_next_step_is_a_select_of_the_scenarios_steps(editor_client, topic):
    scenario = build_scenario_through_admin(editor_client, topic)
    d1 = scenario.steps.get(key="d1")
    scenario.steps.get(key="d1").choices.filter(key="b").update(next_key="gone")

    page = editor_client.get(f"/admin/quizzes/step/{d1.pk}/change/").content.decode()

    assert '<select name="choices-0-next_key"' in page
    assert '<option value="end-safe" selected>end-safe (Ending)</option>' in page
    # A broken link stays visible instead of silently becoming another step.
    assert '<option value="gone" selected>gone (no such step)</option>' in page


def test_spot_options_are_edited_on_the_spot_steps_page(editor_client, draft):
    spot = Step.objects.create(
        scenario=draft,
        key="s1",
        kind="spot",
        position=5,
        sender="Bank",
        text="Pay now at bank-refund.example or lose your account.",
        prompt="Tap everything suspicious.",
        next_key="end",
    )
    option = {"id": "", "key": "o1", "position": "0", "quote": "Pay now", "why": "Rush."}
    url = f"/admin/quizzes/step/{spot.pk}/change/"
    assert 'name="options-TOTAL_FORMS"' in editor_client.get(url).content.decode()

    response = editor_client.post(
        url, step_form(spot) | formset("options", [option | {"is_flag": "on"}])
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0] == {
        "tactic": ["A red-flag option needs a tactic."]
    }

    response = editor_client.post(
        url,
        step_form(spot)
        | formset(
            "options",
            [
                option | {"is_flag": "on", "tactic": "urgency"},
                option | {"key": "o2", "quote": "your account", "why": "Harmless."},
            ],
        ),
    )
    assert response.status_code == 302
    assert list(spot.options.values_list("key", "is_flag", "tactic")) == [
        ("o1", True, "urgency"),
        ("o2", False, ""),
    ]


def test_editor_sets_a_messages_channel_chrome_and_a_flag_quoted_from_it(editor_client, draft):
    """Pack version 2 in the admin: the step's own channel, its chrome, a red flag quoting the
    address, and "genuine" on the scenario; publishing keeps them all."""
    message = Step.objects.create(
        scenario=draft, key="m1", kind="message", position=1, sender="x", text="x", next_key="end"
    )
    draft.steps.filter(key="n1").update(next_key="m1")
    url = f"/admin/quizzes/step/{message.pk}/change/"
    chrome = {
        "channel": "email",
        "sender": "NorthBank",
        "address": "alerts@n0rthbank.example",
        "subject": "Card on hold",
        "attachment_kind": "document",
        "attachment_title": "Statement",
        "text": "Open the attachment to unlock your card.",
    }
    flag = {"id": "", "position": "0", "tactic": "lookalike", "why": "A zero for an o."}
    response = editor_client.post(
        url,
        step_form(message, **chrome)
        | {"verified": "on"}
        | formset("red_flags", [flag | {"quote": "n0rthbank", "field": "address"}]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    message.refresh_from_db()
    assert (message.channel, message.address, message.verified) == (
        "email",
        "alerts@n0rthbank.example",
        True,
    )
    assert message.red_flags.get().field == "address"

    Scenario.objects.filter(pk=draft.pk).update(genuine=True)
    draft.steps.filter(key="end").update(outcome="missed-out")
    scenario_publish(scenario=Scenario.objects.get(pk=draft.pk))
    content = Scenario.objects.get(pk=draft.pk).published_version.content
    step = next(s for s in content["steps"] if s["key"] == "m1")
    assert content["genuine"] is True
    assert {k: step[k] for k in ("channel", "address", "verified", "subject")} == {
        "channel": "email",
        "address": "alerts@n0rthbank.example",
        "verified": True,
        "subject": "Card on hold",
    }
    assert step["attachment"] == {"kind": "document", "title": "Statement"}
    assert step["red_flags"][0] == {
        "quote": "n0rthbank",
        "field": "address",
        "why": "A zero for an o.",
        "tactic": "lookalike",
    }


def test_a_step_channel_on_a_decision_is_refused_in_plain_words(editor_client, draft):
    end = draft.steps.get(key="end")
    response = editor_client.post(
        f"/admin/quizzes/step/{end.pk}/change/", step_form(end, channel="sms")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Only a message or a spot step has a channel of its own; leave it empty."
    ]
