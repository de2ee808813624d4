"""The ending's recap: each decision with the choice made and the better one where it was not
safe, every red flag met (found or missed in spot steps), and whether the story was a scam."""

import html as html_lib

import pytest

from quizzes.play.recap import recap
from quizzes.play.services import attempt_answer, attempt_start
from quizzes.scenarios.versions import version_content
from tests.factories import make_scenario, make_student

pytestmark = pytest.mark.django_db


def play_to_the_end(client, *, spot: list[str], last: str):
    scenario = make_scenario()
    student = make_student()
    client.force_login(student)
    attempt = attempt_start(scenario=scenario, user=student)
    attempt_answer(attempt=attempt, step_key="d1", choice_key="b")  # the risky reply
    attempt_answer(attempt=attempt, step_key="s1", selected=spot)
    attempt_answer(attempt=attempt, step_key="d2", choice_key=last)
    page = client.get(f"/scenarios/{scenario.slug}/play/{attempt.pk}/")
    assert page.status_code == 200
    return attempt, html_lib.unescape(page.content.decode())


def test_the_recap_shows_each_choice_and_the_better_one(client):
    _attempt, html = play_to_the_end(client, spot=["o1"], last="stop")
    recap_part = html[html.index('id="recap-title"') :]
    assert "You chose: “Sounds great, tell me more!”" in recap_part
    assert "Better: “Ignore and block.”" in recap_part
    assert "You chose: “Stop and tell someone.”" in recap_part
    assert recap_part.count("Better:") == 1  # none for the safe second choice
    assert "This one was a scam." in html


def test_the_recap_lists_every_red_flag_met_and_what_was_missed(client):
    _attempt, html = play_to_the_end(client, spot=["o2"], last="pay")
    recap_part = html[html.index('id="recap-title"') :]
    assert "Earn 300 a day just by liking videos" in recap_part
    assert "Real jobs do not pay this much for trivial tasks." in recap_part
    flag = recap_part[recap_part.index("Top up 500 first") :]
    assert "Paying to get paid." in flag and "you missed it" in flag
    assert "Have a nice day!" not in recap_part  # a harmless phrase is no red flag


def test_recap_of_a_genuine_story_says_so():
    content = {
        "genuine": True,
        "steps": [
            {"key": "d", "kind": "decision", "prompt": "Now?", "choices": [
                {"key": "a", "text": "Ignore it.", "safe": False, "feedback": "It was real."},
                {"key": "b", "text": "Check in the app.", "safe": True, "feedback": "Yes."},
            ]},
        ],
    }  # fmt: skip

    class Answer:
        choice_key, selected = "a", None

    result = recap(content, ["d"], {"d": Answer()})
    assert result.genuine
    assert [(d.chosen, d.safe, d.better) for d in result.decisions] == [
        ("Ignore it.", False, ["Check in the app."])
    ]


def test_the_recap_follows_the_path_played(client):
    attempt, _html = play_to_the_end(client, spot=["o1"], last="stop")
    attempt.refresh_from_db()
    answers = {a.step_key: a for a in attempt.answers.all()}
    result = recap(version_content(attempt.version_id), attempt.path, answers)
    assert [d.prompt for d in result.decisions] == ["What do you reply?", "Do you pay?"]
    assert [f.found for f in result.flags] == [None, True]
