"""Playing scenarios: the list and intro, answering and feedback, answers refused, visitors who
sign up, query counts, the editors' preview and pages in the player's language.

Also holds start and answer, which test_progress.py imports; the fixtures (scenario,
student_client) are in conftest.py.
"""

import re

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.models import Answer, Attempt, Scenario
from tests.factories import (
    PASSWORD,
    long_scenario_steps,
    make_editor,
    make_scenario,
    make_student,
    small_scenario_steps,
)

pytestmark = pytest.mark.django_db


def start(client, slug="likes-for-money"):
    response = client.post(f"/scenarios/{slug}/start/")
    assert response.status_code == 302
    return response["Location"]


def answer(client, play_url, **data):
    return client.post(play_url + "answer/", data)


def test_list_shows_published_scenarios_in_the_language(client, scenario):
    make_scenario("draft-one", publish=False)
    make_scenario("zh-one", language="zh-hans", title="中文情景")
    html = client.get("/scenarios/").content.decode()
    assert "Likes for money" in html and "Draft one" not in html and "中文情景" not in html
    html = client.get("/scenarios/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "中文情景" in html and "Likes for money" not in html


def test_list_filters_and_ignores_bad_filter_values(client, scenario):
    make_scenario("by-phone", channel="call", difficulty="hard")
    html = client.get("/scenarios/?channel=call").content.decode()
    assert "By phone" in html and "Likes for money" not in html
    response = client.get("/scenarios/?channel=<script>&difficulty=" + "x" * 5000)
    assert response.status_code == 200
    assert "&lt;script&gt;" in response.content.decode() or "Select a valid choice" in (
        response.content.decode()
    )


def test_list_shows_each_state_for_a_student(student_client, scenario):
    other = make_scenario("second-one")
    third = make_scenario("third-one")
    play = start(student_client, "second-one")
    answer(student_client, play, step="d1", choice="b")
    play = start(student_client, "third-one")
    answer(student_client, play, step="d1", choice="a")
    html = student_client.get("/scenarios/").content.decode()
    assert "New" in html and "In progress" in html and "Completed: stayed safe" in html
    assert other and third


def test_intro_has_start_and_then_resume(student_client, scenario):
    html = student_client.get("/scenarios/likes-for-money/").content.decode()
    assert "Start" in html and "Resume" not in html
    play = start(student_client)
    html = student_client.get("/scenarios/likes-for-money/").content.decode()
    assert "Resume where you left off" in html and play in html


def test_intro_reads_only_its_own_scenario_s_attempts(student_client, scenario):
    """The intro needs the player's state on this scenario, not on every one they played."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_scenario("second-one", topic=scenario.topic)
    start(student_client, "second-one")  # in progress elsewhere: this intro still says Start
    with CaptureQueriesContext(connection) as queries:
        html = student_client.get("/scenarios/likes-for-money/").content.decode()
    assert "Start" in html and "Resume" not in html
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "quizzes_attempt"' in q["sql"]]
    assert len(reads) == 1 and '"quizzes_attempt"."scenario_id" =' in reads[0]


def test_unknown_or_unpublished_slug_is_404(client):
    make_scenario("hidden", publish=False)
    assert client.get("/scenarios/hidden/").status_code == 404
    assert client.get("/scenarios/nope/").status_code == 404
    assert client.post("/scenarios/hidden/start/").status_code == 404


def test_page_before_answering_reveals_no_verdict_or_feedback(student_client, scenario):
    play = start(student_client)
    html = student_client.get(play).content.decode()
    assert "Ignore and block." in html and "Sounds great, tell me more!" in html
    for secret in ("easy-money offers", "task scam starts", "safe", "Real jobs do not pay"):
        assert secret not in html.replace("Simulation", ""), secret
    assert '<mark class="flag">' not in html
    assert "Simulation" in html
    assert "<fieldset>" in html and "<legend" in html


def test_play_to_a_safe_ending_with_feedback_and_marked_flags(student_client, scenario):
    play = start(student_client)
    response = answer(student_client, play, step="d1", choice="a")
    assert response.status_code == 302 and response["Location"] == play + "feedback/d1/"
    html = student_client.get(response["Location"]).content.decode()
    assert "Safe choice" in html and "easy-money offers from strangers" in html
    assert '<mark class="flag">Earn 300 a day just by liking videos' in html
    assert "Real jobs do not pay this much" in html
    html = student_client.get(play).content.decode()
    assert "Outcome: you stayed safe" in html and "Safe choices: 1 of 1" in html
    assert "Try again" in html


def test_spot_feedback_shows_found_missed_and_wrong(student_client, scenario):
    play = start(student_client)
    answer(student_client, play, step="d1", choice="b")
    html = student_client.get(play).content.decode()
    assert 'type="checkbox"' in html and "Paying to get paid" not in html
    response = answer(student_client, play, step="s1", options=["o2"])
    html = student_client.get(response["Location"]).content.decode()
    assert "You found 0 of 1 red flags" in html
    assert "Missed:" in html and "Not a red flag:" in html
    assert '<mark class="spot-missed">Top up 500 first</mark>' in html


def test_same_answer_twice_records_one_and_shows_same_feedback(student_client, scenario):
    play = start(student_client)
    first = answer(student_client, play, step="d1", choice="b")
    second = answer(student_client, play, step="d1", choice="b")
    assert first["Location"] == second["Location"]
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"step": "d1"}, 400),
        ({"step": "d1", "choice": "nope"}, 400),
        ({"step": "d1", "choice": "o1"}, 400),
        ({"step": "d2", "choice": "pay"}, 409),
        ({"step": "no-such-step", "choice": "a"}, 400),
        ({"step": "x" * 10_000, "choice": "a"}, 400),
        ({"step": "d1", "choice": "a" * 10_000}, 400),
        ({"step": "d1", "options": ["o1"] * 500}, 400),
    ],
)
def test_hostile_answers_get_4xx_and_store_nothing(student_client, scenario, data, status):
    play = start(student_client)
    response = answer(student_client, play, **data)
    assert response.status_code == status
    assert not Answer.objects.exists()
    assert "alert-danger" in response.content.decode()


def test_answering_a_finished_attempt_is_refused(student_client, scenario):
    play = start(student_client)
    answer(student_client, play, step="d1", choice="a")
    response = answer(student_client, play, step="d2", choice="pay")
    assert response.status_code in {409, 400}
    assert Answer.objects.count() == 1


def test_another_users_attempt_is_404(client, scenario):
    client.force_login(make_student("owner"))
    play = start(client)
    client.force_login(make_student("intruder"))
    assert client.get(play).status_code == 404
    assert answer(client, play, step="d1", choice="a").status_code == 404
    assert client.get(play + "feedback/d1/").status_code == 404
    client.logout()
    assert client.get(play).status_code == 404
    assert not Answer.objects.exists()


def test_feedback_for_an_unanswered_step_is_404(student_client, scenario):
    play = start(student_client)
    assert student_client.get(play + "feedback/d1/").status_code == 404


def test_get_on_post_urls_is_405(student_client, scenario):
    play = start(student_client)
    assert student_client.get("/scenarios/likes-for-money/start/").status_code == 405
    assert student_client.get(play + "answer/").status_code == 405


def test_visitor_plays_then_signs_up_and_keeps_the_attempt(client, scenario):
    play = start(client)
    answer(client, play, step="d1", choice="b")
    assert client.get(play).status_code == 200
    client.post(
        "/accounts/signup/",
        {"username": "newbie", "password1": PASSWORD, "password2": PASSWORD},
    )
    attempt = Attempt.objects.get()
    assert attempt.user.username == "newbie" and attempt.visitor_id == ""
    assert client.get(play).status_code == 200
    html = client.get("/progress/").content.decode()
    assert "Likes for money" in html and "resume" in html


def test_visitor_plays_then_logs_in_and_keeps_the_attempt(client, scenario):
    user = make_student("returning")
    play = start(client)
    answer(client, play, step="d1", choice="a")
    client.post("/accounts/login/", {"username": "returning", "password": PASSWORD})
    assert Attempt.objects.get().user == user
    assert "Completed: stayed safe" in client.get("/progress/").content.decode()


def test_play_page_query_count_is_constant_in_scenario_size(
    student_client, django_assert_num_queries
):
    small = make_scenario("small-one", steps=long_scenario_steps(2))
    big = make_scenario("big-one", steps=long_scenario_steps(30))  # 60+ steps and choices
    assert len(big.published_version.content["steps"]) >= 32
    counts = []
    for scenario in (small, big):
        play = start(student_client, scenario.slug)
        # user, attempt joined with scenario and topic (the session is cached; the frozen
        # version's content is kept in memory, see quizzes/scenarios/versions.py)
        with django_assert_num_queries(2) as ctx:
            assert student_client.get(play).status_code == 200
        counts.append(len(ctx.captured_queries))
        # user, attempt; savepoint, locked attempt, insert answer, update attempt, release
        # savepoint (a first answer: no earlier answer to look for)
        with django_assert_num_queries(7):
            assert answer(student_client, play, step="d0", choice="go").status_code == 302
        # A repeat (double tap) is a plain read: user, attempt, existing answer; no lock taken.
        with django_assert_num_queries(3):
            assert answer(student_client, play, step="d0", choice="go").status_code == 302
    assert counts[0] == counts[1]


def test_list_query_count_is_constant(client, django_assert_num_queries):
    make_scenario("one-0")
    # one query: published scenarios joined with topic and version (no session for a visitor)
    with django_assert_num_queries(1) as first:
        client.get("/scenarios/")
    expected = len(first.captured_queries)
    for i in range(1, 100):
        make_scenario(f"one-{i}", topic=None)
    cache.clear()  # measure the page, not the visitors' page cache
    with django_assert_num_queries(expected):
        html = client.get("/scenarios/").content.decode()
    assert html.count('class="card h-100"') == 100


def test_editor_preview_plays_a_draft_without_storing_progress(client):
    draft = make_scenario("draft-preview", publish=False)
    client.force_login(make_editor())
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 302
    play = response["Location"]
    html = client.get(play).content.decode()
    assert "Editor preview" in html and "Ignore and block." in html
    response = client.post(f"/preview/{draft.pk}/answer/", {"step": "d1", "choice": "b"})
    assert client.get(response["Location"]).status_code == 200
    client.post(f"/preview/{draft.pk}/answer/", {"step": "s1", "options": ["o1"]})
    client.post(f"/preview/{draft.pk}/answer/", {"step": "d2", "choice": "stop"})
    assert "Outcome: partly harmed" in client.get(play).content.decode()
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_preview_is_for_editors_only(client):
    draft = make_scenario("draft-preview", publish=False)
    client.force_login(make_student())
    assert client.get(f"/preview/{draft.pk}/").status_code == 403


def test_preview_of_broken_draft_lists_problems(client):
    steps = make_scenario("ok-one").published_version.content["steps"]
    broken = [dict(s) for s in steps if s["key"] != "end-harm"]
    draft = make_scenario("broken", steps=broken, publish=False)
    client.force_login(make_editor())
    html = client.get(f"/preview/{draft.pk}/").content.decode()
    assert "cannot be previewed yet" in html and "end-harm" in html


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.dictionaries(
        st.sampled_from(["step", "choice", "options", "csrfmiddlewaretoken", "junk"]),
        st.one_of(
            st.text(max_size=200),
            st.sampled_from(["d1", "d2", "s1", "m1", "a", "b", "o1", "o2", "end-safe"]),
        ),
        max_size=4,
    )
)
def test_property_hostile_posts_never_500_nor_store_a_wrong_answer(client, data):
    from quizzes.models import Scenario

    scenario = Scenario.objects.filter(slug="prop-one").first() or make_scenario("prop-one")
    cache.clear()  # each example is a fresh start, not the 61st start in a minute
    play = start(client, scenario.slug)
    response = answer(client, play, **data)
    assert response.status_code in {302, 400, 409}
    attempt = Attempt.objects.get(pk=int(re.search(r"/play/(\d+)/", play)[1]))
    for stored in attempt.answers.all():
        step = {s["key"]: s for s in attempt.version.content["steps"]}[stored.step_key]
        assert stored.step_key == "d1" and stored.choice_key in {c["key"] for c in step["choices"]}
        assert stored.is_safe == (stored.choice_key == "a")


def test_the_filter_form_is_translated(client, scenario):
    html = client.get("/scenarios/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "难度" in html and "不限" in html and ">Difficulty<" not in html


def test_red_flag_tactics_are_named_in_the_players_language(client, scenario):
    response = client.post("/scenarios/likes-for-money/start/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    play = response["Location"]
    client.post(play + "answer/", {"step": "d1", "choice": "a"}, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    html = client.get(play + "feedback/d1/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "天上掉馅饼" in html and "too-good-to-be-true" not in html


def test_shared_conversation_html_keeps_language_and_flag_marks_apart(client, scenario):
    # The conversation above a question is rendered once per worker and shared by everyone on
    # the same path; the language of the page and whether red flags are marked must still hold.
    client.force_login(make_student())
    play = start(client)
    html = client.get(play).content.decode()
    assert "Earn 300 a day" in html and '<mark class="flag">' not in html
    assert '<span class="badge text-bg-warning">Simulation</span>' in html
    feedback = answer(client, play, step="d1", choice="b")["Location"]
    assert '<mark class="flag">Earn 300 a day' in client.get(feedback).content.decode()
    other = make_student()
    client.force_login(other)
    play = start(client)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(play).content.decode()
    assert '<span class="badge text-bg-warning">模拟</span>' in html
    assert '<mark class="flag">' not in html


def test_preview_shows_the_draft_as_edited_not_a_cached_copy(client):
    draft = make_scenario("draft-edited", publish=False)
    client.force_login(make_editor())
    play = client.get(f"/preview/{draft.pk}/")["Location"]
    assert "Hi! Earn 300" in client.get(play).content.decode()
    new_text = "Hello again! Earn 300 a day just by liking videos. Interested?"
    draft.steps.filter(key="m1").update(text=new_text)
    play = client.get(f"/preview/{draft.pk}/")["Location"]
    html = client.get(play).content.decode()
    assert "Hello again! Earn 300" in html and "Hi! Earn 300" not in html


def test_a_spot_message_stays_in_the_conversation_after_it_is_answered(student_client, scenario):
    play = start(student_client)
    answer(student_client, play, step="d1", choice="b")
    answer(student_client, play, step="s1", options=["o1"])
    html = student_client.get(play).content.decode()
    question = html.index("Do you pay?")
    assert "Top up 500 first to unlock VIP tasks." in html[:question]
    assert '<mark class="flag">' not in html  # no verdict before answering
    feedback = answer(student_client, play, step="d2", choice="stop")["Location"]
    html = student_client.get(feedback).content.decode()
    flags = html[html.index("The red flags in the messages") :]
    assert '<mark class="flag">Top up 500 first<sup class="flag-num">1</sup></mark>' in flags
    assert "Paying to get paid." in flags and "Polite." not in flags
    html = student_client.get(play).content.decode()
    assert "Outcome: partly harmed" in html and "Top up 500 first to unlock VIP tasks." in html


def test_a_spot_steps_own_feedback_marks_its_message_once(student_client, scenario):
    # There the message is marked with what was ticked and missed; the conversation section
    # below holds only what came before the spot step.
    play = start(student_client)
    answer(student_client, play, step="d1", choice="b")
    feedback = answer(student_client, play, step="s1", options=["o1"])["Location"]
    html = student_client.get(feedback).content.decode()
    assert html.count('<mark class="spot-found">Top up 500 first</mark>') == 1
    assert '<mark class="flag">Top up 500 first' not in html
    assert "A day later" in html[html.index("The red flags in the messages") :]


def test_a_scenarios_kind_shows_only_at_its_end(client):
    """A genuine scenario and a scam look the same in the list, the intro and the questions: the
    kind is told in the ending's recap, after the student has decided."""
    steps = small_scenario_steps()
    for step in steps:
        if step["kind"] == "ending" and step["outcome"] != "safe":
            step["outcome"] = "missed-out"
    make_scenario("twin-real", steps=steps, genuine=True, title="Twin")
    topic = Scenario.objects.get(slug="twin-real").topic
    make_scenario("twin-scam", steps=steps, topic=topic, title="Twin")

    def seen(slug: str) -> list[str]:
        pages = [client.get(f"/scenarios/{slug}/").content.decode()]
        play = start(client, slug)
        pages.append(client.get(play).content.decode())
        return [re.sub(r"twin-\w+|/\d+/|csrfmiddlewaretoken\" value=\"\w+", "", p) for p in pages]

    # Line by line, in any order: each attempt shows the options in an order of its own.
    assert [sorted(page.splitlines()) for page in seen("twin-real")] == [
        sorted(page.splitlines()) for page in seen("twin-scam")
    ]


def test_the_next_scenario_offered_is_the_first_one_never_started(
    client, django_assert_num_queries
):
    from quizzes.play.selectors import next_unplayed_scenario

    first, second, third = (
        make_scenario(slug, position=number) for number, slug in enumerate(["a1", "a2", "a3"])
    )
    make_scenario("other-language", language="zh-hans", title="中文")
    student = make_student("next-kid")
    client.force_login(student)
    start(client, "a2")
    assert next_unplayed_scenario(first, student) == third
    start(client, "a3")
    with django_assert_num_queries(1):
        assert next_unplayed_scenario(first, student) is None
    # A visitor who has started nothing is offered the first scenario after this one.
    assert next_unplayed_scenario(first, None, "some-visitor") == second
