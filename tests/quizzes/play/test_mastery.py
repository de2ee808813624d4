"""Mastery per tactic × channel (quizzes/play/mastery.py) from known answer histories, and the
/progress/ grid in both languages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Scenario
from quizzes.play.mastery import Mark, marks_of, mastery_from, practice_for, weight
from tests.factories import make_scenario, make_student

NOW = timezone.now()


def ago(days: float):
    return NOW - timedelta(days=days)


def row(mastery, tactic):
    return next(r for r in mastery.rows if r.tactic == tactic)


def test_states_from_a_known_history():
    marks = [
        # urgency: right four times on two channels -> mastered
        *(Mark("urgency", channel, True, ago(20)) for channel in ("sms", "chat", "sms", "chat")),
        # threat: right often but a mistake three days ago -> shaky
        *(Mark("threat", "call", True, ago(30)) for _ in range(5)),
        Mark("threat", "call", False, ago(3)),
        # lookalike: right twice, one channel -> learning
        Mark("lookalike", "web", True, ago(1)),
        Mark("lookalike", "web", True, ago(2)),
        # a mistake long ago no longer makes a tactic shaky
        *(Mark("secrecy", channel, True, ago(5)) for channel in ("chat", "game", "chat", "game")),
        Mark("secrecy", "chat", False, ago(60)),
    ]
    mastery = mastery_from(marks, now=NOW)
    states = {r.tactic: r.state for r in mastery.rows}
    assert states["urgency"] == "mastered"
    assert states["threat"] == "shaky"
    assert states["lookalike"] == "learning"
    assert states["secrecy"] == "mastered"
    assert states["authority"] == "not-met"
    # The grid: a cell per channel, with the share of right answers.
    sms = mastery.channels.index(("sms", "Text message"))
    assert row(mastery, "urgency").cells[sms].percent == 100
    assert row(mastery, "urgency").cells[sms].answers == 2


def test_recent_answers_weigh_more():
    assert weight(ago(30), NOW) == pytest.approx(0.5)
    old_mistake = mastery_from(
        [Mark("urgency", "sms", False, ago(90)), Mark("urgency", "sms", True, ago(0))], now=NOW
    )
    recent_mistake = mastery_from(
        [Mark("urgency", "sms", True, ago(90)), Mark("urgency", "sms", False, ago(0))], now=NOW
    )
    assert row(old_mistake, "urgency").overall.rate == pytest.approx(1 / (1 + 0.125))
    assert row(recent_mistake, "urgency").overall.rate == pytest.approx(0.125 / 1.125)


def test_the_three_weakest_are_met_and_not_mastered_weakest_first():
    marks = [Mark("urgency", "sms", True, ago(1)) for _ in range(2)]
    marks += [Mark("threat", "sms", False, ago(1)), Mark("threat", "sms", True, ago(1))]
    marks += [Mark("authority", "call", False, ago(1))]
    marks += [Mark("lookalike", c, True, ago(20)) for c in ("web", "sms", "web", "sms")]
    weakest = [r.tactic for r in mastery_from(marks, now=NOW).weakest]
    assert weakest == ["authority", "threat", "urgency"]  # lookalike is mastered


def test_what_to_practise_is_an_unfinished_scenario_testing_each_weak_tactic_once():
    marks = [Mark("authority", "call", False, ago(1)), Mark("threat", "sms", False, ago(1))]
    marks += [Mark("urgency", "sms", False, ago(2))]
    mastery = mastery_from(marks, now=NOW)
    published = [
        Scenario(pk=1, slug="done", published_tactics=["authority", "threat"]),
        Scenario(pk=2, slug="both", published_tactics=["authority", "threat"]),
        Scenario(pk=3, slug="threat-only", published_tactics=["threat"]),
    ]
    picks = {p.row.tactic: p.scenario for p in practice_for(mastery, published, finished={1})}
    assert picks["authority"].slug == "both"  # the finished one is passed over
    assert picks["threat"].slug == "threat-only"  # one scenario per tactic
    assert picks["urgency"] is None  # nothing published tests it
    assert practice_for(mastery_from([], now=NOW), published, finished=set()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_progress_shows_the_grid_and_what_to_practise(client, language):
    from tests.quizzes.play.test_views import answer, start

    scenario = make_scenario("likes-for-money", language=language)
    make_scenario("second-story", language=language, topic=scenario.topic)
    student = make_student("grid-kid")
    client.force_login(student)
    header = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans" if language == "zh-hans" else "en"}
    client.defaults.update(header)
    play = start(client, "likes-for-money")
    answer(client, play, step="d1", choice="b")  # the risky choice: a mistake just now
    marks = marks_of(student)
    assert {m.right for m in marks} == {False} and {m.channel for m in marks} == {"chat"}
    page = client.get("/progress/", **header).content.decode()
    assert 'class="table table-sm align-middle mastery-grid"' in page
    assert "mastery-shaky" in page
    assert "/scenarios/second-story/" in page  # what to play next for the weak tactic


@pytest.mark.django_db
def test_progress_reads_no_version_content_or_topic_page(client):
    """What to practise comes from each scenario's published tactics, and lists of scenarios
    leave out their topic's page (long text and JSON, decoded per row before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.quizzes.play.test_views import answer, start

    scenario = make_scenario("likes-for-money")
    make_scenario("second-story", topic=scenario.topic)
    student = make_student("lean-kid")
    client.force_login(student)
    answer(client, start(client, "likes-for-money"), step="d1", choice="b")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/progress/").content.decode()
    assert "/scenarios/second-story/" in page  # still suggested for the weak tactic
    selected = [q["sql"].split(" FROM ")[0] for q in queries.captured_queries]
    # (Marks read the content of the versions the student played, and only those.)
    listing = [s for s in selected if '"quizzes_scenario"."published_title"' in s]
    assert listing and not [s for s in listing if '"quizzes_scenarioversion"."content"' in s]
    assert not [s for s in selected if '"awareness_topic"."body_html"' in s]
