"""Students, and teachers' results, see a scenario only as it was last published: edits to the
draft's title, summary, channel, difficulty, age mark and topic show once the scenario is
published again."""

import csv
import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from quizzes.classes.forms import AssignForm
from quizzes.classes.stamps import class_stamps
from quizzes.models import Scenario
from quizzes.play.services import attempt_answer, attempt_start
from quizzes.privacy.services import user_data_export
from quizzes.scenarios.publishing import scenario_publish, scenario_unpublish
from tests.factories import (
    add_student,
    assign,
    make_class,
    make_editor,
    make_scenario,
    make_student,
    make_topic,
)

pytestmark = pytest.mark.django_db

PUBLISHED = ("Likes for money", "A stranger offers easy money.")
DRAFT = ("Unpublished new title", "An unpublished new summary.")


def edit_draft(scenario: Scenario) -> None:
    """What an editor saving the draft in the admin does, without publishing it."""
    scenario.title, scenario.summary = DRAFT
    scenario.channel = "call"
    scenario.min_age = 15
    scenario.save()


def publish_edits(scenario: Scenario) -> None:
    scenario_publish(scenario=scenario)
    cache.clear()  # visitors' copies of the public pages last 60 s; not the point here


def play(scenario: Scenario, user, *answers: tuple[str, str, list[str]]) -> None:
    """Start ``scenario`` and give ``answers`` (step, choice, ticked options) in turn."""
    attempt = attempt_start(scenario=scenario, user=user)
    for step_key, choice_key, selected in answers:
        attempt_answer(attempt=attempt, step_key=step_key, choice_key=choice_key, selected=selected)


SAFE: tuple[str, str, list[str]] = ("d1", "a", [])  # the safe choice ends the scenario at once


def card(html: str, title: str) -> str:
    """The scenario card (or intro) around ``title``."""
    start = html.rindex("<article", 0, html.index(title))
    return html[start : html.index("</article>", start)]


@pytest.fixture
def scenario():
    return make_scenario()


@pytest.fixture
def student_client(client):
    client.force_login(make_student("kid"))
    return client


def test_list_intro_and_topic_page_show_the_published_version_not_the_draft(client, scenario):
    edit_draft(scenario)
    for url in ("/scenarios/", "/scenarios/likes-for-money/", "/learn/phishing/"):
        html = client.get(url).content.decode()
        assert PUBLISHED[0] in html and PUBLISHED[1] in html, url
        assert DRAFT[0] not in html and DRAFT[1] not in html, url
        assert "15+" not in html, url
    listed = card(client.get("/scenarios/").content.decode(), PUBLISHED[0])
    assert "Chat" in listed and "Phone call" not in listed
    intro = client.get("/scenarios/likes-for-money/").content.decode()
    assert "Channel: Chat" in intro

    publish_edits(scenario)
    for url in ("/scenarios/", "/scenarios/likes-for-money/", "/learn/phishing/"):
        html = client.get(url).content.decode()
        assert DRAFT[0] in html and DRAFT[1] in html and "15+" in html, url
        assert PUBLISHED[0] not in html, url
    assert "Channel: Phone call" in client.get("/scenarios/likes-for-money/").content.decode()


def test_the_channel_filter_uses_the_published_channel(client, scenario):
    edit_draft(scenario)
    assert PUBLISHED[0] in client.get("/scenarios/?channel=chat").content.decode()
    assert "No scenarios match" in client.get("/scenarios/?channel=call").content.decode()
    publish_edits(scenario)
    assert DRAFT[0] in client.get("/scenarios/?channel=call").content.decode()


def test_play_pages_show_the_version_being_played(student_client, scenario):
    other = make_scenario("second-one", title="Second one")
    play_url = student_client.post("/scenarios/likes-for-money/start/")["Location"]
    edit_draft(scenario)
    Scenario.objects.filter(pk=other.pk).update(title="Second, renamed in the draft")
    html = student_client.get(play_url).content.decode()
    assert f"<title>{PUBLISHED[0]}" in html and f'<h1 class="h3">{PUBLISHED[0]}</h1>' in html
    assert DRAFT[0] not in html and "Phone call" not in html and 'class="sim sim-chat"' in html
    feedback = student_client.post(play_url + "answer/", {"step": "d1", "choice": "a"})
    html = student_client.get(feedback["Location"]).content.decode()
    assert PUBLISHED[0] in html and DRAFT[0] not in html and "Phone call" not in html
    html = student_client.get(play_url).content.decode()
    assert "Outcome: you stayed safe" in html and PUBLISHED[0] in html and DRAFT[0] not in html
    assert "Next: Second one" in html and "renamed in the draft" not in html


def test_an_editors_preview_shows_the_draft_as_edited(client, scenario):
    edit_draft(scenario)
    client.force_login(make_editor())
    play_url = client.get(f"/preview/{scenario.pk}/")["Location"]
    html = client.get(play_url).content.decode()
    assert DRAFT[0] in html and "Phone call" in html and PUBLISHED[0] not in html


def test_progress_and_assignments_show_the_published_title_and_channel(client, scenario):
    make_scenario("second-one", title="Second one")
    Scenario.objects.filter(slug="second-one").update(title="Second, renamed in the draft")
    classroom = make_class()
    assign(classroom, scenario)
    student = add_student(classroom)
    play(scenario, student, ("d1", "b", []), ("s1", "", ["o1"]), ("d2", "stop", []))
    play(scenario, student)
    edit_draft(scenario)
    client.force_login(student)
    html = client.get("/progress/").content.decode()
    # The tricks grid names every channel in its header; the scenarios' own are checked below.
    html = re.sub(r'<section aria-labelledby="mastery-title".*?</section>', "", html, flags=re.S)
    assert html.count(PUBLISHED[0]) == 3  # assigned to you, in progress, completed
    assert DRAFT[0] not in html and "renamed in the draft" not in html
    assert "Second one" in html  # what to play next
    assert '<th scope="row">Chat</th>' in html and "Phone call" not in html
    assert PUBLISHED[0] in client.get("/").content.decode()  # assigned to you, on the home page
    assert user_data_export(user=student)["attempts"][0]["title"] == PUBLISHED[0]


def test_teacher_pages_and_exports_show_the_published_title(client, scenario):
    classroom = make_class()
    assign(classroom, scenario)
    student = add_student(classroom, display_name="Ana")
    play(scenario, student, ("d1", "b", []), ("s1", "", ["o1"]), ("d2", "stop", []))
    client.force_login(classroom.teacher)
    pages = [
        classroom.get_absolute_url(),
        reverse("classes:student", args=[classroom.pk, student.pk]),
        reverse("classes:assign", args=[classroom.pk]),
    ]
    exports = [
        reverse("classes:export-csv", args=[classroom.pk]),
        reverse("classes:export-answers-csv", args=[classroom.pk]),
    ]
    client.get(pages[0])  # the results are now cached
    edit_draft(scenario)
    for url in pages:
        html = client.get(url).content.decode()
        assert PUBLISHED[0] in html and DRAFT[0] not in html and "15+" not in html, url
    for url in exports:
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        assert {row[1] for row in rows[1:]} == {PUBLISHED[0]}, url

    stamp = class_stamps(classroom).results
    publish_edits(scenario)
    assert class_stamps(classroom).results != stamp
    for url in pages:
        html = client.get(url).content.decode()
        assert DRAFT[0] in html and PUBLISHED[0] not in html, url
    assert "15+" in client.get(pages[2]).content.decode()
    for url in exports:
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        assert {row[1] for row in rows[1:]} == {DRAFT[0]}, url


def test_an_unpublished_scenario_keeps_its_last_published_title_in_results(client, scenario):
    classroom = make_class()
    assign(classroom, scenario)
    student = add_student(classroom)
    play(scenario, student, SAFE)
    edit_draft(scenario)
    scenario_unpublish(scenario=scenario)
    client.force_login(classroom.teacher)
    html = client.get(classroom.get_absolute_url()).content.decode()
    assert PUBLISHED[0] in html and DRAFT[0] not in html
    client.force_login(student)
    html = client.get("/progress/").content.decode()
    assert PUBLISHED[0] in html and DRAFT[0] not in html


def test_the_migration_fills_the_published_fields_from_the_last_published_version():
    migration = importlib.import_module("quizzes.migrations.0004_published_fields")
    published = make_scenario("published-one", title="Published one", min_age=15)
    unpublished = make_scenario("unpublished-one", title="Unpublished one")
    scenario_unpublish(scenario=unpublished)
    draft = make_scenario("draft-one", title="Draft one", publish=False)
    blank = {
        "published_title": "",
        "published_summary": "",
        "published_channel": "",
        "published_min_age": None,
    }
    Scenario.objects.update(**blank)  # as before the migration
    Scenario.objects.update(title="Edited since", channel="call")

    migration.copy_published_fields(apps, None)

    fields = ("published_title", "published_summary", "published_channel", "published_min_age")
    rows = {s.slug: s for s in Scenario.objects.only("slug", *fields)}
    shown = {slug: tuple(getattr(rows[slug], f) for f in fields) for slug in rows}
    assert shown == {
        published.slug: ("Published one", PUBLISHED[1], "chat", 15),
        unpublished.slug: ("Unpublished one", PUBLISHED[1], "chat", None),
        draft.slug: ("", "", "", None),
    }


# --- difficulty and topic -------------------------------------------------------------------


def move_draft(scenario: Scenario) -> None:
    """An editor makes the draft harder and moves it to another topic, without publishing."""
    scenario.difficulty = "hard"
    scenario.topic = make_topic("job-scams", title="Job scams")
    scenario.save()


def section(html: str, heading_id: str) -> str:
    """The part of the page from the heading with ``heading_id`` to the end of its section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def topic_options(html: str) -> list[str]:
    """The values the list's topic filter offers."""
    select = html[html.index('name="topic"') : html.index("</select>", html.index('name="topic"'))]
    return re.findall(r'<option value="([^"]*)"', select)


def test_list_and_intro_show_the_published_difficulty_and_topic(client, scenario):
    move_draft(scenario)
    html = client.get("/scenarios/").content.decode()
    listed = card(html, PUBLISHED[0])
    assert "Phishing · Chat · Easy" in listed and "Hard" not in listed and "Job" not in listed
    assert topic_options(html) == ["", "phishing"]
    intro = client.get("/scenarios/likes-for-money/").content.decode()
    assert "Difficulty: Easy" in intro and "Hard" not in intro
    assert '<a href="/learn/phishing/">Phishing</a>' in intro and "Job scams" not in intro

    publish_edits(scenario)
    html = client.get("/scenarios/").content.decode()
    assert "Job scams · Chat · Hard" in card(html, PUBLISHED[0])
    assert topic_options(html) == ["", "job-scams"]
    intro = client.get("/scenarios/likes-for-money/").content.decode()
    assert "Difficulty: Hard" in intro and '<a href="/learn/job-scams/">Job scams</a>' in intro


def test_the_difficulty_and_topic_filters_use_the_published_values(client, scenario):
    make_scenario("second-one", title="Second one", topic=make_topic("job-scams"))
    move_draft(scenario)

    def listed(query: str) -> tuple[bool, bool]:
        html = client.get(f"/scenarios/?{query}").content.decode()
        return PUBLISHED[0] in html, "Second one" in html

    assert listed("difficulty=easy") == (True, True)
    assert listed("difficulty=hard") == (False, False)
    assert listed("topic=phishing") == (True, False)
    assert listed("topic=job-scams") == (False, True)

    publish_edits(scenario)
    assert listed("difficulty=easy") == (False, True)
    assert listed("difficulty=hard") == (True, False)
    assert listed("topic=job-scams") == (True, True)


def test_topic_pages_list_a_scenario_under_its_published_topic(client, scenario):
    move_draft(scenario)
    html = client.get("/learn/phishing/").content.decode()
    listed = section(html, "scenarios-title")
    assert PUBLISHED[0] in listed and "Easy ·" in listed and "Hard" not in listed
    html = client.get("/learn/job-scams/").content.decode()
    assert "No scenario for this topic yet." in html and PUBLISHED[0] not in html
    topics = client.get("/learn/").content.decode()
    assert "1 scenario to play" in card(topics, "Phishing")
    assert "0 scenarios to play" in card(topics, "Job scams")

    publish_edits(scenario)
    assert "No scenario for this topic yet." in client.get("/learn/phishing/").content.decode()
    listed = section(client.get("/learn/job-scams/").content.decode(), "scenarios-title")
    assert PUBLISHED[0] in listed and "Hard ·" in listed
    topics = client.get("/learn/").content.decode()
    assert "0 scenarios to play" in card(topics, "Phishing")
    assert "1 scenario to play" in card(topics, "Job scams")


def test_play_pages_show_the_published_difficulty_and_topic_and_a_preview_the_drafts(
    client, student_client, scenario
):
    play_url = student_client.post("/scenarios/likes-for-money/start/")["Location"]
    move_draft(scenario)
    html = student_client.get(play_url).content.decode()
    assert "Phishing · Easy" in html and "Job scams" not in html and "Hard" not in html
    feedback = student_client.post(play_url + "answer/", {"step": "d1", "choice": "a"})
    html = student_client.get(feedback["Location"]).content.decode()
    assert "Phishing · Easy" in html and "Job scams" not in html
    html = student_client.get(play_url).content.decode()  # the ending
    assert "Phishing · Easy" in html and "Job scams" not in html

    editor = client
    editor.force_login(make_editor())
    html = editor.get(editor.get(f"/preview/{scenario.pk}/")["Location"]).content.decode()
    assert "Job scams · Hard" in html and "Phishing" not in html


def test_progress_reviews_and_suggests_by_the_published_topic(client, scenario):
    # Fooled on a Phishing scenario: Phishing is to be read again, and a fresh Phishing
    # scenario comes first among the suggestions, even once the draft moved elsewhere.
    make_scenario("second-one", title="Second one", topic=make_topic("job-scams"))
    make_scenario("third-one", title="Third one")
    student = make_student()
    play(scenario, student, ("d1", "b", []), ("s1", "", ["o1"]), ("d2", "stop", []))
    move_draft(scenario)
    client.force_login(student)
    html = client.get("/progress/").content.decode()
    review = section(html, "review-title")
    assert '<a href="/learn/phishing/">Phishing</a>' in review and "Job" not in review
    suggested = section(html, "next-title")
    assert suggested.index("Third one") < suggested.index("Second one")

    scenario_unpublish(scenario=scenario)  # results keep naming it as last published
    review = section(client.get("/progress/").content.decode(), "review-title")
    assert "Phishing" in review and "Job" not in review


def test_the_assign_page_lists_what_teachers_may_assign_by_published_fields(
    client, scenario, django_assert_num_queries
):
    # The assign page shows no topic or difficulty; its list loads only published columns,
    # so nothing there can fall back to the draft's.
    move_draft(scenario)
    classroom = make_class()
    form = AssignForm(language="en")
    with django_assert_num_queries(1):  # the scenarios
        (listed,) = list(form.fields["scenario"].queryset)
    with django_assert_num_queries(0):
        assert (listed.published_difficulty, listed.published_title) == ("easy", PUBLISHED[0])
    client.force_login(classroom.teacher)
    html = client.get(reverse("classes:assign", args=[classroom.pk])).content.decode()
    assert PUBLISHED[0] in html and "Job scams" not in html and "Hard" not in html


def test_publishing_copies_the_difficulty_and_topic_and_unpublishing_keeps_them(scenario):
    move_draft(scenario)
    scenario.refresh_from_db()
    assert (scenario.published_difficulty, scenario.published_topic.slug) == ("easy", "phishing")
    scenario_publish(scenario=scenario)
    scenario_unpublish(scenario=scenario)
    scenario.refresh_from_db()
    assert (scenario.published_difficulty, scenario.published_topic.slug) == ("hard", "job-scams")


def test_the_migration_fills_the_published_difficulty_and_topic_from_the_last_version():
    migration = importlib.import_module("quizzes.migrations.0005_published_difficulty_topic")
    phishing = make_topic("phishing")
    published = make_scenario("published-one", difficulty="medium")
    unpublished = make_scenario("unpublished-one", difficulty="hard")
    scenario_unpublish(scenario=unpublished)
    # A Chinese scenario's version names the topic by slug: it is the Chinese topic.
    chinese = make_scenario("chinese-one", language="zh-hans", topic=make_topic(language="zh-hans"))
    draft = make_scenario("draft-one", publish=False)
    # As before the migration, and with the drafts edited since they were published.
    Scenario.objects.update(published_difficulty="", published_topic=None)
    Scenario.objects.update(difficulty="easy", topic=make_topic("job-scams"))

    migration.copy_published_difficulty_topic(apps, None)

    rows = Scenario.objects.values_list("slug", "published_difficulty", "published_topic")
    assert {slug: (difficulty, topic) for slug, difficulty, topic in rows} == {
        published.slug: ("medium", phishing.pk),
        unpublished.slug: ("hard", phishing.pk),
        chinese.slug: ("easy", chinese.topic_id),
        draft.slug: ("", None),
    }
    assert chinese.topic_id != phishing.pk


# --- tactics tested ---------------------------------------------------------------------------


def test_publishing_copies_the_tactics_its_steps_test():
    scenario = make_scenario("tactics-one")
    version = scenario.published_version
    expected = sorted({t for step in version.content["steps"] for t in step.get("tactics", [])})
    assert expected and scenario.published_tactics == expected


def test_the_migration_fills_the_published_tactics_from_the_last_published_version():
    migration = importlib.import_module("quizzes.migrations.0013_published_tactics")
    published = make_scenario("published-one")
    unpublished = make_scenario("unpublished-one")
    scenario_unpublish(scenario=unpublished)
    draft = make_scenario("draft-one", publish=False)
    expected = published.published_tactics
    Scenario.objects.update(published_tactics=[])  # as before the migration

    migration.copy_published_tactics(apps, None)

    rows = dict(Scenario.objects.values_list("slug", "published_tactics"))
    assert expected
    assert rows == {published.slug: expected, unpublished.slug: expected, draft.slug: []}
