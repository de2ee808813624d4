"""The editors' admin and content packs: the export action and the pack upload page."""

import json
import time
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from awareness.models import Topic
from quizzes.models import CheckItem, Scenario, Step
from quizzes.scenarios.packs.validation import MAX_PACK_BYTES, MAX_PROBLEMS, validate_pack
from tests.factories import make_editor
from tests.quizzes.scenarios.test_admin import (
    CHANGELIST,
    IMPORT_PAGE,
    build_scenario_through_admin,
    make_topic,
    messages_of,
    run_action,
)

pytestmark = pytest.mark.django_db


# --- helpers ------------------------------------------------------------------------------------


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
