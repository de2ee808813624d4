"""Content-pack import: updates, dry runs and the import_content command."""

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from awareness.models import Topic
from quizzes.models import CheckItem, Scenario, Step
from quizzes.scenarios.packs.importer import ImportReport, pack_import
from quizzes.scenarios.packs.validation import PackError
from quizzes.scenarios.publishing import scenario_unpublish
from tests.quizzes.scenarios.packs.test_import_export import (
    NAME,
    counts,
    dumps,
    scenario_step,
    small_pack,
    snapshot,
)
from tests.quizzes.scenarios.packs.test_import_refusals import _unreachable

pytestmark = pytest.mark.django_db

# --- updates ----------------------------------------------------------------------------------


def test_first_import_creates_everything():
    report = pack_import(small_pack(), name=NAME)

    assert report == ImportReport(
        name=NAME,
        language="en",
        topics_created=2,
        scenarios_created=2,
        check_items_created=2,
        versions_published=2,
    )
    assert list(Topic.objects.values_list("slug", "position")) == [
        ("fake-part-time-jobs", 0),
        ("romance-scams", 1),
    ]
    scenario = Scenario.objects.get(slug="airport-fee")
    assert (scenario.status, scenario.min_age, scenario.topic.slug) == (
        "published",
        15,
        "romance-scams",
    )
    assert list(scenario.steps.values_list("key", flat=True)) == [
        "m1",
        "d1",
        "end-safe",
        "end-harm",
    ]
    item = CheckItem.objects.get(key="parcel-fee")
    assert (item.sender, item.is_scam, item.tactics) == ("+1 555 0100", True, ["urgency"])


def test_changed_objects_are_updated_and_only_they_are_written():
    pack_import(small_pack(), name=NAME)
    before = snapshot()
    pack = small_pack()
    pack["topics"][1]["title"] = "Romance and dating scams"
    scenario_step(pack, "likes-for-money", "n1")["text"] = "Two days later."
    pack["check_items"][0]["text"] = "Your code is 111111. Do not share it."

    report = pack_import(pack, name=NAME)

    assert (report.topics_updated, report.topics_unchanged) == (1, 1)
    assert (report.scenarios_updated, report.scenarios_unchanged) == (1, 1)
    assert (report.check_items_updated, report.check_items_unchanged) == (1, 1)
    assert report.versions_published == 1
    after = snapshot()
    assert after["Topic"][0] == before["Topic"][0]
    assert after["Topic"][1]["title"] == "Romance and dating scams"
    assert after["Topic"][1]["updated_at"] > before["Topic"][1]["updated_at"]
    assert after["CheckItem"][1] == before["CheckItem"][1]
    changed = Scenario.objects.get(slug="likes-for-money")
    assert changed.published_version.number == 2
    assert changed.steps.get(key="n1").text == "Two days later."
    untouched = Scenario.objects.get(slug="airport-fee")
    assert untouched.published_version.number == 1
    assert [s for s in after["Step"] if s["scenario_id"] == untouched.pk] == [
        s for s in before["Step"] if s["scenario_id"] == untouched.pk
    ]


def test_import_never_deletes_what_the_pack_leaves_out():
    pack_import(small_pack(), name=NAME)
    pack = small_pack()
    pack["scenarios"].pop()
    pack["check_items"].pop()

    pack_import(pack, name=NAME)

    assert Scenario.objects.count() == 2
    assert CheckItem.objects.count() == 2


def test_import_restores_a_draft_edited_since_and_reuses_its_version():
    pack_import(small_pack(), name=NAME)
    scenario = Scenario.objects.get(slug="likes-for-money")
    Step.objects.filter(scenario=scenario, key="n1").update(text="Unpublished edit.")

    report = pack_import(small_pack(), name=NAME)

    assert (report.scenarios_updated, report.versions_published) == (1, 0)
    assert scenario.steps.get(key="n1").text == "A day later."
    assert scenario.versions.count() == 1


def test_import_republishes_an_unpublished_scenario_on_its_old_version():
    pack_import(small_pack(), name=NAME)
    scenario = Scenario.objects.get(slug="airport-fee")
    scenario_unpublish(scenario=scenario)

    report = pack_import(small_pack(), name=NAME)

    scenario.refresh_from_db()
    assert (report.scenarios_updated, report.versions_published) == (1, 0)
    assert scenario.status == Scenario.Status.PUBLISHED
    assert scenario.published_version.number == 1


def test_existing_positions_and_translation_keys_are_kept():
    pack_import(small_pack(), name=NAME)
    Topic.objects.filter(slug="fake-part-time-jobs").update(position=7)
    Scenario.objects.filter(slug="airport-fee").update(translation_key="airport")
    Scenario.objects.filter(slug="likes-for-money").update(translation_key="")

    pack_import(small_pack(), name=NAME)

    assert Topic.objects.get(slug="fake-part-time-jobs").position == 7
    assert Scenario.objects.get(slug="airport-fee").translation_key == "airport"
    assert Scenario.objects.get(slug="likes-for-money").translation_key == "likes-for-money"


def test_topic_may_already_be_in_the_database_in_the_same_language_only():
    pack_import(small_pack(), name=NAME)
    pack = small_pack()
    pack["topics"] = []
    pack["scenarios"][0]["title"] = "Renamed"
    assert pack_import(pack, name=NAME).scenarios_updated == 1

    pack["language"] = "zh-hans"
    with pytest.raises(PackError) as excinfo:
        pack_import(pack, name=NAME)
    assert 'topic "fake-part-time-jobs" does not exist' in str(excinfo.value)
    assert not Scenario.objects.filter(language="zh-hans").exists()


def test_languages_are_separate():
    pack_import(small_pack(), name=NAME)
    pack = small_pack()
    pack["language"] = "zh-hans"

    report = pack_import(pack, name=NAME)

    assert report.topics_created == 2
    assert Topic.objects.filter(slug="romance-scams").count() == 2


# --- dry run ----------------------------------------------------------------------------------


def test_dry_run_reports_the_changes_and_writes_nothing():
    pack_import(small_pack(), name=NAME)
    before = snapshot()
    pack = small_pack()
    pack["topics"][0]["title"] = "New title"
    pack["scenarios"][1]["steps"][0]["text"] = "Please send 300, tell no one."
    pack["check_items"].append(dict(pack["check_items"][0], key="another-code"))

    dry = pack_import(copy.deepcopy(pack), name=NAME, dry_run=True)

    assert snapshot() == before
    assert dry.dry_run
    assert (dry.topics_updated, dry.scenarios_updated, dry.check_items_created) == (1, 1, 1)
    assert dry.versions_published == 1
    assert dry.summary().startswith("Dry run, nothing written: ")
    real = pack_import(pack, name=NAME)
    assert {**vars(dry), "dry_run": False} == vars(real)


def test_dry_run_of_an_invalid_pack_raises_the_same_errors():
    pack = small_pack()
    _unreachable(pack)
    with pytest.raises(PackError) as real:
        pack_import(pack, name=NAME)
    with pytest.raises(PackError) as dry:
        pack_import(pack, name=NAME, dry_run=True)
    assert dry.value.errors == real.value.errors


# --- import_content command -------------------------------------------------------------------


def _write(tmp_path: Path, pack: dict[str, Any] | bytes, name: str = NAME) -> Path:
    path = tmp_path / name
    path.write_bytes(pack if isinstance(pack, bytes) else dumps(pack))
    return path


def test_import_command_prints_a_summary_and_twice_changes_nothing(tmp_path):
    path = _write(tmp_path, small_pack())
    out = io.StringIO()

    call_command("import_content", str(path), stdout=out)
    before = snapshot()
    call_command("import_content", str(path), stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith(f"{NAME} [en]: topics: 2 created, 0 updated, 0 unchanged")
    assert first.endswith("2 versions published")
    assert second == (
        f"{NAME} [en]: topics: 0 created, 0 updated, 2 unchanged; scenarios: 0 created, "
        "0 updated, 2 unchanged; check items: 0 created, 0 updated, 2 unchanged; "
        "0 versions published (nothing to change)"
    )
    assert snapshot() == before


def test_import_command_dry_run_writes_nothing(tmp_path):
    path = _write(tmp_path, small_pack())
    out = io.StringIO()

    call_command("import_content", str(path), "--dry-run", stdout=out)

    assert counts() == dict.fromkeys(counts(), 0)
    assert out.getvalue().startswith("Dry run, nothing written: small.json [en]: topics: 2 created")


def test_import_command_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*nope\.json: No such file"):
        call_command("import_content", str(tmp_path / "nope.json"))


def test_import_command_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_content", str(tmp_path))


def test_import_command_invalid_json_is_a_clear_error(tmp_path):
    path = _write(tmp_path, b'{"format": "fraud-awareness-pack",\n  "version": 1,,}')
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"small\.json: refused, nothing imported \(1 problem\)"):
        call_command("import_content", str(path), stderr=err)

    assert err.getvalue().startswith('pack "small.json": invalid JSON at line 2 column')
    assert counts() == dict.fromkeys(counts(), 0)


def test_import_command_lists_every_problem_on_stderr(tmp_path):
    pack = small_pack()
    pack["version"] = 3
    _unreachable(pack)
    path = _write(tmp_path, pack)
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"refused, nothing imported \(2 problems\)"):
        call_command("import_content", str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        'pack "small.json": version 3 is not one of: 1, 2',
        'pack "small.json": scenario "airport-fee": step "n9": not reachable from start step "m1"',
    ]
    assert counts() == dict.fromkeys(counts(), 0)


def test_import_command_refuses_deep_nesting_clearly(tmp_path):
    path = _write(tmp_path, b'{"topics": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"small\.json: refused, nothing imported \(1 problem\)"):
        call_command("import_content", str(path), stderr=err)

    assert err.getvalue() == (
        'pack "small.json": invalid JSON: lists and objects are nested more than 20 levels '
        "deep (a content pack needs 7)\n"
    )


def test_import_command_lists_the_first_problems_of_a_badly_broken_pack(tmp_path):
    pack = small_pack()
    pack["check_items"] = [{"key": "X", "channel": "fax"}] * 60_000
    path = _write(tmp_path, pack)
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"refused, nothing imported \(more than 7 problems\)"):
        call_command("import_content", str(path), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0] == 'pack "small.json": check item "X": missing key "from"'
    assert lines[-1] == 'pack "small.json": …and more problems; fix these first'
    assert len(lines) == 8
    assert counts() == dict.fromkeys(counts(), 0)
