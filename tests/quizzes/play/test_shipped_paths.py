"""Every path of every shipped scenario, in both languages, played through the real views.

Paths share their first answers (a scenario with three two-way decisions has 8 paths but 14
answers to give), so each answer is posted once per distinct way of reaching it: where paths
part, the attempt so far is copied and each copy goes on with its own answer. Every path still
reaches its ending through the answer view, and ends as a completed attempt of its own. Each
page (intro, question, feedback, ending) is fetched the first time the walk meets it.

It is about the content, not the database: it runs in the suite's SQLite run only (over a
minute of CPU); the answer view on PostgreSQL is tested in tests/quizzes/play.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from quizzes.models import Answer, Attempt, Scenario
from quizzes.play import start_throttle
from quizzes.scenarios import engine
from tests.live_servers import in_the_run_on

pytestmark = [pytest.mark.slow, in_the_run_on("sqlite")]

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


def copy_of(attempt: Attempt) -> Attempt:
    """A new attempt at the same point, with the same answers (where two paths part)."""
    answers = list(Answer.objects.filter(attempt=attempt))
    copy = Attempt.objects.get(pk=attempt.pk)
    copy.pk = None
    copy._state.adding = True
    copy.save()
    for answer in answers:
        answer.pk = None
        answer.attempt = copy
    Answer.objects.bulk_create(answers)
    return copy


class Walk:
    """Plays one scenario's tree of paths through the views."""

    def __init__(self, client, scenario: dict[str, Any], header: dict[str, str]) -> None:
        self.client = client
        self.scenario = scenario
        self.slug = scenario["slug"]
        self.steps = {s["key"]: s for s in scenario["steps"]}
        self.header = header
        self.fetched: set[str] = set()
        self.endings_reached = 0

    def get_once(self, url: str, page: str) -> str:
        """The HTML of ``page`` (found at ``url``) the first time it is met; "" after that."""
        if page in self.fetched:
            return ""
        self.fetched.add(page)
        response = self.client.get(url, **self.header)
        assert response.status_code == 200, (self.slug, url)
        return response.content.decode()

    def play(self) -> None:
        response = self.client.post(f"/scenarios/{self.slug}/start/", **self.header)
        assert response.status_code == 302, self.slug
        attempt = Attempt.objects.get(scenario__slug=self.slug, status="in-progress")
        first_stop = engine.run_to_stop(self.scenario, self.scenario["start"])[-1]
        self.from_stop(attempt, first_stop)

    def from_stop(self, attempt: Attempt, key: str) -> None:
        assert attempt.current_key == key, (self.slug, attempt.path)
        url = reverse("play:attempt-play", args=[self.slug, attempt.pk])
        step = self.steps[key]
        page = self.get_once(url, f"{self.slug}:{key}")
        if step["kind"] == "ending":
            assert not page or 'class="ending ending-' in page, (self.slug, key)
            assert attempt.status == "completed" and attempt.outcome == step["outcome"]
            self.endings_reached += 1
            return
        if step["kind"] == "decision":
            answers = [({"choice": c["key"]}, c["next"]) for c in step["choices"]]
        else:
            flags = [o["key"] for o in step["options"] if o["is_flag"]]
            answers = [({"options": flags}, step["next"])]
        # Copies first, while the attempt still stands where the paths part.
        players = [copy_of(attempt) for _ in answers[1:]] + [attempt]
        for player, (data, after) in zip(players, answers, strict=True):
            self.answer(player, key, data, after)

    def answer(self, attempt: Attempt, key: str, data: dict[str, Any], after: str) -> None:
        url = reverse("play:attempt-answer", args=[self.slug, attempt.pk])
        response = self.client.post(url, {"step": key, **data}, **self.header)
        assert response.status_code == 302, (self.slug, key, response.content[:300])
        self.get_once(response["Location"], f"{self.slug}:{key}:{data}")  # its feedback
        attempt.refresh_from_db()
        self.from_stop(attempt, engine.run_to_stop(self.scenario, after)[-1])


@pytest.mark.django_db
@pytest.mark.parametrize("pack_path", PACKS, ids=[p.stem for p in PACKS])
def test_every_path_of_every_shipped_scenario_reaches_its_ending(client, pack_path, monkeypatch):
    # One client starts every scenario within seconds: more starts than a person makes.
    monkeypatch.setattr(start_throttle, "STARTS_PER_PLAYER", 10_000)
    call_command("import_content", str(pack_path), verbosity=0)
    pack = json.loads(pack_path.read_text(encoding="utf-8"))
    language = pack["language"]
    header = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans" if language == "zh-hans" else "en"}
    paths = 0
    for scenario in pack["scenarios"]:
        assert client.get(f"/scenarios/{scenario['slug']}/", **header).status_code == 200
        walk = Walk(client, scenario, header)
        walk.play()
        assert walk.endings_reached == len(all_paths(scenario)), scenario["slug"]
        paths += walk.endings_reached
    # Each path is an attempt of its own, completed through the answer view.
    assert Attempt.objects.filter(status="completed").count() == paths
    assert not Attempt.objects.filter(status="in-progress").exists()
    assert Scenario.objects.filter(language=language).published().count() == len(pack["scenarios"])
