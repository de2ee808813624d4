"""The results pages find a class's attempts and answers through indexes: no query they run
reads the whole answer or attempt table, so they stay as fast with a million answers as with
a thousand (bench/scale.py measures it). SQLite only: its EXPLAIN QUERY PLAN picks the same
plan for a few rows as for a million until ANALYZE has run, which the tests never do."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    add_student,
    assign,
    make_branching_scenario,
    make_class,
    make_student,
    play,
)

pytestmark = pytest.mark.django_db

BIG_TABLES = ("quizzes_answer", "quizzes_attempt")
_FROM = re.compile(
    r'(?:FROM|JOIN)\s+"?({})"?(?:\s+(?:AS\s+)?"?(\w+)"?)?'.format("|".join(BIG_TABLES)),
    re.IGNORECASE,
)
_NOT_ALIASES = {"WHERE", "INNER", "LEFT", "JOIN", "ON", "ORDER", "GROUP", "LIMIT"}


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; bench/scale.py covers PostgreSQL")


def _names(sql: str) -> set[str]:
    """The answer and attempt tables and the aliases a query gives them (U0, U1… in Django's
    subqueries, "t" in the results stamp)."""
    names = set()
    for table, alias in _FROM.findall(sql):
        names.add(table)
        if alias and alias.upper() not in _NOT_ALIASES:
            names.add(alias)
    return names


def full_scans(client, url: str) -> list[str]:
    """Every plan step of the page's queries that reads a whole answer or attempt table, or a
    whole index of one ("SCAN x" or "SCAN x USING INDEX"; "SEARCH" is a lookup)."""
    cache.clear()  # the results page is cached: compute it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    scans = []
    for query in captured.captured_queries:
        names = _names(query["sql"])
        if not names:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = [row[3] for row in cursor.fetchall()]
        for step in plan:
            match = re.match(r"SCAN (\w+)", step)
            if match and match.group(1) in names:
                scans.append(f"{step} in: {query['sql'][:200]}")
    return scans


@pytest.fixture
def lesson():
    """A class of two on two scenarios (finished, unfinished, a retry) and a student of
    another class who played the same scenarios."""
    classroom = make_class()
    scenarios = [make_branching_scenario(), make_branching_scenario()]
    for scenario in scenarios:
        assign(classroom, scenario)
    ana, bo = add_student(classroom), add_student(classroom)
    play(scenarios[0], ana, "safe")
    play(scenarios[0], ana, "harmed")
    play(scenarios[1], ana, "in-progress")
    play(scenarios[0], bo, "partly-harmed")
    other = add_student(make_class(name="8C"))
    play(scenarios[0], other, "harmed")
    play(scenarios[1], make_student(), "safe")
    return classroom, ana


def _urls(classroom, student) -> dict[str, tuple]:
    pk = classroom.pk
    return {
        "results": (classroom.teacher, reverse("classes:detail", args=[pk])),
        "student": (
            classroom.teacher,
            reverse("classes:student", args=[pk, student.pk]),
        ),
        "results csv": (classroom.teacher, reverse("classes:export-csv", args=[pk])),
        "answers csv": (
            classroom.teacher,
            reverse("classes:export-answers-csv", args=[pk]),
        ),
        "progress": (student, reverse("play:progress")),
    }


@pytest.mark.parametrize("page", ["results", "student", "results csv", "answers csv", "progress"])
def test_results_pages_never_scan_the_answer_or_attempt_table(client, lesson, page):
    classroom, student = lesson
    user, url = _urls(classroom, student)[page]
    client.force_login(user)
    assert full_scans(client, url) == []


def test_dropping_the_attempt_indexes_is_noticed(client, lesson):
    """The check is not vacuous: without the indexes on the attempts' student and scenario
    (dropped inside the test's transaction, so rolled back) the results page scans them."""
    classroom, student = lesson
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "quizzes_attempt")
        for name, info in constraints.items():
            if info["index"] and {"user_id", "scenario_id"} & set(info["columns"]):
                cursor.execute(f'DROP INDEX "{name}"')
    user, url = _urls(classroom, student)["results"]
    client.force_login(user)
    assert full_scans(client, url)
