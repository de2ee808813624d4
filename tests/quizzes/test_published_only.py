"""Students, and teachers' results, see a scenario only as it was last published: edits to the
draft's title, summary, channel and age mark show once the scenario is published again."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from quizzes.models import Scenario
from quizzes.selectors.classes import classroom_results_stamp
from quizzes.services.attempts import attempt_answer, attempt_start
from quizzes.services.privacy import user_data_export
from quizzes.services.publishing import scenario_publish, scenario_unpublish
from tests.factories import make_editor, make_scenario, make_student
from tests.quizzes.test_classes_support import add_student, assign, make_class

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


SAFE = ("d1", "a", [])  # the safe choice ends the scenario at once


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
        reverse("quizzes:class-student", args=[classroom.pk, student.pk]),
        reverse("quizzes:class-assign", args=[classroom.pk]),
    ]
    exports = [
        reverse("quizzes:class-export-csv", args=[classroom.pk]),
        reverse("quizzes:class-export-answers-csv", args=[classroom.pk]),
    ]
    client.get(pages[0])  # the results are now cached
    edit_draft(scenario)
    for url in pages:
        html = client.get(url).content.decode()
        assert PUBLISHED[0] in html and DRAFT[0] not in html and "15+" not in html, url
    for url in exports:
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        assert {row[1] for row in rows[1:]} == {PUBLISHED[0]}, url

    stamp = classroom_results_stamp(classroom)
    publish_edits(scenario)
    assert classroom_results_stamp(classroom) != stamp
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
