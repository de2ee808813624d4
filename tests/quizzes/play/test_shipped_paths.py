"""Every path of every shipped scenario, in both languages, played through the real views."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.models import Attempt, Scenario
from quizzes.play import start_throttle

pytestmark = pytest.mark.slow

CONTENT = Path(__file__).resolve().parents[3] / "content"
PACKS = sorted(CONTENT.glob("*.json"))


def all_paths(scenario: dict) -> list[list[tuple[str, str]]]:
    """Each path as the (step, choice) answers that lead to one ending; spots tick every flag."""
    steps = {s["key"]: s for s in scenario["steps"]}

    def walk(key: str) -> list[list[tuple[str, str]]]:
        step = steps[key]
        if step["kind"] == "ending":
            return [[]]
        if step["kind"] == "decision":
            return [[(key, c["key"]), *rest] for c in step["choices"] for rest in walk(c["next"])]
        if step["kind"] == "spot":
            return [[(key, "")] + rest for rest in walk(step["next"])]
        return walk(step["next"])

    return walk(scenario["start"])


@pytest.mark.django_db
@pytest.mark.parametrize("pack_path", PACKS, ids=[p.stem for p in PACKS])
def test_every_path_of_every_shipped_scenario_reaches_its_ending(client, pack_path, monkeypatch):
    # One client plays every path within seconds: far more starts than a person makes.
    monkeypatch.setattr(start_throttle, "STARTS_PER_PLAYER", 10_000)
    call_command("import_content", str(pack_path), verbosity=0)
    pack = json.loads(pack_path.read_text(encoding="utf-8"))
    language = pack["language"]
    header = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans" if language == "zh-hans" else "en"}
    played = 0
    for scenario in pack["scenarios"]:
        steps = {s["key"]: s for s in scenario["steps"]}
        slug = scenario["slug"]
        assert client.get(f"/scenarios/{slug}/", **header).status_code == 200
        for path in all_paths(scenario):
            response = client.post(f"/scenarios/{slug}/start/", **header)
            assert response.status_code == 302, slug
            play = response["Location"]
            for step_key, choice_key in path:
                page = client.get(play, **header)
                assert page.status_code == 200
                step = steps[step_key]
                if step["kind"] == "decision":
                    data = {"step": step_key, "choice": choice_key}
                else:
                    data = {
                        "step": step_key,
                        "options": [o["key"] for o in step["options"] if o["is_flag"]],
                    }
                response = client.post(play + "answer/", data, **header)
                assert response.status_code == 302, (slug, step_key, response.content[:300])
                assert client.get(response["Location"], **header).status_code == 200
            ending = client.get(play, **header)
            assert ending.status_code == 200
            assert 'class="ending ending-' in ending.content.decode(), (slug, path)
            played += 1
    assert played == sum(len(all_paths(s)) for s in pack["scenarios"])
    assert Attempt.objects.filter(status="completed").count() == played
    assert Scenario.objects.filter(language=language).published().count() == len(pack["scenarios"])
