"""The editors' admin: building scenarios through the admin's own forms, publishing, duplicating,
exporting and importing packs, and who may reach what."""

import json
import time
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from awareness.models import Topic
from quizzes.models import CheckItem, Scenario, ScenarioVersion, Step
from quizzes.scenarios.packs.validation import MAX_PACK_BYTES, MAX_PROBLEMS, validate_pack
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps
from tests.factories import make_editor, make_student, make_teacher

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


def valid_pack(slug: str = "likes-for-money") -> dict[str, Any]:
    return {
        "format": "fraud-awareness-pack",
        "version": 1,
        "language": "en",
        "topics": [
            {
                "slug": "fake-part-time-jobs",
                "title": "Fake part-time jobs",
                "summary": "Easy money for simple online tasks.",
                "body_markdown": "How it works.",
                "red_flags": ["Pay for doing almost nothing"],
                "what_to_do": ["Stop and talk to someone you trust"],
            }
        ],
        "scenarios": [
            {
                "slug": slug,
                "title": "Earn money by liking videos",
                "topic": "fake-part-time-jobs",
                "channel": "chat",
                "difficulty": "easy",
                "summary": "A stranger offers easy money.",
                "start": "d1",
                "steps": [
                    {
                        "key": "d1",
                        "kind": "decision",
                        "prompt": "What do you reply?",
                        "choices": [
                            {
                                "key": "a",
                                "text": "Block.",
                                "safe": True,
                                "feedback": "Good.",
                                "next": "end",
                            },
                            {
                                "key": "b",
                                "text": "Reply.",
                                "safe": False,
                                "feedback": "Risky.",
                                "next": "end",
                            },
                        ],
                    },
                    {"key": "end", "kind": "ending", "outcome": "safe", "text": "Done."},
                ],
            }
        ],
        "check_items": [
            {
                "key": "bank-otp-sms",
                "channel": "sms",
                "from": "95588",
                "text": "Your code is 482913. Do not share it.",
                "is_scam": False,
                "tactics": [],
                "explanation": "Legitimate.",
            }
        ],
    }


def upload(client: Client, content: bytes, *, mode: str, name: str = "pack.json", **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, content, content_type="application/json")
    return client.post(IMPORT_PAGE, {"pack": file, "mode": mode}, **kwargs)


@pytest.fixture
def editor_client(client: Client) -> Client:
    client.force_login(make_editor())
    return client


@pytest.fixture
def topic() -> Topic:
    return make_topic()


@pytest.fixture
def draft(topic: Topic) -> Scenario:
    """A valid draft built through the publishing service's own step writer."""
    scenario = Scenario.objects.create(
        language="en",
        slug="fake-refund",
        title="Fake refund",
        summary="s",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="n1",
    )
    scenario_replace_steps(
        scenario=scenario,
        steps=[
            {"key": "n1", "kind": "narration", "text": "A text arrives.", "next": "end"},
            {"key": "end", "kind": "ending", "outcome": "safe", "text": "Done."},
        ],
    )
    return scenario


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
    assert page.context["errors"] == [
        'step "n1": next step "missing" does not exist',
        'step "end": not reachable from start step "n1"',
    ]
    for problem in page.context["errors"]:
        assert f"<li>{escape(problem)}</li>" in page.content.decode()
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


# --- export -------------------------------------------------------------------------------------


def test_export_action_downloads_a_valid_pack(editor_client, topic):
    scenario = build_scenario_through_admin(editor_client, topic)

    response = run_action(editor_client, "export_selected", scenario)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="likes-for-money-en.json"'
    pack = json.loads(response.content)
    assert validate_pack(pack, name="export") == []
    assert [s["slug"] for s in pack["scenarios"]] == ["likes-for-money"]
    assert [t["slug"] for t in pack["topics"]] == ["phishing"]


def test_export_refuses_scenarios_in_two_languages(editor_client, draft):
    zh_topic = make_topic(language="zh-hans")
    other = Scenario.objects.create(
        language="zh-hans",
        slug="fake-refund",
        title="假退款",
        summary="s",
        topic=zh_topic,
        channel="sms",
        difficulty="easy",
        start_key="n1",
    )
    response = run_action(editor_client, "export_selected", draft, other)

    assert response.status_code == 302
    assert any("one language" in m and "en, zh-hans" in m for m in messages_of(response))


def test_export_refuses_a_broken_draft_naming_the_problem(editor_client, draft):
    Step.objects.filter(scenario=draft, key="n1").update(next_key="missing")
    response = run_action(editor_client, "export_selected", draft)
    assert response.status_code == 302
    assert any('next step "missing" does not exist' in m for m in messages_of(response))


# --- pack upload --------------------------------------------------------------------------------


def test_changelist_links_to_the_upload_page(editor_client):
    assert IMPORT_PAGE in editor_client.get(CHANGELIST).content.decode()


def test_upload_check_only_reports_counts_and_writes_nothing(editor_client):
    response = upload(editor_client, json.dumps(valid_pack()).encode(), mode="validate")

    assert response.status_code == 200
    report = response.context["report"]
    assert report.dry_run and report.scenarios_created == 1 and report.check_items_created == 1
    page = response.content.decode()
    assert "is valid. Nothing was written" in page
    assert "One scenario version would be published." in page
    assert not Scenario.objects.exists() and not CheckItem.objects.exists()


def test_upload_import_writes_the_pack_and_reports_counts(editor_client):
    response = upload(editor_client, json.dumps(valid_pack()).encode(), mode="import")

    assert response.status_code == 200
    report = response.context["report"]
    assert not report.dry_run and report.topics_created == 1 and report.scenarios_created == 1
    page = response.content.decode()
    assert "“pack.json” was imported" in page and "One scenario version was published." in page
    scenario = Scenario.objects.get(slug="likes-for-money")
    assert scenario.status == Scenario.Status.PUBLISHED
    assert CheckItem.objects.filter(key="bank-otp-sms").exists()


def test_upload_of_a_broken_pack_shows_every_error_and_imports_nothing(editor_client):
    pack = valid_pack()
    pack["scenarios"][0]["start"] = "nowhere"
    pack["scenarios"][0]["steps"][0]["choices"][1]["next"] = "ghost"
    pack["check_items"][0]["channel"] = "pigeon"

    response = upload(editor_client, json.dumps(pack).encode(), mode="import", name="bad.json")

    assert response.status_code == 200
    errors = response.context["errors"]
    assert len(errors) >= 3
    page = response.content.decode()
    for error in errors:
        assert f"<li>{escape(error)}</li>" in page
    assert any('start step "nowhere" does not exist' in e for e in errors)
    assert any('next step "ghost" does not exist' in e for e in errors)
    assert any('"pigeon" is not one of' in e for e in errors)
    assert not Scenario.objects.exists() and not Topic.objects.exists()


def test_upload_of_invalid_json_names_the_line(editor_client):
    response = upload(editor_client, b'{"format": ', mode="validate", name="broken.json")
    assert response.context["errors"] == [
        'pack "broken.json": invalid JSON at line 1 column 12: Expecting value'
    ]


def test_upload_larger_than_5_mb_is_refused_with_a_clear_message(editor_client):
    response = upload(editor_client, b" " * (MAX_PACK_BYTES + 1), mode="validate")
    assert response.status_code == 200
    # The upload handler drops the file as soon as it passes the limit: it is never stored.
    assert "pack" not in response.wsgi_request.FILES
    assert response.context["form"].errors["pack"] == [
        "The file is larger than 5 MB. Split the pack into smaller packs."
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(
            '{"language": "zh-hans", "title": "刷单"}'.encode("gb18030"),
            'pack "pack.json": file is not valid UTF-8 (bad byte at offset 36)',
            id="not-utf-8",
        ),
        pytest.param(
            b"format: fraud-awareness-pack\n",
            'pack "pack.json": invalid JSON at line 1 column 1: Expecting value',
            id="not-json",
        ),
        pytest.param(
            b'["fraud-awareness-pack"]',
            'pack "pack.json": the top level must be a JSON object, not a list',
            id="top-level-list",
        ),
        pytest.param(
            b'{"format": "fraud-awareness-pack", "topics": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}",
            'pack "pack.json": invalid JSON: lists and objects are nested more than 20 levels '
            "deep (a content pack needs 7)",
            id="nested-100000-deep",
        ),
    ],
)
def test_upload_of_a_file_that_is_no_pack_says_why(editor_client, content: bytes, problem: str):
    response = upload(editor_client, content, mode="import")

    assert response.status_code == 200
    assert response.context["errors"] == [problem]
    page = response.content.decode()
    assert "Nothing was imported: the pack has one problem" in page
    assert f"<li>{escape(problem)}</li>" in page
    assert not Topic.objects.exists()


def test_upload_nested_just_too_deep_for_the_checker_is_refused_without_a_server_error(
    editor_client,
):
    # Depths the parser could still manage but the checker (recursing deeper) could not
    # gave a RecursionError, a 500: now every depth past the limit is refused the same way.
    editor_client.raise_request_exception = False
    answers = {}
    for depth in range(850, 1000):
        content = b'{"topics": [' + b"[" * depth + b"]" * depth + b"]}"
        response = upload(editor_client, content, mode="validate")
        errors = response.context["errors"] if response.status_code == 200 else None
        answers[depth] = (response.status_code, errors)

    assert [depth for depth, (status, _) in answers.items() if status != 200] == []
    too_deep = [
        'pack "pack.json": invalid JSON: lists and objects are nested more than 20 levels '
        "deep (a content pack needs 7)"
    ]
    assert all(errors == too_deep for _, errors in answers.values())


def test_upload_of_sixty_thousand_broken_items_is_answered_quickly_with_the_first_problems(
    editor_client,
):
    items = ",".join(['{"key":"X","channel":"fax"}'] * 60_000)
    content = (
        '{"format":"fraud-awareness-pack","version":1,"language":"en","topics":[],'
        f'"scenarios":[],"check_items":[{items}]}}'
    ).encode()
    assert 1_500_000 < len(content) < 1_800_000

    started = time.perf_counter()
    response = upload(editor_client, content, mode="import", name="bad.json")
    elapsed = time.perf_counter() - started

    # It took over a minute when every one of the 420,000 problems was worked out and listed.
    assert elapsed < 5, elapsed
    assert response.status_code == 200
    errors = response.context["errors"]
    assert response.context["more_problems"]
    # The seven problems every item repeats, each listed once; the note is the page's own.
    assert 0 < len(errors) <= MAX_PROBLEMS
    assert 'pack "bad.json": check item "X": missing key "from"' in errors
    assert not any("more problems" in error for error in errors)
    page = response.content.decode()
    assert f"the pack has more problems than the {len(errors)} listed here" in page
    assert "Checking stopped early. Fix these problems first" in page
    assert not CheckItem.objects.exists()


def test_upload_without_a_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())
    assert client.get(IMPORT_PAGE).status_code == 200
    response = upload(client, json.dumps(valid_pack()).encode(), mode="import")
    assert response.status_code == 403
    assert not Scenario.objects.exists()


# --- other models -------------------------------------------------------------------------------


def test_check_item_tactics_are_checkboxes_and_a_scam_needs_one(editor_client):
    form = {
        "language": "en",
        "key": "parcel-fee",
        "channel": "sms",
        "sender": "+44 7700 900123",
        "text": "Your parcel is held. Pay 1.99 within 24 hours.",
        "is_scam": "on",
        "explanation": "Couriers do not ask for fees by text.",
    }
    page = editor_client.get("/admin/quizzes/checkitem/add/").content.decode()
    assert 'type="checkbox" name="tactics" value="urgency"' in page

    response = editor_client.post("/admin/quizzes/checkitem/add/", form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tactics"] == [
        "A scam item must name at least one tactic."
    ]

    response = editor_client.post(
        "/admin/quizzes/checkitem/add/", form | {"tactics": ["urgency", "pay-to-unlock"]}
    )
    assert response.status_code == 302
    assert CheckItem.objects.get().tactics == ["pay-to-unlock", "urgency"]


def test_versions_are_read_only_for_editors(editor_client, draft):
    version = scenario_publish(scenario=draft)
    url = f"/admin/quizzes/scenarioversion/{version.pk}/change/"

    assert editor_client.get("/admin/quizzes/scenarioversion/").status_code == 200
    page = editor_client.get(url)
    assert page.status_code == 200 and "&quot;start&quot;: &quot;n1&quot;" in page.content.decode()
    assert editor_client.post(url, {"number": "7"}).status_code == 403
    assert editor_client.get("/admin/quizzes/scenarioversion/add/").status_code == 403
    assert editor_client.post(url.replace("change", "delete"), {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.number == 1


def test_a_published_scenario_cannot_be_deleted_but_a_never_published_draft_can(
    editor_client, topic, draft
):
    scenario_publish(scenario=draft)
    response = editor_client.post(f"/admin/quizzes/scenario/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Scenario.objects.filter(pk=draft.pk).exists()

    fresh = Scenario.objects.create(
        language="en",
        slug="new",
        title="New",
        summary="s",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="x",
    )
    response = editor_client.post(f"/admin/quizzes/scenario/{fresh.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Scenario.objects.filter(pk=fresh.pk).exists()


def test_scenario_changelist_queries_do_not_grow_with_scenarios(
    editor_client, topic, django_assert_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            scenario = Scenario.objects.create(
                language="en",
                slug=f"s{Scenario.objects.count()}-{i}",
                title=f"S {i}",
                summary="s",
                topic=topic,
                channel="sms",
                difficulty="easy",
                start_key="n1",
            )
            scenario_replace_steps(
                scenario=scenario,
                steps=[{"key": "end", "kind": "ending", "outcome": "safe", "text": "x"}],
            )

    add(2)
    editor_client.get(CHANGELIST)  # warm caches (content types, permissions)
    # 7 queries: user (the session is cached), user's and groups' permissions, the topic
    # filter's choices, count (filtered and total), and the page of scenarios with topic,
    # version and step count.
    with django_assert_num_queries(7):
        assert editor_client.get(CHANGELIST).status_code == 200
    add(8)
    with django_assert_num_queries(7):
        assert editor_client.get(CHANGELIST).status_code == 200


# --- who may reach what -------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [make_student, make_teacher])
@pytest.mark.parametrize(
    "url", [CHANGELIST, IMPORT_PAGE, "/admin/quizzes/checkitem/", "/admin/quizzes/step/"]
)
def test_students_and_teachers_get_no_admin(client, make_user, url):
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_student_cannot_run_actions_or_publish(client, draft):
    client.force_login(make_student())
    run_action(client, "publish_selected", draft)
    client.post(f"/admin/quizzes/scenario/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == Scenario.Status.DRAFT


@pytest.mark.parametrize(
    "url",
    [
        "/admin/awareness/user/",
        "/admin/auth/group/",
        "/admin/quizzes/attempt/",
        "/admin/quizzes/answer/",
        "/admin/quizzes/classroom/",
        "/admin/quizzes/membership/",
        "/admin/quizzes/assignment/",
    ],
)
def test_editor_cannot_reach_users_groups_or_student_data(editor_client, url):
    assert editor_client.get(url).status_code in (403, 404)


def test_editor_index_lists_content_but_not_student_data(editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert "/admin/quizzes/scenario/" in page and "/admin/quizzes/checkitem/" in page
    assert "/admin/quizzes/attempt/" not in page and "/admin/awareness/user/" not in page


def test_staff_without_the_editor_role_cannot_import_or_publish(client, draft):
    from awareness.models import User

    staff = User.objects.create_user(username="plainstaff", password="x-long-pass-1", is_staff=True)
    client.force_login(staff)
    assert client.get(IMPORT_PAGE).status_code == 403
    assert client.get(f"/admin/quizzes/scenario/{draft.pk}/publish/").status_code == 403
    assert client.post(f"/admin/quizzes/scenario/{draft.pk}/publish/").status_code == 403
    assert not draft.versions.exists()
