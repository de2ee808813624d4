"""Signal-detection scoring of the check (quizzes/check/scoring.py), against values worked out
by hand, and a simulated class whose improvement is known."""

import math
import random
from statistics import NormalDist

import pytest

from quizzes.check.scoring import (
    CheckScore,
    Rating,
    Verdict,
    auc,
    estimate,
    paired_change,
    score,
    verdict,
)

Z = NormalDist().inv_cdf


def answers(hits: int, scams: int, false_alarms: int, genuine: int, confidence: int = 2):
    return [Rating(True, i < hits, confidence) for i in range(scams)] + [
        Rating(False, i < false_alarms, confidence) for i in range(genuine)
    ]


def test_d_prime_and_criterion_with_the_log_linear_correction():
    # 4 of 5 scams caught, 1 of 5 real ones flagged: H = 4.5/6 = .75, F = 1.5/6 = .25.
    result = score(answers(4, 5, 1, 5))
    assert result.d_prime == pytest.approx(2 * 0.6744897, abs=1e-6)
    assert result.criterion == pytest.approx(0.0, abs=1e-9)
    # All right: H = 5.5/6, F = 0.5/6; finite thanks to the correction.
    perfect = score(answers(5, 5, 0, 5))
    assert perfect.d_prime == pytest.approx(Z(5.5 / 6) - Z(0.5 / 6))
    assert math.isfinite(perfect.d_prime)


def test_calling_everything_a_scam_scores_zero_and_says_so():
    result = score(answers(5, 5, 5, 5))
    assert result.d_prime == pytest.approx(0.0, abs=1e-9)
    assert result.criterion == pytest.approx(-Z(5.5 / 6))  # leaning hard towards "scam"
    assert result.flags_everything
    assert not score(answers(5, 5, 1, 5)).flags_everything


def test_auc_from_six_point_ratings():
    # Ratings: scam answered "scam, certain" = 6; genuine answered "real, certain" = 1.
    assert auc([6, 6], [1, 1]) == 1.0
    assert auc([3, 4], [3, 4]) == 0.5
    # Worked by hand: scams 6, 4; genuine 5, 1 -> pairs (6>5, 6>1, 4<5, 4>1) = 3 of 4.
    assert auc([6, 4], [5, 1]) == 0.75
    ratings = [Rating(True, True, 3), Rating(True, False, 1), Rating(False, True, 2)]
    assert [r.six_point for r in ratings] == [6, 3, 5]
    assert score(ratings).auc == 0.5  # scams 6 and 3 against real 5: one above, one below


def test_estimate_is_the_mean_with_a_t_interval():
    result = estimate([1.0, 2.0, 3.0])
    assert result is not None
    half = 4.303 * 1.0 / math.sqrt(3)  # t(.975, 2) * sd / sqrt(n)
    assert (result.n, result.mean) == (3, 2.0)
    assert result.low == pytest.approx(2 - half) and result.high == pytest.approx(2 + half)
    assert estimate([]) is None


def simulated_class(students: int, gain: float, alarm_rise: float, seed: int = 1):
    """Each student's true sensitivity before is drawn; after, it rises by ``gain``; real
    messages are flagged ``alarm_rise`` more often. 20 messages a check, 10 of each kind."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(students):
        ability = rng.gauss(0.8, 0.4)
        checks = []
        for sensitivity, leaning in ((ability, 0.0), (ability + gain, -alarm_rise)):
            hit_p = NormalDist().cdf(sensitivity / 2 - leaning)
            fa_p = NormalDist().cdf(-sensitivity / 2 - leaning)
            hits = sum(rng.random() < hit_p for _ in range(10))
            alarms = sum(rng.random() < fa_p for _ in range(10))
            checks.append(score(answers(hits, 10, alarms, 10)))
        pairs.append((checks[0], checks[1]))
    return pairs


def test_a_simulated_class_shows_its_true_gain_within_the_interval():
    # The "true" change as these checks measure it (short checks flatten big gains): the
    # change in a population of 4,000 such students.
    population = paired_change(simulated_class(4000, gain=1.0, alarm_rise=0.0, seed=99))
    assert population is not None
    change = paired_change(simulated_class(30, gain=1.0, alarm_rise=0.0))
    assert change is not None and change.n == 30
    assert change.change.low <= population.change.mean <= change.change.high
    assert change.effect_low <= population.effect_size <= change.effect_high
    assert change.change.low > 0 and change.effect_low > 0
    assert verdict(change) == Verdict.BETTER


def test_only_more_false_alarms_reads_as_more_suspicious_of_everything():
    change = paired_change(simulated_class(30, gain=0.0, alarm_rise=1.0))
    assert change is not None
    assert change.false_alarm_change.low > 0
    assert verdict(change) == Verdict.SUSPICIOUS


def test_too_few_students_say_nothing_yet():
    assert paired_change(simulated_class(4, gain=1.0, alarm_rise=0.0)) is None
    assert verdict(None) == Verdict.UNCLEAR


def test_no_change_is_unclear():
    change = paired_change(simulated_class(30, gain=0.0, alarm_rise=0.0, seed=4))
    assert verdict(change) == Verdict.UNCLEAR


def test_a_score_knows_its_counts():
    result: CheckScore = score(answers(3, 5, 2, 5))
    assert (result.hits, result.false_alarms, result.correct_rejections) == (3, 2, 3)
    assert result.auc_percent == round(result.auc * 100)
