"""A student's home page reads quiz data through one selector (quizzes/home.py) and says which
spot-the-scam check is due: before, after (once enough scenarios are finished), later (when
its delay is over), and nothing once all three are taken."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import CheckSession
from tests.factories import make_check_items, make_student

pytestmark = pytest.mark.django_db


def measure(user, kind: str, days_ago: int = 0) -> None:
    CheckSession.objects.create(
        user=user, language="en", kind=kind, form="a", item_keys=[],
        finished_at=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip


def test_the_home_page_says_which_check_is_due(client, settings):
    settings.AFTER_CHECK_SCENARIOS = 2
    settings.LATER_CHECK_DAYS = 14
    make_check_items()
    student = make_student("home-kid")
    client.force_login(student)

    def home() -> str:
        return client.get("/").content.decode()

    assert "Start with the spot-the-scam check" in home()
    measure(student, "pre")
    assert "finished 2 more scenarios" in home()
    settings.AFTER_CHECK_SCENARIOS = 0
    assert "check is ready" in home() and 'href="/check/"' in home()
    measure(student, "post", days_ago=3)
    assert "Your last check opens on" in home()
    CheckSession.objects.filter(kind="post").update(finished_at=timezone.now() - timedelta(15))
    assert "Your last check is due" in home()
    measure(student, "later")
    assert 'id="check-due-title"' not in home()


def test_teachers_and_visitors_see_no_check_reminder(client):
    assert 'id="check-due-title"' not in client.get("/").content.decode()
