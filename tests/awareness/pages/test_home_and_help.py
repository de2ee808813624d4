"""The home and help pages, and the navigation bar that follows each kind of visitor."""

import re

import pytest

from tests.awareness.pages.test_views import ZH, add_scenario, add_topic
from tests.factories import make_editor, make_student, make_teacher

pytestmark = pytest.mark.django_db


# --- help -----------------------------------------------------------------------------------

HELP_FACTS = [
    "110",
    "96110",
    "国家反诈中心",
    "12381",
    "0300 123 2040",
    "actionfraud.police.uk",
    "7726",
    "report@phishing.gov.uk",
    "159",
    "ReportFraud.ftc.gov",
    "ic3.gov",
    "1-800-843-5678",
    "Take It Down",
]


@pytest.mark.parametrize("headers", [{}, ZH], ids=["en", "zh-hans"])
def test_help_page_lists_where_to_report_by_country(client, django_assert_num_queries, headers):
    with django_assert_num_queries(0):
        response = client.get("/help/", **headers)
    html = response.content.decode()
    assert response.status_code == 200
    for fact in HELP_FACTS:
        assert fact in html, fact
    for number in ("110", "96110", "03001232040", "159", "+18008435678"):
        assert f'href="tel:{number}"' in html, number
    # Every external link opens without handing over the page or its address.
    external = re.findall(r'<a [^>]*href="https?://[^"]+"[^>]*>', html)
    assert len(external) == 4
    for link in external:
        assert 'rel="noopener noreferrer"' in link, link


def test_help_page_in_english_speaks_to_the_young_reader(client):
    html = client.get("/help/").content.decode()
    assert '<html lang="en">' in html
    assert "If 96110 calls you, answer it" in html
    assert "You are not in trouble." in html and "Do not pay." in html
    assert "If money has moved" in html and "Tell a trusted adult" in html


def test_help_page_in_chinese(client):
    html = client.get("/help/", **ZH).content.decode()
    assert '<html lang="zh-hans">' in html


# --- home and navigation --------------------------------------------------------------------


def test_home_leads_with_scenarios_learning_and_help(client):
    for n in range(6):
        add_topic(f"topic-{n}", position=n)

    response = client.get("/")

    html = response.content.decode()
    assert 'href="/learn/">Learn the fraud types</a>' in html
    assert 'href="/help/">Get help now</a>' in html
    assert [t.slug for t in response.context["featured_topics"]] == [
        "topic-0",
        "topic-1",
        "topic-2",
        "topic-3",
    ]
    assert "topic-0 title [en]" in html and "topic-4 title [en]" not in html
    # The three actions come before the topics.
    assert html.index("Get help now") < html.index("topic-0 title [en]")
    assert 'href="/scenarios/">Start a scenario</a>' in html
    assert html.index("Start a scenario") < html.index("Learn the fraud types")


def test_home_shows_chinese_topics_to_a_chinese_visitor(client):
    add_topic("jobs")
    add_topic("jobs", language="zh-hans", title="刷单返利")
    html = client.get("/", **ZH).content.decode()
    assert "刷单返利" in html and "jobs title [en]" not in html


@pytest.mark.parametrize("size", [1, 8])
def test_home_query_count_is_constant(client, django_assert_num_queries, size):
    for n in range(size):
        add_scenario(add_topic(f"topic-{n}"), f"scenario-{n}")
    with django_assert_num_queries(1):  # the featured topics with their scenario counts
        client.get("/")


def test_home_stays_light(client):
    for n in range(4):
        add_topic(f"topic-{n}", summary="x" * 500)
    assert len(client.get("/").content) < 20_000


def _nav(html: str) -> str:
    return html[html.index('<ul class="navbar-nav') : html.index("</ul>", html.index("navbar-nav"))]


def test_nav_for_a_visitor(client):
    nav = _nav(client.get("/learn/").content.decode())
    assert 'href="/"' in nav and 'href="/help/"' in nav
    assert '<a class="nav-link" href="/learn/" aria-current="page">Learn</a>' in nav
    assert "Edit content" not in nav and "My classes" not in nav and "Join a class" not in nav


def test_nav_marks_the_current_page(client):
    add_topic("phishing")
    nav = _nav(client.get("/learn/phishing/").content.decode())
    assert 'href="/learn/" aria-current="page"' in nav
    nav = _nav(client.get("/help/").content.decode())
    assert 'href="/help/" aria-current="page"' in nav
    assert 'href="/learn/" aria-current' not in nav


def test_nav_for_a_student(client):
    client.force_login(make_student())
    response = client.get("/")
    assert response.status_code == 200
    nav = _nav(response.content.decode())
    assert '<a class="nav-link" href="/progress/">My progress</a>' in nav
    assert '<a class="nav-link" href="/join/">Join a class</a>' in nav
    assert "My classes" not in nav and "Edit content" not in nav


def test_nav_for_a_teacher(client):
    client.force_login(make_teacher())
    nav = _nav(client.get("/").content.decode())
    assert '<a class="nav-link" href="/classes/">My classes</a>' in nav
    assert "My progress" not in nav and "Join a class" not in nav and "Edit content" not in nav


def test_nav_for_an_editor(client):
    client.force_login(make_editor())
    nav = _nav(client.get("/").content.decode())
    assert '<a class="nav-link" href="/admin/">Edit content</a>' in nav


def test_nav_links_the_scenarios(client):
    nav = _nav(client.get("/").content.decode())
    assert '<a class="nav-link" href="/scenarios/">Scenarios</a>' in nav


def test_nav_and_footer_follow_the_visitor_within_one_worker(client):
    # The header links and the footer are rendered once per kind of visitor and kept in
    # memory: one worker serving a visitor, a student and a teacher, in both languages, must
    # give each their own.
    def page(path="/", **headers):
        return client.get(path, **headers).content.decode()

    html = page()
    assert "My progress" not in _nav(html) and "Delete my account" not in html
    client.force_login(make_student())
    html = page()
    assert "My progress" in _nav(html) and "Delete my account" in html
    assert "我的学习进度" in _nav(page(HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert 'href="/help/" aria-current="page"' in _nav(page("/help/"))
    assert 'href="/help/" aria-current' not in _nav(page())
    client.force_login(make_teacher())
    html = page()
    assert "My classes" in _nav(html) and "My progress" not in _nav(html)
    client.force_login(make_editor())
    html = page()
    assert "Edit content" in _nav(html) and "Delete my account" not in html
