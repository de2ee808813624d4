"""Pack format version 2: a decision's "discussion" questions and a topic's "lesson_plan",
from validation through import, export, publishing and the admin."""

import json
from typing import Any

import pytest
from django.test import Client

from awareness.models import Topic
from quizzes.models import Scenario, Step
from quizzes.scenarios.packs.exporter import canonical_pack, pack_dumps, pack_export
from quizzes.scenarios.packs.importer import pack_import
from quizzes.scenarios.packs.validation import validate_pack
from quizzes.scenarios.publishing import scenario_publish
from tests.quizzes.scenarios.packs.test_import_export import NAME, scenario_step, small_pack
from tests.quizzes.scenarios.test_admin import formset, step_form

pytestmark = pytest.mark.django_db

QUESTIONS = [
    "Why would a stranger pay 300 a day for liking videos?",
    "What would you tell a friend who already replied?",
]
LESSON = {
    "warm_up": "Ask who has seen an ad for easy money online.",
    "play": "Everyone plays the scenario on a phone.",
    "discuss": "Ask the scenario's discussion questions.",
    "check": "Name the moment the job asked for money.",
}
PLAN = {"short": LESSON, "long": {part: f"{text} (longer)" for part, text in LESSON.items()}}


def pack_with_both(version: int = 2) -> dict[str, Any]:
    """The small pack with discussion questions on one decision and a topic's lesson plan."""
    pack = small_pack()
    pack["version"] = version
    scenario_step(pack, "likes-for-money", "d1")["discussion"] = list(QUESTIONS)
    pack["topics"][0]["lesson_plan"] = json.loads(json.dumps(PLAN))
    return pack


def problems(pack: dict[str, Any]) -> list[str]:
    return validate_pack(pack, name=NAME)


# --- validation -------------------------------------------------------------------------------


def test_a_version_2_pack_with_both_is_valid():
    assert problems(pack_with_both()) == []


def test_a_version_1_pack_using_them_is_refused_by_name():
    assert problems(pack_with_both(version=1)) == [
        f'pack "{NAME}": topic "fake-part-time-jobs": "lesson_plan" needs "version": 2',
        f'pack "{NAME}": scenario "likes-for-money", step "d1": "discussion" needs "version": 2',
    ]


def test_discussion_on_a_step_that_is_not_a_decision_is_refused_clearly():
    pack = pack_with_both()
    scenario_step(pack, "likes-for-money", "n1")["discussion"] = ["Why?"]

    assert problems(pack) == [
        f'pack "{NAME}": scenario "likes-for-money": step "n1": only a decision step may have '
        '"discussion" (the questions a teacher asks after a decision)'
    ]


@pytest.mark.parametrize(
    ("discussion", "message"),
    [
        ([], "discussion has 0 items; it must have at least 1"),
        (["a", "b", "c", "d", "e"], "discussion has 5 items; it must have at most 4"),
        (["Why?", ""], "discussion item 2 must not be empty"),
        (["x" * 301], "discussion item 1 is 301 characters long; it must be at most 300"),
        ("Why?", "discussion must be a list, not a string"),
        ([3], "discussion item 1 must be a string, not a whole number"),
    ],
)
def test_a_bad_discussion_is_refused(discussion: Any, message: str):
    pack = pack_with_both()
    scenario_step(pack, "likes-for-money", "d1")["discussion"] = discussion

    assert problems(pack) == [f'pack "{NAME}": scenario "likes-for-money": step "d1": {message}']


def _lesson_plan(pack: dict[str, Any]) -> dict[str, Any]:
    return pack["topics"][0]["lesson_plan"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda plan: plan.pop("long"), 'lesson_plan: missing key "long"'),
        (lambda plan: plan.update(medium=LESSON), 'lesson_plan: unknown key "medium"'),
        (lambda plan: plan["short"].pop("check"), 'lesson_plan.short: missing key "check"'),
        (
            lambda plan: plan["long"].update(homework="Read."),
            'lesson_plan.long: unknown key "homework"',
        ),
        (
            lambda plan: plan["short"].update(play=""),
            "lesson_plan.short.play must not be empty",
        ),
        (
            lambda plan: plan["long"].update(discuss="x" * 1201),
            "lesson_plan.long.discuss is 1201 characters long; it must be at most 1200",
        ),
        (
            lambda plan: plan.update(short="Play it."),
            "lesson_plan.short must be an object, not a string",
        ),
    ],
)
def test_a_bad_lesson_plan_is_refused(change: Any, message: str):
    pack = pack_with_both()
    change(_lesson_plan(pack))

    assert problems(pack) == [f'pack "{NAME}": topic "fake-part-time-jobs": {message}']


def test_a_lesson_plan_that_is_not_an_object_is_refused():
    pack = pack_with_both()
    pack["topics"][0]["lesson_plan"] = ["Play it."]

    assert problems(pack) == [
        f'pack "{NAME}": topic "fake-part-time-jobs": lesson_plan must be an object, not a list'
    ]


# --- import, export, publishing -------------------------------------------------------------


def test_import_stores_both_and_publishes_the_questions_in_the_version():
    report = pack_import(pack_with_both(), name=NAME)

    assert (report.topics_created, report.scenarios_created) == (2, 2)
    topic = Topic.objects.get(slug="fake-part-time-jobs")
    assert topic.lesson_plan == PLAN
    assert Topic.objects.get(slug="romance-scams").lesson_plan == {}
    scenario = Scenario.objects.get(slug="likes-for-money")
    assert scenario.steps.get(key="d1").discussion == QUESTIONS
    assert scenario.steps.get(key="m1").discussion == []
    content = scenario.published_version.content
    decision = next(step for step in content["steps"] if step["key"] == "d1")
    assert decision["discussion"] == QUESTIONS
    assert list(decision)[-1] == "discussion"
    other = Scenario.objects.get(slug="airport-fee").published_version.content
    assert all("discussion" not in step for step in other["steps"])


def test_export_round_trips_byte_for_byte_and_says_version_2():
    pack = pack_with_both()
    pack_import(pack, name=NAME)

    exported = pack_dumps(pack_export(language="en"))

    assert exported == pack_dumps(pack)
    assert json.loads(exported)["version"] == 2
    pack_import(json.loads(exported), name=NAME)
    assert pack_dumps(pack_export(language="en")) == exported


def test_export_puts_the_keys_in_the_documented_order():
    pack = pack_with_both()
    # Reverse every key order in the input; the export must put them back.
    shuffled = json.loads(json.dumps(pack), object_pairs_hook=lambda pairs: dict(pairs[::-1]))

    assert pack_dumps(canonical_pack(shuffled)) == pack_dumps(pack)
    pack_import(shuffled, name=NAME)
    assert pack_dumps(pack_export(language="en")) == pack_dumps(pack)
    plan = pack_export(language="en")["topics"][0]["lesson_plan"]
    assert list(plan) == ["short", "long"]
    assert list(plan["long"]) == ["warm_up", "play", "discuss", "check"]


def test_a_pack_without_them_still_exports_as_version_1():
    pack_import(small_pack(), name=NAME)
    assert pack_export(language="en")["version"] == 1


def test_importing_twice_changes_nothing_and_removing_them_updates():
    pack_import(pack_with_both(), name=NAME)
    assert not pack_import(pack_with_both(), name=NAME).changed

    report = pack_import(small_pack(), name=NAME)

    assert (report.topics_updated, report.scenarios_updated, report.versions_published) == (
        1,
        1,
        1,
    )
    assert Topic.objects.get(slug="fake-part-time-jobs").lesson_plan == {}
    scenario = Scenario.objects.get(slug="likes-for-money")
    assert scenario.steps.get(key="d1").discussion == []
    assert all("discussion" not in step for step in scenario.published_version.content["steps"])


def test_publishing_a_draft_copies_its_questions_into_the_version():
    pack_import(small_pack(), name=NAME)
    scenario = Scenario.objects.get(slug="likes-for-money")
    Step.objects.filter(scenario=scenario, key="d1").update(discussion=QUESTIONS)

    version = scenario_publish(scenario=scenario)

    assert version.number == 2
    decision = next(step for step in version.content["steps"] if step["key"] == "d1")
    assert decision["discussion"] == QUESTIONS


def test_questions_left_on_a_step_that_is_no_longer_a_decision_are_not_published():
    pack_import(small_pack(), name=NAME)
    scenario = Scenario.objects.get(slug="likes-for-money")
    Step.objects.filter(scenario=scenario, key="n1").update(discussion=QUESTIONS)

    version = scenario_publish(scenario=scenario)

    assert all("discussion" not in step for step in version.content["steps"])


# --- admin ------------------------------------------------------------------------------------


CHOICES = [
    {
        "id": "",
        "key": "a",
        "position": "0",
        "text": "Block.",
        "is_safe": "on",
        "feedback": "Right.",
        "next_key": "end",
    },
    {
        "id": "",
        "key": "b",
        "position": "1",
        "text": "Reply.",
        "feedback": "Wrong.",
        "next_key": "end",
    },
]


def _decision(draft: Scenario) -> Step:
    return Step.objects.create(
        scenario=draft, key="d1", kind="decision", position=5, prompt="What now?"
    )


def test_editor_writes_a_decisions_questions_one_per_line(editor_client: Client, draft: Scenario):
    decision = _decision(draft)
    url = f"/admin/quizzes/step/{decision.pk}/change/"
    assert 'name="discussion"' in editor_client.get(url).content.decode()

    response = editor_client.post(
        url,
        step_form(decision, discussion=f"  {QUESTIONS[0]}\n\n{QUESTIONS[1]}  \n")
        | formset("choices", CHOICES),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    decision.refresh_from_db()
    assert decision.discussion == QUESTIONS
    html = editor_client.get(url).content.decode()
    assert f"{QUESTIONS[0]}\n{QUESTIONS[1]}</textarea>" in html


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a\nb\nc\nd\ne", "Write at most 4 questions, one per line."),
        ("Fine?\n" + "x" * 301, "Question 2 is 301 characters long; keep each to 300."),
    ],
)
def test_too_many_or_too_long_questions_are_refused(
    editor_client: Client, draft: Scenario, text: str, error: str
):
    decision = _decision(draft)
    response = editor_client.post(
        f"/admin/quizzes/step/{decision.pk}/change/",
        step_form(decision, discussion=text) | formset("choices", CHOICES),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["discussion"] == [error]
    decision.refresh_from_db()
    assert decision.discussion == []


def test_questions_on_a_step_that_is_not_a_decision_are_refused(
    editor_client: Client, draft: Scenario
):
    narration = draft.steps.get(key="n1")
    url = f"/admin/quizzes/step/{narration.pk}/change/"
    assert 'name="discussion"' not in editor_client.get(url).content.decode()

    response = editor_client.post(
        "/admin/quizzes/step/add/",
        {
            **step_form(narration, key="n2", position="9"),
            "scenario": str(draft.pk),
            "discussion": "Why?",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["discussion"] == [
        "Only a decision step has discussion questions; leave this empty."
    ]


TOPIC_FORM = {
    "language": "en",
    "slug": "phishing",
    "title": "Phishing",
    "summary": "Fake log-in pages.",
    "body_markdown": "Text.",
    "red_flags": "Urgency",
    "what_to_do": "Do not click",
    "min_age": "",
    "position": "3",
}


def lesson_boxes(plan: dict[str, dict[str, str]]) -> dict[str, str]:
    return {
        f"lesson_{lesson}_{part}": text
        for lesson, parts in plan.items()
        for part, text in parts.items()
    }


def test_editor_writes_a_topics_lesson_plan_in_eight_boxes(editor_client: Client):
    response = editor_client.post("/admin/awareness/topic/add/", TOPIC_FORM | lesson_boxes(PLAN))

    assert response.status_code == 302, response.context["adminform"].form.errors
    topic = Topic.objects.get(slug="phishing")
    assert topic.lesson_plan == PLAN
    url = f"/admin/awareness/topic/{topic.pk}/change/"
    html = editor_client.get(url).content.decode()
    assert f"{LESSON['warm_up']}</textarea>" in html
    assert "40 minutes: the check" in html

    # Emptying all eight boxes removes the plan.
    empty = {name: "" for name in lesson_boxes(PLAN)}
    response = editor_client.post(url, TOPIC_FORM | empty)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.lesson_plan == {}


def test_a_half_written_lesson_plan_is_refused(editor_client: Client):
    boxes = lesson_boxes(PLAN) | {"lesson_long_check": "  ", "lesson_short_play": "x" * 1201}

    response = editor_client.post("/admin/awareness/topic/add/", TOPIC_FORM | boxes)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["lesson_long_check"] == [
        "Fill in all eight parts of the lesson plan, or leave all of them empty."
    ]
    assert "at most 1200 characters" in errors["lesson_short_play"][0]
    assert not Topic.objects.exists()
