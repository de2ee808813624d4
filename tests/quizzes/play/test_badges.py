"""Badges (quizzes/play/badges.py) from known histories, each earned and not earned, with the
clock moved by passing ``now``; the history read from the database through the real services;
the badges on /progress/ in both languages, with a constant number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.check import scoring
from quizzes.models import Booster, PracticeAnswer
from quizzes.play import start_throttle
from quizzes.play.badges import (
    BOOSTER_GAP_DAYS,
    SHARP_EYE_D_PRIME,
    SPECIAL,
    Badge,
    History,
    Measure,
    Play,
    Retry,
    Round,
    badges_from,
    badges_of,
    booster_streak_at,
    flag_finder_at,
    genuine_at,
    history_for,
    mastered_at,
    second_look_at,
    sharp_eye_at,
)
from quizzes.play.mastery import SHAKY_DAYS, Mark
from quizzes.play.practice import mistake_retry
from quizzes.play.services import attempt_answer, attempt_start
from tests.factories import (
    make_check_items,
    make_scenario,
    make_student,
    small_scenario_steps,
    take_check,
)

NOW = timezone.now()


def ago(days: float):
    return NOW - timedelta(days=days)


def a_play(scenario_id=1, *, started=10, finished=9, outcome="safe", genuine=False, perfect=None):
    return Play(
        scenario_id=scenario_id,
        title=f"Scenario {scenario_id}",
        started_at=ago(started),
        finished_at=None if finished is None else ago(finished),
        outcome=outcome if finished is not None else "",
        genuine=genuine,
        perfect_spot_at=None if perfect is None else ago(perfect),
    )


def a_measure(kind: str, *, hits: int, false_alarms: int, days: float = 1) -> Measure:
    """A check of five scams and five real messages."""
    ratings = [scoring.Rating(True, n < hits, 2) for n in range(5)]
    ratings += [scoring.Rating(False, n < false_alarms, 2) for n in range(5)]
    return Measure(kind, ago(days), scoring.score(ratings))


def earned(badges, key):
    return next(b for b in badges.special if b.key == key).earned_at


# --- each trick mastered -----------------------------------------------------------------------


def test_a_trick_is_mastered_at_the_answer_that_meets_the_rule():
    marks = [
        Mark("urgency", channel, True, ago(day))
        for channel, day in (("sms", 20), ("chat", 19), ("sms", 18), ("chat", 17))
    ]
    assert mastered_at(marks, "urgency", NOW) == ago(17)
    # Three right answers, or four on one channel only, are not enough.
    assert mastered_at(marks[:3], "urgency", NOW) is None
    one_channel = [Mark("urgency", "sms", True, ago(day)) for day in (20, 19, 18, 17)]
    assert mastered_at(one_channel, "urgency", NOW) is None
    # Another trick's answers count for nothing.
    assert mastered_at(marks, "threat", NOW) is None


def test_a_recent_mistake_holds_the_badge_back_until_it_is_no_longer_recent():
    marks = [
        Mark("urgency", channel, True, ago(day))
        for channel, day in (
            ("sms", 9),
            ("chat", 8),
            ("sms", 7),
            ("chat", 6),
            ("sms", 5),
            ("chat", 4),
            ("sms", 3),
            ("chat", 2),
        )
    ]
    marks.append(Mark("urgency", "sms", False, ago(10)))  # shaky until 14 days after
    assert mastered_at(marks, "urgency", NOW) is None
    later = NOW + timedelta(days=5)  # the clock moved on: the mistake is 15 days old
    assert mastered_at(marks, "urgency", later) == ago(10) + timedelta(
        days=SHAKY_DAYS, microseconds=1
    )


def test_a_trick_badge_stays_earned_after_a_later_mistake():
    marks = [
        Mark("threat", channel, True, ago(day))
        for channel, day in (("call", 40), ("sms", 39), ("call", 38), ("sms", 37))
    ]
    marks.append(Mark("threat", "call", False, ago(1)))  # shaky in the grid now
    assert mastered_at(marks, "threat", NOW) == ago(37)
    badges = badges_from(History(marks=marks), NOW)
    threat = next(b for b in badges.tactics if b.tactic == "threat")
    assert threat.earned and threat.earned_at == ago(37)
    assert [b.tactic for b in badges.tactics_earned] == ["threat"]


# --- a real one handled right ------------------------------------------------------------------


def test_a_genuine_scenario_ended_safely_the_first_time_earns_the_badge():
    history = History(plays=[a_play(genuine=True, finished=3)])
    assert genuine_at(history) == ago(3)


@pytest.mark.parametrize(
    "plays",
    [
        [a_play(genuine=False)],  # a scam scenario: another badge's business
        [a_play(genuine=True, outcome="missed-out")],  # ignored the real message
        [a_play(genuine=True, finished=None)],  # not finished
        # Safe only on the replay, after the recap told it was real.
        [a_play(genuine=True, outcome="missed-out", started=10), a_play(genuine=True, started=5)],
    ],
)
def test_no_genuine_badge_without_a_first_safe_ending_of_a_real_scenario(plays):
    assert genuine_at(History(plays=plays)) is None


# --- sharp eye ---------------------------------------------------------------------------------


def test_a_sharp_after_or_later_check_earns_the_sharp_eye():
    sharp = a_measure("post", hits=5, false_alarms=0, days=2)
    assert sharp.score.d_prime >= SHARP_EYE_D_PRIME
    assert sharp_eye_at(History(measures=[sharp])) == ago(2)
    later = a_measure("later", hits=5, false_alarms=1, days=1)
    assert later.score.d_prime >= SHARP_EYE_D_PRIME
    assert sharp_eye_at(History(measures=[later])) == ago(1)


def test_no_sharp_eye_for_a_blunt_check_or_for_the_before_check():
    blunt = a_measure("post", hits=3, false_alarms=1)
    assert blunt.score.d_prime < SHARP_EYE_D_PRIME
    # Calling everything a scam catches every scam and earns nothing.
    everything = a_measure("post", hits=5, false_alarms=5)
    before = a_measure("pre", hits=5, false_alarms=0)  # a measure, not what was learned
    assert sharp_eye_at(History(measures=[blunt, everything, before])) is None


# --- booster streak ----------------------------------------------------------------------------


def a_round(started: float, *, right: int = 3, steps: int = 4) -> Round:
    return Round(ago(started), ago(started) + timedelta(minutes=3), steps, right)


def test_three_boosters_each_within_two_weeks_earn_the_streak():
    rounds = [a_round(30), a_round(30 - BOOSTER_GAP_DAYS), a_round(30 - 2 * BOOSTER_GAP_DAYS)]
    assert booster_streak_at(History(rounds=rounds)) == rounds[-1].finished_at


@pytest.mark.parametrize(
    "rounds",
    [
        [a_round(30), a_round(20)],  # two only
        [a_round(40), a_round(30), a_round(15)],  # 15 days between the last two
        [a_round(30), a_round(25, right=1), a_round(20)],  # one clicked through, mostly wrong
    ],
)
def test_no_streak_with_too_few_rounds_a_long_gap_or_a_round_mostly_wrong(rounds):
    assert booster_streak_at(History(rounds=rounds)) is None


def test_rounds_on_the_same_day_count_once_in_a_streak():
    same_day = [a_round(20), a_round(19.9), a_round(19.8)]
    assert booster_streak_at(History(rounds=same_day)) is None
    rounds = [*same_day, a_round(10)]  # the first of the day, then ten days on
    assert booster_streak_at(History(rounds=rounds)) is None
    rounds.append(a_round(5))
    assert booster_streak_at(History(rounds=rounds)) == rounds[-1].finished_at


def test_a_broken_streak_starts_again():
    rounds = [a_round(60), a_round(40), a_round(30), a_round(20)]  # 20 days, then 10 and 10
    assert booster_streak_at(History(rounds=rounds)) == rounds[-1].finished_at


# --- second look -------------------------------------------------------------------------------


def test_five_different_mistakes_tried_again_and_right_earn_the_second_look():
    retries = [Retry(1, f"d{n}", ago(10 - n)) for n in range(5)]
    assert second_look_at(History(retries=retries)) == ago(6)


def test_the_same_mistake_right_five_times_is_one_second_look():
    retries = [Retry(1, "d1", ago(n)) for n in range(5)] + [Retry(2, "d1", ago(1))]
    assert second_look_at(History(retries=retries)) is None


# --- flag finder -------------------------------------------------------------------------------


def test_every_flag_in_three_scenarios_earns_the_flag_finder():
    plays = [a_play(n, started=10 - n, perfect=9 - n) for n in (1, 2, 3)]
    assert flag_finder_at(History(plays=plays)) == ago(6)


def test_no_flag_finder_for_two_scenarios_or_flags_found_only_on_a_replay():
    plays = [a_play(n, started=10 - n, perfect=9 - n) for n in (1, 2)]
    plays += [a_play(3, started=5), a_play(3, started=2, perfect=1)]  # the replay
    plays += [a_play(1, started=1, perfect=0.5)]  # the same scenario again: still two
    assert flag_finder_at(History(plays=plays)) is None


# --- all together ------------------------------------------------------------------------------


def test_nothing_is_earned_for_failing_or_for_clicking():
    history = History(
        marks=[Mark("urgency", c, False, ago(d)) for c, d in (("sms", 3), ("chat", 2))],
        plays=[a_play(n, genuine=n == 1, outcome="harmed") for n in (1, 2, 3)],
        measures=[a_measure("post", hits=1, false_alarms=4)],
        rounds=[a_round(d, right=0) for d in (20, 10, 1)],
    )
    badges = badges_from(history, NOW)
    assert badges.earned == []
    assert len(badges.all) == 5 + 13  # every badge is shown, with how it is earned
    assert all(b.how for b in badges.all)


def test_a_badge_earned_after_now_is_not_earned_yet():
    history = History(plays=[a_play(genuine=True, started=2, finished=1)])
    assert earned(badges_from(history, NOW), "genuine") == ago(1)
    assert earned(badges_from(history, ago(1.5)), "genuine") is None


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_badge_has_a_name_and_how_in_both_languages(language):
    from django.utils import translation

    with translation.override(language):
        for badge in [Badge(key, None) for key in SPECIAL]:
            assert badge.name and badge.how
        assert "1.5" in Badge("sharp-eye", None).how
        assert Badge("mastered", None, "urgency").name


# --- read from the database --------------------------------------------------------------------

# Ways through small_scenario_steps: the safe choice at once; or the risky one, every red flag
# of the spot step (and nothing harmless), then stopping (partly harmed).
PLANS: dict[str, list[tuple[str, str, list[str] | None]]] = {
    "safe": [("d1", "a", None)],
    "flags": [("d1", "b", None), ("s1", "", ["o1"]), ("d2", "stop", None)],
}


def play(scenario, user, plan: str) -> None:
    attempt = attempt_start(scenario=scenario, user=user)
    for step_key, choice_key, selected in PLANS[plan]:
        attempt_answer(attempt=attempt, step_key=step_key, choice_key=choice_key, selected=selected)


def genuine_steps() -> list[dict]:
    steps = small_scenario_steps()
    for step in steps:
        if step["kind"] == "ending" and step["outcome"] != "safe":
            step["outcome"] = "missed-out"
    return steps


@pytest.mark.django_db
def test_the_history_is_read_from_what_the_student_did():
    real = make_scenario("real-one", steps=genuine_steps(), genuine=True)
    scams = [make_scenario(f"scam-{n}") for n in range(3)]
    student = make_student("badge-kid")
    play(real, student, "safe")  # d1 "a": the safe ending of a real scenario
    for scenario in scams:
        play(scenario, student, "flags")
    make_check_items()
    take_check(student)  # before
    take_check(student)  # after, every answer right
    for scenario in scams[:2]:
        for step_key, choice, selected in (
            ("d1", "a", None),
            ("d2", "stop", None),
            ("s1", "", ["o1"]),
        ):
            mistake_retry(
                user=student,
                version_id=scenario.published_version_id,
                step_key=step_key,
                choice_key=choice,
                selected=selected,
            )
    for days in (20, 10, 1):
        booster = Booster.objects.create(
            user=student, items=[{}] * 4, position=4, right=3, finished_at=ago(days - 0.01)
        )
        Booster.objects.filter(pk=booster.pk).update(started_at=ago(days))
    Booster.objects.create(user=student, items=[{}] * 4)  # unfinished: not counted

    history = history_for([student.pk])[student.pk]
    assert [p.genuine for p in history.plays] == [True, False, False, False]
    assert [p.title for p in history.completed()] == ["Real one", "Scam 0", "Scam 1", "Scam 2"]
    assert all(p.perfect_spot_at for p in history.plays[1:])
    assert [m.kind for m in history.measures] == ["pre", "post"]
    assert history.latest_measure("post").percent == 100
    assert len(history.rounds) == 3 and len(history.retries) == 6
    badges = badges_of(student, now=timezone.now() + timedelta(minutes=1))
    assert {b.key for b in badges.special if b.earned} == {
        "genuine",
        "sharp-eye",
        "flag-finder",
        "second-look",
        "booster-streak",
    }
    # Five right on the check's scams ("urgency", on two channels or more).
    assert [b.tactic for b in badges.tactics_earned] == ["urgency"]


@pytest.mark.django_db
def test_a_wrong_retry_or_a_booster_answer_is_no_second_look():
    scenario = make_scenario()
    student = make_student("retry-kid")
    for _ in range(5):
        mistake_retry(
            user=student, version_id=scenario.published_version_id, step_key="d1", choice_key="b"
        )
    assert history_for([student.pk])[student.pk].retries == []
    assert PracticeAnswer.objects.count() == 5


# --- on /progress/ -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_progress_shows_every_badge_and_how_it_is_earned(client, language):
    real = make_scenario("real-one", steps=genuine_steps(), genuine=True, language=language)
    student = make_student("shown-kid")
    play(real, student, "safe")
    client.force_login(student)
    header = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans" if language == "zh-hans" else "en"}
    response = client.get("/progress/", **header)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    section = html[
        html.index('id="badges-title"') : html.index("</section>", html.index('id="badges-title"'))
    ]
    assert section.count("badge-card") == 5 + 13
    assert section.count("badge-earned") == 1 and section.count("badge-not-yet") == 17
    if language == "en":
        assert "earned on" in card(section, "A real one, handled right")
        assert "not yet" in card(section, "Sharp eye")
        assert section.count(">not yet</span>") == 17  # a text label, not colour alone
        assert "discernment score (d′) of 1.5 or more" in section
    assert "/progress/certificate/" in section


@pytest.mark.django_db
def test_progress_with_badges_query_count_is_constant(
    client, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(start_throttle, "STARTS_PER_PLAYER", 100)
    make_check_items()
    scenarios = [make_scenario(f"s-{n}") for n in range(6)]
    student = make_student("counted-kid")
    client.force_login(student)

    def history(plays: int, boosters: int, retries: int) -> None:
        for n in range(plays):
            play(scenarios[n % 6], student, "flags")  # a mistake, a spot step, a safe stop
        for _ in range(boosters):
            Booster.objects.create(
                user=student, items=[{}] * 4, position=4, right=4, finished_at=timezone.now()
            )
        for n in range(retries):
            mistake_retry(
                user=student,
                version_id=scenarios[n % 6].published_version_id,
                step_key="d1",
                choice_key="a",
            )

    history(plays=1, boosters=1, retries=1)
    take_check(student)
    # user; the student's attempts with scenarios, published scenarios (to suggest and what
    # to practise); mastery: the answers, practice answers, the versions played, the check
    # answers; the booster status: boosters, their answers, a class's booster; the class
    # assignments; the check summary; the badges: the attempts (genuine? first perfect spot
    # step?), the measured checks' answers, finished boosters, mistakes tried again and right.
    with django_assert_num_queries(BADGE_PAGE_QUERIES) as first:
        assert client.get("/progress/").status_code == 200
    history(plays=20, boosters=6, retries=12)
    take_check(student)
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get("/progress/").content.decode()
    assert "earned on" in card(html, "Second look") and "earned on" in card(html, "Flag finder")
    assert "not yet" in card(html, "Booster streak")  # seven rounds, but all on the same day


def card(html: str, name: str) -> str:
    """The badge card (list item) with this name."""
    at = html.index(f"<strong>{name}</strong>")
    return html[html.rindex("<li", 0, at) : html.index("</li>", at)]


BADGE_PAGE_QUERIES = 16
