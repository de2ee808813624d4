"""The class page's "what to teach next": the heatmap of safe choices by tactic × channel, the
three tactics the class misses most with the decision where most went wrong, and the topics'
printable lesson plans; from a known answer history, in both languages, in a fixed number of
queries."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from awareness.models import User
from quizzes.classes.teach_next import classroom_teach_next, lessons_from
from quizzes.models import (
    CheckAnswer,
    CheckItem,
    CheckSession,
    Classroom,
    Scenario,
    ScenarioVersion,
    Tactic,
)
from quizzes.play.services import attempt_answer, attempt_start
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps
from tests.factories import add_student, make_class, make_scenario, make_student, make_teacher
from tests.factories import make_topic as factory_topic

pytestmark = pytest.mark.django_db

ZH = "zh-hans"
LESSON_PLAN = {
    "short": {
        "warm_up": "Ask who has had a call from “the bank”.",
        "play": "Play “The bank calls” together.",
        "discuss": "Why does the caller hurry?",
        "check": "Three messages from the check: scam or real?",
    },
    "long": {
        "warm_up": "Ask who has had a call from “the bank”.\n\nCollect the stories on the board.",
        "play": ["Pairs play “The bank calls”.", "Then each plays one more scenario."],
        "discuss": {"minutes": 15, "text": "Which words made you hurry?"},
        "check": "The whole check, then compare.",
    },
}
LESSON_PLAN_ZH = {
    "short": {
        "warm_up": "问问谁接到过“银行”的电话。",
        "play": "一起玩“银行来电”。",
        "discuss": "打电话的人为什么催你？",
        "check": "从测验中选三条消息：是诈骗还是真的？",
    },
    "long": {},
}
# d1 where most went wrong, and its questions for the class (in the version's content).
CALL_DISCUSSION = ["Why does a real bank never ask for the code?", "Who could you call instead?"]
CHAT_DISCUSSION = ["Why pay to get paid?"]


def make_topic(slug: str, language: str = "en", **extra):
    return factory_topic(slug, language, **extra)


BANK_PROMPT = "The bank wants the code?"


def call_steps(zh: bool = False) -> list[dict]:
    """A bank call: d1 tests fake authority and urgency (all choices lead on), a spot step with
    an urgency flag and a threat flag, and d2 (secrecy)."""
    hang_up = "挂断，回拨银行官方电话。" if zh else "Hang up and call the bank back."
    read_out = "把验证码读给他。" if zh else "Read out the code."
    return [
        {"key": "m1", "kind": "message", "from": "Bank", "text": "Your account is blocked.",
         "next": "d1"},
        {"key": "d1", "kind": "decision", "prompt": "银行要验证码？" if zh else BANK_PROMPT,
         "tactics": ["authority", "urgency"], "choices": [
             {"key": "a", "text": hang_up, "safe": True, "feedback": "Yes.", "next": "s1"},
             {"key": "b", "text": read_out, "safe": False, "feedback": "No.", "next": "s1"},
             {"key": "c", "text": "Buy the gift cards.", "safe": False, "feedback": "No.",
              "next": "s1"},
         ]},
        {"key": "s1", "kind": "spot", "prompt": "Tick what is suspicious.", "from": "Bank",
         "text": "Within ten minutes, or you will be arrested. Good afternoon.", "next": "d2",
         "options": [
             {"key": "f1", "quote": "Within ten minutes", "is_flag": True, "why": "Hurry.",
              "tactic": "urgency"},
             {"key": "f2", "quote": "or you will be arrested", "is_flag": True, "why": "Threat.",
              "tactic": "threat"},
             {"key": "n1", "quote": "Good afternoon", "is_flag": False, "why": "Polite."},
         ]},
        {"key": "d2", "kind": "decision", "prompt": "Keep it secret?",
         "tactics": ["secrecy"], "choices": [
             {"key": "a", "text": "Tell a parent.", "safe": True, "feedback": "Yes.",
              "next": "end-safe"},
             {"key": "b", "text": "Keep it secret.", "safe": False, "feedback": "No.",
              "next": "end-harm"},
         ]},
        {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "Safe."},
        {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "Lost."},
    ]  # fmt: skip


def chat_steps() -> list[dict]:
    """A task job by chat: d1 pay to unlock, d2 too good to be true."""
    return [
        {"key": "m1", "kind": "message", "from": "Amy", "text": "Earn 300 a day!", "next": "d1"},
        {"key": "d1", "kind": "decision", "prompt": "Pay 50 to unlock tasks?",
         "tactics": ["pay-to-unlock"], "choices": [
             {"key": "a", "text": "No, block her.", "safe": True, "feedback": "Yes.",
              "next": "d2"},
             {"key": "b", "text": "Pay the 50.", "safe": False, "feedback": "No.", "next": "d2"},
         ]},
        {"key": "d2", "kind": "decision", "prompt": "A bonus for a friend?",
         "tactics": ["too-good-to-be-true"], "choices": [
             {"key": "a", "text": "No thanks.", "safe": True, "feedback": "Yes.",
              "next": "end-safe"},
             {"key": "b", "text": "Invite a friend.", "safe": False, "feedback": "No.",
              "next": "end-harm"},
         ]},
        {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "Safe."},
        {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "Lost."},
    ]  # fmt: skip


def with_discussion(scenario: Scenario, questions: dict[str, list[str]]) -> None:
    """Questions for the class on decisions of the published version's content (the pack
    format's ``discussion``)."""
    assert scenario.published_version_id is not None
    version = ScenarioVersion.objects.get(pk=scenario.published_version_id)
    for step in version.content["steps"]:
        if step["key"] in questions:
            step["discussion"] = questions[step["key"]]
    ScenarioVersion.objects.filter(pk=version.pk).update(content=version.content)


def call_scenario(slug: str = "bank-calls", language: str = "en") -> Scenario:
    topic = make_topic("fake-police", language)
    scenario = make_scenario(
        slug, language=language, steps=call_steps(zh=language == ZH), topic=topic,
        channel="call", title="银行来电" if language == ZH else "The bank calls",
    )  # fmt: skip
    with_discussion(scenario, {"d1": CALL_DISCUSSION})
    return scenario


def chat_scenario(slug: str = "task-job") -> Scenario:
    topic = make_topic("fake-part-time-jobs")
    scenario = make_scenario(slug, steps=chat_steps(), topic=topic, channel="chat", title="Task")
    with_discussion(scenario, {"d1": CHAT_DISCUSSION})
    return scenario


def play(scenario: Scenario, student: User, answers: list[tuple[str, str, list[str] | None]]):
    attempt = attempt_start(scenario=scenario, user=student)
    for step_key, choice_key, selected in answers:
        attempt_answer(attempt=attempt, step_key=step_key, choice_key=choice_key, selected=selected)


def call_play(d1: str, ticks: list[str], d2: str) -> list[tuple[str, str, list[str] | None]]:
    return [("d1", d1, None), ("s1", "", ticks), ("d2", d2, None)]


def chat_play(d1: str, d2: str) -> list[tuple[str, str, list[str] | None]]:
    return [("d1", d1, None), ("d2", d2, None)]


def check_answers(student: User, caught: list[bool], channel: str = "sms") -> None:
    """Answers to scam check items testing urgency (stored directly)."""
    items = [
        CheckItem.objects.get_or_create(
            language="en", key=f"scam-{channel}-{n}",
            defaults={"channel": channel, "sender": "X", "text": f"Scam {n}", "is_scam": True,
                      "explanation": "Why.", "tactics": ["urgency"]},
        )[0]
        for n in range(len(caught))
    ]  # fmt: skip
    session = CheckSession.objects.create(
        user=student, language="en", kind="pre", form="a", item_keys=[i.key for i in items],
        finished_at=timezone.now(),
    )  # fmt: skip
    CheckAnswer.objects.bulk_create(
        CheckAnswer(session=session, item=item, position=n, says_scam=says, confidence=2,
                    is_correct=says)
        for n, (item, says) in enumerate(zip(items, caught, strict=True), start=1)
    )  # fmt: skip


@pytest.fixture
def history():
    return build_history()


def build_history() -> tuple[Classroom, Scenario, Scenario]:
    """Five students, a bank call and a task job, and two urgency check messages each (all
    caught). Expected rates: fake authority 1/5 (call), threats 2/5 (call, flags only),
    pay to unlock 3/5 (chat), urgency 15/20 (call 5/10, sms 10/10), secrecy 4/5 (call), too
    good to be true 5/5 (chat)."""
    classroom = make_class(name="7B")
    call, chat = call_scenario(), chat_scenario()
    students = [add_student(classroom, display_name=f"S{n}") for n in range(1, 6)]
    plays = [  # (d1, ticks, d2) on the call; (d1, d2) on the chat
        (("a", ["f1", "f2"], "a"), ("a", "a")),
        (("b", ["f1"], "a"), ("b", "a")),
        (("b", ["n1"], "b"), ("b", "a")),
        (("c", ["f1", "n1"], "a"), ("a", "a")),
        (("b", ["f1", "f2"], "a"), ("a", "a")),
    ]
    for student, (on_call, on_chat) in zip(students, plays, strict=True):
        play(call, student, call_play(*on_call))
        play(chat, student, chat_play(*on_chat))
        check_answers(student, [True, True])
    outsider = make_student(display_name="Not in the class")  # never counted
    play(call, outsider, call_play("b", ["n1"], "b"))
    return classroom, call, chat


def rates(teach) -> dict[str, dict[str, tuple[int, int]]]:
    """Per tactic: (safe, answers) per channel that has answers, and "all"."""
    found = {}
    for row in teach.rows:
        if row.overall.answers:
            cells = {c: cell for (c, _label), cell in zip(teach.channels, row.cells, strict=True)}
            found[row.tactic] = {
                c: (int(x.right), x.answers) for c, x in cells.items() if x.answers
            }
            found[row.tactic]["all"] = (int(row.overall.right), row.overall.answers)
    return found


def test_heatmap_rates_from_a_known_history(history):
    classroom, call, chat = history
    assert rates(classroom_teach_next(classroom)) == {
        "authority": {"call": (1, 5), "all": (1, 5)},
        "urgency": {"call": (5, 10), "sms": (10, 10), "all": (15, 20)},
        "threat": {"call": (2, 5), "all": (2, 5)},
        "secrecy": {"call": (4, 5), "all": (4, 5)},
        "pay-to-unlock": {"chat": (3, 5), "all": (3, 5)},
        "too-good-to-be-true": {"chat": (5, 5), "all": (5, 5)},
    }


def test_the_three_tactics_missed_most_with_the_decision_where_most_went_wrong(history):
    classroom, call, chat = history
    items = classroom_teach_next(classroom).items
    assert [item.row.tactic for item in items] == ["authority", "threat", "pay-to-unlock"]
    authority, threat, pay = items
    assert authority.row.overall.percent == 20
    decision = authority.decision
    assert (decision.scenario_id, decision.step_key) == (call.pk, "d1")
    assert (decision.unsafe, decision.answers, decision.unsafe_percent) == (4, 5, 80)
    assert decision.top_unsafe.text == "Read out the code." and decision.top_unsafe.count == 3
    assert decision.discussion == CALL_DISCUSSION
    assert (decision.scenario_title, decision.topic) == ("The bank calls", "fake-police")
    assert threat.decision is None  # missed as red flags only
    assert (pay.decision.scenario_id, pay.decision.step_key) == (chat.pk, "d1")
    assert pay.decision.top_unsafe.text == "Pay the 50." and pay.decision.top_unsafe.count == 2
    assert pay.decision.discussion == CHAT_DISCUSSION


def test_a_tactic_needs_enough_answers_and_a_miss_to_be_listed():
    classroom = make_class()
    chat = chat_scenario()
    students = [add_student(classroom) for _ in range(4)]  # four answers: not enough yet
    for student in students:
        play(chat, student, chat_play("b", "a"))
    assert classroom_teach_next(classroom).items == []
    play(chat, add_student(classroom), chat_play("b", "a"))
    teach = classroom_teach_next(classroom)
    assert [item.row.tactic for item in teach.items] == ["pay-to-unlock"]  # d2 never missed
    not_met = {row.tactic for row in teach.not_met}
    assert "urgency" in not_met and not not_met & {"pay-to-unlock", "too-good-to-be-true"}


def test_the_published_versions_questions_and_wording_are_shown(history):
    classroom, call, chat = history
    steps = call_steps()
    steps[1]["choices"][1]["text"] = "Tell him the code."
    scenario_replace_steps(scenario=call, steps=steps)
    scenario_publish(scenario=call)
    call.refresh_from_db()
    with_discussion(call, {"d1": ["A newer question?"]})
    decision = classroom_teach_next(classroom).items[0].decision
    assert decision.discussion == ["A newer question?"]
    assert decision.top_unsafe.text == "Tell him the code."  # answered on version 1


# --- the class page --------------------------------------------------------------------------


def page_text(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(response, element_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    return page_text_of(html[start : html.index("</section>", start)])


def page_text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_class_page_shows_what_to_teach_next(client, history):
    classroom, call, chat = history
    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    teach = section(response, "teach-next")
    assert teach.index("Fake authority") < teach.index("Threats") < teach.index("Pay to unlock")
    assert "20 % safe: 1 of 5 answers." in teach
    assert "Most went wrong in The bank calls : “The bank wants the code?”" in teach
    assert "4 of 5 answers there were unsafe (80 %)." in teach
    assert "Most picked unsafe answer: “ Read out the code. ” (chosen 3 times)" in teach
    assert all(question in teach for question in CALL_DISCUSSION + CHAT_DISCUSSION)
    assert "The misses were red flags or check messages" in teach
    plan_url = reverse("classes:lesson-plan", args=[classroom.pk, "fake-police"])
    assert f'href="{plan_url}"' in response.content.decode()
    heatmap = section(response, "class-heatmap")
    assert "Fake authority 20 % 1/5 (1 of 5 safe)" in heatmap
    assert "Urgency 75 % 15/20" in heatmap
    not_met = heatmap[heatmap.index("Not met yet by the class:") :]
    assert "Fake social proof" in not_met and "Too good to be true" not in not_met


def test_the_class_page_in_chinese(client, history):
    classroom, call, chat = history
    client.force_login(classroom.teacher)
    client.cookies["django_language"] = ZH
    response = client.get(classroom.get_absolute_url())
    assert '<html lang="zh-hans">' in response.content.decode()
    with translation.override(ZH):
        authority, threat, pay = (
            str(Tactic(t).label) for t in ("authority", "threat", "pay-to-unlock")
        )
    teach = section(response, "teach-next")
    assert teach.index(authority) < teach.index(threat) < teach.index(pay)
    assert "Read out the code." in teach and CALL_DISCUSSION[0] in teach
    assert 'lang="en"' in response.content.decode()  # the English scenario's words are marked
    heatmap = section(response, "class-heatmap")
    assert "20 %" in heatmap and "电话" in heatmap  # the call channel's label


def test_an_empty_class_says_what_will_appear(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    response = client.get(classroom.get_absolute_url())
    assert "Once the students have played" in section(response, "teach-next")
    assert "Nothing yet" in section(response, "class-heatmap")


def class_of(students: int, scenarios: int) -> Classroom:
    classroom = make_class()
    made = [
        call_scenario(f"call-{students}-{n}")
        if n % 2 == 0
        else chat_scenario(f"chat-{students}-{n}")
        for n in range(scenarios)
    ]
    for number in range(students):
        student = add_student(classroom, display_name=f"S{number}")
        for scenario in made:
            safe = "a" if (number + scenario.pk) % 3 else "b"
            if scenario.published_channel == "call":
                play(scenario, student, call_play(safe, ["f1"], "a"))
            else:
                play(scenario, student, chat_play(safe, "b"))
        check_answers(student, [number % 2 == 0, True])
    return classroom


def test_the_class_page_takes_the_same_queries_at_any_size(client, django_assert_num_queries):
    small, big = class_of(3, 2), class_of(12, 4)
    for classroom in (small, big):
        # The selector: the members' answers counted per version, step and choice; the versions
        # (and the scenarios' published ones); the members' scam check answers counted.
        with django_assert_num_queries(3):
            teach = classroom_teach_next(classroom)
        assert teach.items
        client.force_login(classroom.teacher)
        url = classroom.get_absolute_url()
        cache.clear()
        client.get(reverse("classes:list"))  # the session back in the cache
        # The page: on a cache miss the stamps', the results' (test_results_cache.py), the
        # boosters' and these three; with the results and the section cached, only the
        # stamps'.
        with django_assert_num_queries(COLD):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(WARM):
            assert client.get(url).status_code == 200


# The boosters, the results and the teach-next section are cached (test_results_cache.py);
# +1: the live sessions.
COLD, WARM = 25, 9


# --- the lesson plan ---------------------------------------------------------------------------


def test_lessons_read_text_points_and_minutes():
    short, long = lessons_from(LESSON_PLAN)
    assert (short.kind, short.minutes) == ("short", 15)
    assert [(p.key, p.minutes) for p in short.parts] == [
        ("warm_up", 2), ("play", 7), ("discuss", 4), ("check", 2),
    ]  # fmt: skip
    assert (long.kind, long.minutes) == ("long", 40)  # 5 + 15 + 15 (given) + 5
    assert long.parts[0].paragraphs == [
        "Ask who has had a call from “the bank”.",
        "Collect the stories on the board.",
    ]
    assert long.parts[1].points == LESSON_PLAN["long"]["play"]
    assert lessons_from({}) == lessons_from(None) == lessons_from({"short": "x"}) == []
    assert [lesson.kind for lesson in lessons_from(LESSON_PLAN_ZH)] == ["short"]


def test_a_closing_length_in_the_text_gives_the_parts_minutes():
    timed = {
        "warm_up": "Show of hands: who has seen one? (3 min)",
        "play": "一起玩“银行来电”。（6 分钟）",
        "discuss": "Ask the questions. (4 minutes)",
        "check": "Exit ticket (more than one minute).",
    }
    (lesson,) = lessons_from({"short": timed})
    assert [(p.minutes, p.paragraphs) for p in lesson.parts] == [
        (3, ["Show of hands: who has seen one?"]),
        (6, ["一起玩“银行来电”。"]),
        (4, ["Ask the questions."]),
        (2, ["Exit ticket (more than one minute)."]),
    ]
    assert lesson.minutes == 15


def plan_url(classroom: Classroom, slug: str = "fake-police") -> str:
    return reverse("classes:lesson-plan", args=[classroom.pk, slug])


def test_the_lesson_plan_page_in_both_languages(client):
    make_topic("fake-police", "en", title="Fake police", lesson_plan=LESSON_PLAN)
    make_topic("fake-police", ZH, title="冒充公检法", lesson_plan=LESSON_PLAN_ZH)
    call_scenario("bank-calls", "en")
    call_scenario("yinhang-laidian", ZH)
    classroom = make_class(name="7B")
    client.force_login(classroom.teacher)
    response = client.get(plan_url(classroom))
    text = page_text(response)
    assert "Lesson plan: Fake police" in text and "For the class 7B." in text
    assert "A lesson of 15 minutes" in text and "A lesson of 40 minutes" in text
    assert "Warm-up · 2 minutes Ask who has had a call from “the bank”." in text
    assert "Discuss · 15 minutes Which words made you hurry?" in text
    assert "The check · 5 minutes The whole check, then compare." in text
    assert "The bank calls" in text and "银行来电" not in text  # the class's language only
    assert CALL_DISCUSSION[0] in text
    assert "css/lesson-plan." in response.content.decode()  # the print style sheet

    client.cookies["django_language"] = ZH
    response = client.get(plan_url(classroom))
    text = page_text(response)
    assert "冒充公检法" in text and "问问谁接到过“银行”的电话。" in text
    assert "银行来电" in text and "The bank calls" not in text
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "lesson-short" in html and "lesson-long" not in html  # the Chinese plan: 15 minutes


def test_a_topic_without_a_lesson_plan_says_so(client):
    make_topic("phishing", "en", title="Phishing")
    classroom = make_class()
    client.force_login(classroom.teacher)
    response = client.get(plan_url(classroom, "phishing"))
    assert response.status_code == 200
    text = page_text(response)
    assert "This topic has no lesson plan yet." in text
    assert "No scenario of this topic is published in this language yet." in text


def test_only_the_classs_teacher_sees_a_lesson_plan(client):
    make_topic("fake-police", "en", lesson_plan=LESSON_PLAN)
    classroom = make_class()
    student = add_student(classroom)
    url = plan_url(classroom)
    assert client.get(url).status_code == 302  # signed out: to the login page
    client.force_login(make_teacher("another-teacher"))
    assert client.get(url).status_code == 404
    client.force_login(student)
    assert client.get(url).status_code == 404
    client.force_login(classroom.teacher)
    assert client.get(url).status_code == 200
    assert client.get(plan_url(classroom, "no-such-topic")).status_code == 404
    assert client.get(f"/classes/{classroom.pk}/lesson-plan/bad%20slug!/").status_code == 404
    assert client.get(f"/classes/{classroom.pk + 999}/lesson-plan/fake-police/").status_code == 404


def test_the_cached_section_follows_new_answers_and_checks(client):
    """The heatmap and what to teach next are cached under a stamp of what they count: a new
    answer, even on a scenario not assigned to the class, or a check answer, shows at once."""
    classroom = class_of(2, 1)
    client.force_login(classroom.teacher)
    url = classroom.get_absolute_url()
    cache.clear()

    def section() -> str:
        html = client.get(url).content.decode()
        return html[html.index('id="teach-next"') : html.index('id="class-heatmap"') + 4000]

    before = section()
    assert section() == before  # from the cache
    student = classroom.memberships.first().student
    play(chat_scenario("not-assigned"), student, chat_play("b", "b"))
    after_answer = section()
    assert after_answer != before
    check_answers(student, [False, False])
    assert section() != after_answer
