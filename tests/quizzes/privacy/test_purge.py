"""Retention: the purge command deletes visitors' data and login records after their time."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from quizzes.check.services import check_session_start
from quizzes.models import Answer, Attempt, CheckSession
from quizzes.play.services import attempt_start
from tests.factories import make_check_items, make_scenario, make_student

pytestmark = pytest.mark.django_db


def _age(queryset, field: str, days: int) -> None:
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


@pytest.fixture
def old_and_new(settings):
    settings.VISITOR_DATA_DAYS = 30
    settings.LOGIN_RECORD_DAYS = 30
    scenario = make_scenario()
    make_check_items()
    student = make_student()
    for visitor in ("old-visitor", "new-visitor"):
        attempt_start(scenario=scenario, user=None, visitor_id=visitor)
        check_session_start(user=None, visitor_id=visitor, language="en")
    attempt_start(scenario=scenario, user=student)
    check_session_start(user=student, language="en")
    _age(Attempt.objects.filter(visitor_id="old-visitor"), "updated_at", 31)
    _age(CheckSession.objects.filter(visitor_id="old-visitor"), "started_at", 31)
    # A student's attempts are theirs to keep, however old.
    _age(Attempt.objects.filter(user=student), "updated_at", 400)
    _age(CheckSession.objects.filter(user=student), "started_at", 400)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        model.objects.create(username="old", ip_address="192.0.2.1", user_agent="x", **extra)
        model.objects.create(username="new", ip_address="192.0.2.2", user_agent="y", **extra)
        _age(model.objects.filter(username="old"), "attempt_time", 31)
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    live = SessionStore()
    live.create()
    return student, live.session_key


def test_purge_deletes_old_visitor_data_and_login_records_and_nothing_else(old_and_new, capsys):
    student, live_session = old_and_new
    call_command("purge")
    out = capsys.readouterr().out
    assert "1 visitor attempts" in out and "1 login records" in out
    assert set(Attempt.objects.values_list("visitor_id", flat=True)) == {"new-visitor", ""}
    assert Attempt.objects.filter(user=student).exists()
    assert set(CheckSession.objects.values_list("visitor_id", flat=True)) == {"new-visitor", ""}
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["new"], model
    assert list(Session.objects.values_list("session_key", flat=True)) == [live_session]
    # Idempotent: a second run finds nothing.
    call_command("purge")
    assert "0 visitor attempts" in capsys.readouterr().out


def test_purge_dry_run_deletes_nothing(old_and_new, capsys):
    before = (Attempt.objects.count(), Answer.objects.count(), AccessLog.objects.count())
    call_command("purge", "--dry-run")
    assert "Would delete" in capsys.readouterr().out
    assert (Attempt.objects.count(), Answer.objects.count(), AccessLog.objects.count()) == before
