"""The class page's "what the class learned": a simulated class of 30 whose answers improve by
a known amount shows that improvement within its interval, and a class that only flags more
real messages reads as "more suspicious of everything"."""

import random
import re
from statistics import NormalDist

import pytest
from django.utils import timezone

from quizzes.check.impact import class_impact
from quizzes.check.scoring import Rating, paired_change, score
from quizzes.models import CheckAnswer, CheckItem, CheckSession
from tests.factories import add_student, make_check_items, make_class

pytestmark = pytest.mark.django_db

CDF = NormalDist().cdf


def draw(rng: random.Random, sensitivity: float, leaning: float) -> tuple[float, float]:
    """The chances of calling a scam and a real message "scam" for this student."""
    return CDF(sensitivity / 2 - leaning), CDF(-sensitivity / 2 - leaning)


def simulate(rng: random.Random, students: int, gain: float, alarm_rise: float):
    """Per student, (before, after) answers as (is_scam, says_scam) over 15 scams and 15 real
    messages; the student's sensitivity rises by ``gain`` and real messages are flagged more
    by ``alarm_rise`` (a shift of the leaning)."""
    for _ in range(students):
        ability = rng.gauss(0.8, 0.4)
        checks = []
        for sensitivity, leaning in ((ability, 0.0), (ability + gain, -alarm_rise)):
            hit, alarm = draw(rng, sensitivity, leaning)
            checks.append(
                [(True, rng.random() < hit) for _ in range(15)]
                + [(False, rng.random() < alarm) for _ in range(15)]
            )
        yield checks


def true_change(gain: float, alarm_rise: float):
    """The change as these checks measure it, in a population of 4,000 students."""
    rng = random.Random(99)
    pairs = []
    for before, after in simulate(rng, 4000, gain, alarm_rise):
        first, second = (score([Rating(s, says, 2) for s, says in c]) for c in (before, after))
        pairs.append((first, second))
    change = paired_change(pairs)
    assert change is not None
    return change


def seed_class(gain: float, alarm_rise: float, students: int = 30):
    classroom = make_class()
    items = make_check_items()
    scams = [i for i in items if i.is_scam]
    real = [i for i in items if not i.is_scam]
    rng = random.Random(7)
    now = timezone.now()
    for number, (before, after) in enumerate(simulate(rng, students, gain, alarm_rise)):
        student = add_student(classroom, display_name=f"S{number:02d}")
        for kind, form, answers in (("pre", "a", before), ("post", "b", after)):
            session = CheckSession.objects.create(
                user=student, language="en", kind=kind, form=form, item_keys=[], finished_at=now
            )
            shown = iter(scams), iter(real)
            CheckAnswer.objects.bulk_create(
                CheckAnswer(
                    session=session,
                    item=next(shown[0] if is_scam else shown[1]),
                    position=position,
                    says_scam=says,
                    confidence=2,
                    is_correct=says == is_scam,
                )
                for position, (is_scam, says) in enumerate(answers, start=1)
            )
    return classroom


def interval(page: str) -> tuple[float, float, float]:
    found = re.search(r"effect size d_z (-?[\d.]+) \((-?[\d.]+) to (-?[\d.]+)\)", page)
    assert found, page[page.find("impact") : page.find("impact") + 2000]
    return tuple(float(x) for x in found.groups())  # type: ignore[return-value]


def test_the_class_page_shows_a_known_improvement_within_its_interval(client):
    classroom = seed_class(gain=1.0, alarm_rise=0.0)
    client.force_login(classroom.teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    effect, low, high = interval(page)
    truth = true_change(1.0, 0.0)
    assert low <= truth.effect_size <= high
    assert low > 0
    assert "better at spotting scams without flagging more real messages." in page
    assert "What the class learned" in page


def test_only_more_false_alarms_reads_as_more_suspicious_of_everything(client):
    classroom = seed_class(gain=0.0, alarm_rise=1.0)
    client.force_login(classroom.teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "more suspicious of everything" in page
    assert "better at spotting scams" not in page


def test_fewer_than_five_pairs_say_not_enough_students_yet(client):
    classroom = seed_class(gain=1.0, alarm_rise=0.0, students=4)
    client.force_login(classroom.teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "not enough students yet (4 took both checks; 5 are needed)." in page
    assert "effect size d_z" not in page


def test_the_tricks_still_missed_come_from_each_students_latest_check():
    classroom = make_class()
    make_check_items()
    CheckItem.objects.filter(is_scam=True, key__in=["scam-00", "scam-01"]).update(
        tactics=["threat"]
    )
    student = add_student(classroom)
    session = CheckSession.objects.create(
        user=student, language="en", kind="pre", form="a", item_keys=[], finished_at=timezone.now()
    )
    for position, key in enumerate(["scam-00", "scam-01", "scam-02"], start=1):
        CheckAnswer.objects.create(
            session=session,
            item=CheckItem.objects.get(key=key),
            position=position,
            says_scam=key == "scam-02",
            confidence=1,
            is_correct=key == "scam-02",
        )
    impact = class_impact([student.pk])
    assert [(m.tactic, m.missed, m.seen) for m in impact.missed] == [("threat", 2, 2)]
