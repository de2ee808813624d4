"""Options are shown in an order drawn once per attempt and stored with it: the position of
the safe choice tells nothing, and a reload or a resumed attempt shows the same order."""

import random

import pytest

from quizzes.models import Attempt
from quizzes.play.services import attempt_start
from quizzes.scenarios import engine
from quizzes.scenarios.versions import version_content
from tests.factories import make_branching_scenario, make_scenario, make_student

pytestmark = pytest.mark.django_db


def positions(html: str, texts: list[str]) -> list[str]:
    """The texts sorted by where they appear in the page."""
    assert all(text in html for text in texts), texts
    return sorted(texts, key=html.index)


def test_each_attempt_stores_an_order_for_every_step_with_options():
    scenario = make_branching_scenario()
    attempt = attempt_start(scenario=scenario, user=make_student())
    content = version_content(attempt.version_id)
    steps = engine.steps_by_key(content)
    assert set(attempt.option_order) == {"d1", "s1", "d2"}
    assert sorted(attempt.option_order["d1"]) == ["a", "b", "c"]
    assert sorted(attempt.option_order["s1"]) == sorted(o["key"] for o in steps["s1"]["options"])


def test_orders_differ_between_attempts():
    scenario = make_branching_scenario()  # d1 has 3 choices: 6 orders
    student = make_student()
    orders = {
        tuple(attempt_start(scenario=scenario, user=student).option_order["d1"]) for _ in range(30)
    }
    assert len(orders) > 1  # the same order 30 times running: (1/6)**29


def test_the_play_page_shows_the_stored_order_on_every_reload(client):
    scenario = make_branching_scenario()
    student = make_student()
    client.force_login(student)
    attempt = attempt_start(scenario=scenario, user=student)
    texts = ["Ignore and block.", "Tell me more!", "Send my ID card."]
    for order in (["c", "a", "b"], ["b", "c", "a"]):
        Attempt.objects.filter(pk=attempt.pk).update(option_order={"d1": order})
        url = f"/scenarios/{scenario.slug}/play/{attempt.pk}/"
        shown = {key: text for key, text in zip("abc", texts, strict=True)}
        for _ in range(2):  # the same order on a reload
            html = client.get(url).content.decode()
            assert positions(html, texts) == [shown[key] for key in order]


def test_an_attempt_without_a_stored_order_shows_the_pack_order(client):
    scenario = make_scenario()
    student = make_student()
    client.force_login(student)
    attempt = attempt_start(scenario=scenario, user=student)
    Attempt.objects.filter(pk=attempt.pk).update(option_order={})
    html = client.get(f"/scenarios/{scenario.slug}/play/{attempt.pk}/").content.decode()
    assert positions(html, ["Ignore and block.", "Sounds great, tell me more!"]) == [
        "Ignore and block.",
        "Sounds great, tell me more!",
    ]


def test_in_shown_order_puts_unknown_options_last_in_pack_order():
    step = {"key": "d", "kind": "decision", "choices": [{"key": k} for k in "abcd"]}
    shown = engine.in_shown_order(step, {"d": ["c", "a"]})
    assert [o["key"] for o in shown] == ["c", "a", "b", "d"]


def test_shuffled_order_is_a_permutation_of_each_steps_options():
    content = {
        "steps": [
            {"key": "d", "kind": "decision", "choices": [{"key": k} for k in "abc"]},
            {"key": "s", "kind": "spot", "options": [{"key": k} for k in "xyz"]},
            {"key": "one", "kind": "decision", "choices": [{"key": "only"}]},
            {"key": "m", "kind": "message"},
        ]
    }
    order = engine.shuffled_order(content, random.Random(4))
    assert set(order) == {"d", "s"}  # a single option has nothing to shuffle
    assert sorted(order["d"]) == ["a", "b", "c"] and sorted(order["s"]) == ["x", "y", "z"]


def test_the_class_page_names_choices_by_their_text(client):
    from tests.factories import add_student, assign, make_class, play

    classroom = make_class()
    scenario = make_branching_scenario("Likes")
    assign(classroom, scenario)
    student = add_student(classroom)
    play(scenario, student, "harmed")  # d1 "c", then d2 "b"
    client.force_login(classroom.teacher)
    html = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "Send my ID card." in html
    csv = client.get(f"/classes/{classroom.pk}/answers.csv").content.decode("utf-8-sig")
    assert "Send my ID card." in csv and "Pay the deposit." in csv
