"""Scoring the spot-the-scam check as signal detection (the measure a researcher would accept).

A "hit" is a scam answered "scam", a "false alarm" a genuine message answered "scam". From the
two rates (with the log-linear correction: add 0.5 to each count and 1 to each total, so that
0 % and 100 % stay finite) come d′, how well scams are told from real messages whatever the
student's leaning, and the criterion c, the leaning itself (negative: calls more things scams).
The answer and its confidence make a six-point rating (certain real … certain scam), whose
ROC area (AUC) is the chance that a random scam is rated more "scam" than a random real one.

For a class: means with 95 % intervals, and the paired change of each student between two
checks with its effect size (Cohen's d_z) and interval. Pure functions; standard library only.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, mean, stdev

_Z = NormalDist().inv_cdf

# A paired change is shown only with at least this many students who took both checks.
MIN_PAIRS = 5

# Two-sided 97.5 % quantiles of Student's t for small samples (df 1-30); above, the normal's.
_T975 = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
]  # fmt: skip


def t975(df: int) -> float:
    return _T975[df - 1] if 1 <= df <= len(_T975) else 1.96


@dataclass(frozen=True)
class Rating:
    """One answer: was it a scam, was it called one, and how sure (1 not sure … 3 certain)."""

    is_scam: bool
    says_scam: bool
    confidence: int

    @property
    def six_point(self) -> int:
        """1 = certain it is real … 6 = certain it is a scam."""
        return 3 + self.confidence if self.says_scam else 4 - self.confidence


@dataclass(frozen=True)
class CheckScore:
    scams: int
    genuine: int
    hits: int
    false_alarms: int
    d_prime: float
    criterion: float
    auc: float

    @property
    def correct_rejections(self) -> int:
        return self.genuine - self.false_alarms

    @property
    def auc_percent(self) -> int:
        return round(self.auc * 100)

    @property
    def flags_everything(self) -> bool:
        """Called (nearly) everything a scam: catching scams this way is not spotting them."""
        return self.false_alarms >= max(1, self.genuine - 1) and self.hits >= self.scams - 1


def score(ratings: Sequence[Rating]) -> CheckScore:
    scams = [r for r in ratings if r.is_scam]
    genuine = [r for r in ratings if not r.is_scam]
    hits = sum(r.says_scam for r in scams)
    false_alarms = sum(r.says_scam for r in genuine)
    hit_rate = (hits + 0.5) / (len(scams) + 1)
    false_alarm_rate = (false_alarms + 0.5) / (len(genuine) + 1)
    return CheckScore(
        scams=len(scams),
        genuine=len(genuine),
        hits=hits,
        false_alarms=false_alarms,
        d_prime=_Z(hit_rate) - _Z(false_alarm_rate),
        criterion=-(_Z(hit_rate) + _Z(false_alarm_rate)) / 2,
        auc=auc([r.six_point for r in scams], [r.six_point for r in genuine]),
    )


def auc(scam_ratings: Sequence[int], genuine_ratings: Sequence[int]) -> float:
    """The area under the rating ROC: P(scam rated above real) + half P(rated the same)."""
    if not scam_ratings or not genuine_ratings:
        return 0.5
    above = sum((s > g) + (s == g) / 2 for s in scam_ratings for g in genuine_ratings)
    return above / (len(scam_ratings) * len(genuine_ratings))


# --- a class -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    n: int
    mean: float
    low: float
    high: float


def estimate(values: Sequence[float]) -> Estimate | None:
    """The mean with its 95 % interval (Student's t); None without values."""
    if not values:
        return None
    m = mean(values)
    if len(values) < 2:
        return Estimate(len(values), m, m, m)
    half = t975(len(values) - 1) * stdev(values) / math.sqrt(len(values))
    return Estimate(len(values), m, m - half, m + half)


@dataclass(frozen=True)
class PairedChange:
    n: int
    change: Estimate  # mean change of d′ (later minus earlier), with its interval
    effect_size: float  # Cohen's d_z: mean change / SD of the changes
    effect_low: float
    effect_high: float
    false_alarm_change: Estimate  # change in the share of real messages flagged


def paired_change(
    pairs: Sequence[tuple[CheckScore, CheckScore]],
) -> PairedChange | None:
    """Each student's change from the first check of a pair to the second; None below
    MIN_PAIRS students (too few to say anything)."""
    if len(pairs) < MIN_PAIRS:
        return None
    changes = [after.d_prime - before.d_prime for before, after in pairs]
    alarms = [
        after.false_alarms / max(after.genuine, 1) - before.false_alarms / max(before.genuine, 1)
        for before, after in pairs
    ]
    n = len(changes)
    spread = stdev(changes)
    d_z = mean(changes) / spread if spread > 0 else 0.0
    # Large-sample standard error of d_z (Becker 1988): sqrt(1/n + d_z² / 2n).
    half = t975(n - 1) * math.sqrt(1 / n + d_z**2 / (2 * n))
    change, alarm_change = estimate(changes), estimate(alarms)
    if change is None or alarm_change is None:  # pragma: no cover (n >= MIN_PAIRS)
        return None
    return PairedChange(n, change, d_z, d_z - half, d_z + half, alarm_change)


class Verdict:
    BETTER = "better"  # better at spotting scams without flagging more real messages
    SUSPICIOUS = "suspicious"  # more suspicious of everything: more false alarms
    UNCLEAR = "unclear"  # no clear change yet


def verdict(change: PairedChange | None) -> str:
    if change is None:
        return Verdict.UNCLEAR
    false_alarms_rose = change.false_alarm_change.low > 0
    if change.change.low > 0 and not false_alarms_rose:
        return Verdict.BETTER
    if false_alarms_rose:
        return Verdict.SUSPICIOUS
    return Verdict.UNCLEAR
