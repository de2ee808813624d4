"""The printable certificate (quizzes/play/certificate.py): the name typed is printed, cleaned,
refused when too long, and stored nowhere; what the certificate lists; the class's certificates
for its own teacher only; query counts at two sizes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awareness.models import User
from quizzes.check import scoring
from quizzes.models import Membership
from quizzes.play.badges import History, Measure, Play
from quizzes.play.certificate import TITLES_SHOWN, certificate_from, clean_name
from tests.factories import (
    add_student,
    make_check_items,
    make_class,
    make_scenario,
    make_student,
    make_teacher,
    take_check,
)
from tests.quizzes.play.test_badges import play

pytestmark = pytest.mark.django_db

URL = "/progress/certificate/"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(queries) -> list[str]:
    """The statements that changed data, other than the cache's and the sessions' tables."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES)
        and "django_cache" not in q["sql"]
        and "django_session" not in q["sql"]
    ]


def certificate_html(html: str) -> str:
    return html[html.index('<article class="certificate"') : html.rindex("</article>")]


# --- the name --------------------------------------------------------------------------------


def test_clean_name_drops_control_and_invisible_characters():
    assert clean_name("  Ann\x07 \u202eLee\u200b  ") == "Ann Lee"
    assert clean_name("李\t小\n明") == "李 小 明"
    assert clean_name("\x1b\u200e") == ""


def test_the_certificate_shows_the_display_name_until_another_is_typed(client):
    student = make_student("kid-7", display_name="Kiki")
    client.force_login(student)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<bdi>Kiki</bdi>" in certificate_html(html)
    assert 'value="Kiki"' in html  # the form, filled in
    client.force_login(make_student("plain-kid"))
    assert "<bdi>plain-kid</bdi>" in client.get(URL).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_typed_name_is_printed_and_stored_nowhere(client, method):
    student = make_student("kid-8", display_name="Kiki")
    client.force_login(student)
    before = list(User.objects.values())
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(URL, {"name": "Katherine Lee"})
    assert response.status_code == 200
    assert "<bdi>Katherine Lee</bdi>" in certificate_html(response.content.decode())
    assert writes(queries.captured_queries) == []
    assert list(User.objects.values()) == before
    assert "Katherine" not in str(dict(client.session))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "status", "shown"),
    [
        ("x" * 61, 400, None),  # too long: refused, nothing printed
        ("Ann\x00", 400, None),  # a null character: refused
        ("Ann\u202e\x07 Lee", 200, "Ann Lee"),  # control characters: cleaned
        ("\u200b\u200e", 200, "kid-9"),  # nothing left: the username
        ("<script>alert(1)</script>", 200, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("y" * 60, 200, "y" * 60),
    ],
)
def test_bad_names_are_refused_or_cleaned(client, name, status, shown):
    client.force_login(make_student("kid-9"))
    response = client.post(URL, {"name": name})
    assert response.status_code == status
    html = response.content.decode()
    if shown is None:
        assert '<article class="certificate"' not in html
        assert "is-invalid" in html
    else:
        assert f"<bdi>{shown}</bdi>" in certificate_html(html)


def test_the_certificate_needs_a_signed_in_user(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_student())
    assert client.put(URL).status_code == 405


# --- what it lists ---------------------------------------------------------------------------


def measure(kind: str, hits: int) -> Measure:
    ratings = [scoring.Rating(True, n < hits, 2) for n in range(5)]
    ratings += [scoring.Rating(False, False, 2) for _ in range(5)]
    return Measure(kind, timezone.now() - timedelta(days=1), scoring.score(ratings))


def test_the_certificate_lists_titles_within_a_page_and_the_checks_taken():
    now = timezone.now()
    plays = [
        Play(
            n,
            f"Story {n}",
            now - timedelta(hours=n + 1),
            now - timedelta(hours=n),
            "safe",
            False,
            None,
        )
        for n in range(TITLES_SHOWN + 3)
    ]
    certificate = certificate_from("Kiki", History(plays=plays, measures=[measure("pre", 2)]))
    assert len(certificate.completed) == TITLES_SHOWN + 3
    assert len(certificate.titles_shown) == TITLES_SHOWN and certificate.titles_more == 3
    assert [(label, m is not None) for label, m in certificate.measures] == [
        ("Before", True),
        ("After", False),
    ]
    assert certificate.mastered == [] and certificate.badges == []
    later = certificate_from("K", History(measures=[measure("post", 4), measure("later", 5)]))
    assert [label for label, _m in later.measures] == ["Before", "After", "Later"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_certificate_shows_scenarios_tricks_badges_and_checks(client, language):
    make_check_items()
    scenario = make_scenario("likes-for-money", language=language, title="Likes for money")
    student = make_student("cert-kid")
    play(scenario, student, "flags")
    take_check(student)  # before; the after check is not taken yet
    take_check(student)
    client.force_login(student)
    header = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans" if language == "zh-hans" else "en"}
    response = client.get(URL, **header)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "css/certificate" in html  # the print styles, on this page only
    certificate = certificate_html(html)
    assert "<li>Likes for money</li>" in certificate
    after = {"en": "10 of 10 (100&nbsp;%)", "zh-hans": "10 / 10（100%）"}[language]
    assert after in certificate  # after: every answer right
    assert certificate.count("<tr>") == 3  # header, before, after
    if language == "en":
        assert "Scenarios completed: 1" not in certificate  # one: the singular
        assert "Scenario completed: 1" in certificate
        assert "<li>Urgency</li>" in certificate  # mastered on the check's scams
        assert "Sharp eye" in certificate


def test_checks_not_taken_say_so(client):
    client.force_login(make_student("fresh-kid"))
    certificate = certificate_html(client.get(URL).content.decode())
    assert certificate.count("not taken yet") == 2
    assert certificate.count("None yet") == 3


def test_the_certificate_query_count_is_constant(client, django_assert_num_queries):
    make_check_items()
    scenarios = [make_scenario(f"s-{n}") for n in range(5)]
    student = make_student("counted")
    client.force_login(student)
    play(scenarios[0], student, "flags")
    take_check(student)
    # user; marks: answers, practice answers, versions, check answers; the history: attempts,
    # measured checks' answers, finished boosters, mistakes tried again and right
    with django_assert_num_queries(9):
        client.get(URL)
    for scenario in scenarios * 3:
        play(scenario, student, "flags")
    take_check(student)
    with django_assert_num_queries(9):
        client.get(URL)


# --- the class's certificates ----------------------------------------------------------------


def test_the_teacher_prints_a_certificate_per_student_with_the_names_they_see(client):
    classroom = make_class()
    add_student(classroom, display_name="Mei")
    own = add_student(classroom, make_student("pupil-2"))
    own.created_by = classroom.teacher
    own.save()
    add_student(classroom, make_student("stranger-name"))  # joined with the code, no name
    client.force_login(classroom.teacher)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/classes/{classroom.pk}/certificates/")
    assert response.status_code == 200
    assert writes(queries.captured_queries) == []
    html = response.content.decode()
    names = [part.split("</bdi>")[0] for part in html.split("<bdi>")[1:]]
    assert names == ["Mei", "pupil-2", "Student 3"]  # never another class's username
    assert html.count('<article class="certificate"') == 3


def test_the_class_page_links_to_the_certificates(client):
    classroom = make_class()
    client.force_login(classroom.teacher)
    html = client.get(classroom.get_absolute_url()).content.decode()
    assert f'href="/classes/{classroom.pk}/certificates/"' in html


def test_only_the_classes_teacher_sees_its_certificates(client):
    classroom = make_class()
    student = add_student(classroom)
    url = f"/classes/{classroom.pk}/certificates/"
    for user in (make_teacher(), student):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(classroom.teacher)
    assert client.get("/classes/999999/certificates/").status_code == 404
    assert client.post(url).status_code == 405


def test_the_class_certificates_query_count_is_constant(client, django_assert_num_queries):
    make_check_items()
    scenario = make_scenario()
    classroom = make_class()
    client.force_login(classroom.teacher)

    def pupils(count: int) -> None:
        for _ in range(count):
            student = add_student(classroom)
            play(scenario, student, "flags")
            take_check(student)

    pupils(1)
    # user, the class, its memberships with the students; marks: answers, practice answers,
    # versions, check answers; the history: attempts, measured checks' answers, finished
    # boosters, mistakes tried again and right
    with django_assert_num_queries(11):
        assert client.get(f"/classes/{classroom.pk}/certificates/").status_code == 200
    pupils(4)
    with django_assert_num_queries(11):
        html = client.get(f"/classes/{classroom.pk}/certificates/").content.decode()
    assert html.count('<article class="certificate"') == Membership.objects.count() == 5
