"""The topic pages at /learn/: the topic list, each topic's page, and topics in the editors' admin.

Also holds add_topic and add_scenario, which test_home_and_help.py imports.
"""

import re

import pytest
from django.urls import reverse

from awareness.models import Topic
from awareness.pages.services import topic_save
from quizzes.models import Scenario, ScenarioVersion
from quizzes.scenarios.publishing import published_fields
from tests.factories import make_editor

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}


def add_topic(slug: str, language: str = "en", **fields) -> Topic:
    values = {
        "title": f"{slug} title [{language}]",
        "summary": f"{slug} summary [{language}]",
        "body_markdown": f"## About {slug}\n\nHow **{slug}** works.",
        "red_flags": [f"{slug} flag one", f"{slug} flag two"],
        "what_to_do": [f"{slug} step one"],
    }
    values.update(fields)
    return topic_save(topic=Topic(language=language, slug=slug, **values))


def add_scenario(topic: Topic, slug: str, status: str = "published", **fields) -> Scenario:
    values = {
        "language": topic.language,
        "title": f"{slug} scenario",
        "summary": f"{slug} scenario summary",
        "channel": "chat",
        "difficulty": "easy",
        "start_key": "m1",
    }
    values.update(fields)
    scenario = Scenario.objects.create(slug=slug, topic=topic, **values)
    if status != "draft":
        # A minimal frozen version: enough for the topic pages, which show only what
        # publishing copies from it (quizzes.scenarios.publishing.published_fields).
        content = {
            "title": scenario.title,
            "summary": scenario.summary,
            "topic": topic.slug,
            "channel": scenario.channel,
            "difficulty": scenario.difficulty,
            "min_age": scenario.min_age,
        }
        version = ScenarioVersion.objects.create(scenario=scenario, number=1, content=content)
        scenario.published_version = version
        scenario.status = status
        for name, value in published_fields(content, topic=topic).items():
            setattr(scenario, name, value)
        scenario.save()
    return scenario


# --- topic list -----------------------------------------------------------------------------


def test_topic_list_shows_english_topics_in_position_order(client):
    add_topic("second", position=2)
    add_topic("first", position=1)
    add_topic("first", language="zh-hans", title="第一个话题")

    response = client.get("/learn/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [t.title for t in response.context["topics"]] == [
        "first title [en]",
        "second title [en]",
    ]
    assert html.index("first title [en]") < html.index("second title [en]")
    assert "first summary [en]" in html
    assert "第一个话题" not in html
    assert 'href="/learn/first/"' in html and 'href="/learn/second/"' in html


def test_topic_list_in_chinese_falls_back_to_english_per_topic(client):
    add_topic("jobs", position=1)
    add_topic("jobs", language="zh-hans", title="刷单返利", position=1)
    add_topic("phishing", position=2)  # no Chinese version yet

    response = client.get("/learn/", **ZH)

    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    topics = response.context["topics"]
    assert [(t.slug, t.language) for t in topics] == [("jobs", "zh-hans"), ("phishing", "en")]
    assert "刷单返利" in html and "jobs title [en]" not in html
    assert "phishing title [en]" in html
    # The English card is marked as English for screen readers.
    assert re.search(
        r'<article class="card[^"]*"\s+lang="en">\s*<div class="card-body">\s*'
        r'<h2[^>]*><a[^>]*href="/learn/phishing/">',
        html,
    )


def test_topic_list_counts_only_published_scenarios_in_the_topic_language(client):
    jobs = add_topic("jobs")
    add_scenario(jobs, "likes-for-money")
    add_scenario(jobs, "combo-order")
    add_scenario(jobs, "stuck-order", status="draft")
    add_scenario(jobs, "old-version", status="archived")
    add_scenario(jobs, "chinese-one", language="zh-hans")
    add_topic("phishing")

    response = client.get("/learn/")

    counts = {t.slug: t.published_scenario_count for t in response.context["topics"]}
    assert counts == {"jobs": 2, "phishing": 0}
    html = response.content.decode()
    assert "2 scenarios to play" in html and "0 scenarios to play" in html


def test_topic_list_marks_age_limited_topics_with_an_explained_badge(client):
    add_topic("sextortion", min_age=15)
    add_topic("phishing")

    html = client.get("/learn/").content.decode()

    assert html.count('<span class="badge text-bg-warning age-badge">') == 1
    assert '<span aria-hidden="true">15+</span>' in html
    assert '<span class="visually-hidden">For ages 15 and over</span>' in html
    assert "is meant for ages 15 and over" in html  # the legend above the cards


def test_topic_list_without_age_limited_topics_has_no_badge_or_legend(client):
    add_topic("phishing")
    html = client.get("/learn/").content.decode()
    assert "age-badge" not in html and "is meant for ages" not in html


def test_topic_list_when_empty(client):
    response = client.get("/learn/")
    assert response.status_code == 200
    assert "No topics yet" in response.content.decode()


@pytest.mark.parametrize("size", [1, 13])
def test_topic_list_query_count_is_constant(client, django_assert_num_queries, size):
    for n in range(size):
        topic = add_topic(f"topic-{n}", min_age=15 if n % 2 else None)
        add_topic(f"topic-{n}", language="zh-hans")
        add_scenario(topic, f"scenario-{n}")
    # One query: the topics with their published-scenario counts (an anonymous visitor has
    # no session to load).
    with django_assert_num_queries(1):
        response = client.get("/learn/")
    assert len(response.context["topics"]) == size
    # Chinese: the same single query, with the English fallback as a subquery.
    with django_assert_num_queries(1):
        response = client.get("/learn/", **ZH)
    assert len(response.context["topics"]) == size


# --- topic page -----------------------------------------------------------------------------


def test_topic_page_shows_body_flags_steps_and_where_to_report(client):
    add_topic(
        "phishing",
        body_markdown="## How it works\n\nA link to a **fake** page.<script>alert(1)</script>",
        red_flags=["Urgency", "A link to log in"],
        what_to_do=["Do not click", "Check in the official app"],
    )

    response = client.get("/learn/phishing/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>phishing title [en]</h1>" in html
    assert "<h2>How it works</h2>" in html and "<strong>fake</strong>" in html
    assert "<script>alert" not in html
    assert "<li>Urgency</li>" in html and "<li>A link to log in</li>" in html
    assert "<li>Do not click</li>" in html and "<li>Check in the official app</li>" in html
    assert "Where to report and get help</h2>" in html
    assert '<a href="/help/">Who to call and where to report, country by country</a>' in html


def test_topic_page_escapes_list_items(client):
    add_topic("phishing", red_flags=["<b>bold</b> claim"], what_to_do=["<img src=x>"])
    html = client.get("/learn/phishing/").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in html
    assert "<img src=x>" not in html


def test_topic_page_in_chinese(client):
    add_topic("jobs")
    add_topic("jobs", language="zh-hans", title="刷单返利", red_flags=["先付钱才能赚钱"])

    response = client.get("/learn/jobs/", **ZH)

    html = response.content.decode()
    assert response.context["topic"].language == "zh-hans"
    assert '<html lang="zh-hans">' in html
    assert "刷单返利" in html and "<li>先付钱才能赚钱</li>" in html
    assert "jobs title [en]" not in html
    assert '<article class="topic">' in html  # same language as the page: no lang override


def test_topic_page_falls_back_to_english_for_a_chinese_visitor(client):
    add_topic("phishing")

    response = client.get("/learn/phishing/", **ZH)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["topic"].language == "en"
    assert '<article class="topic" lang="en">' in html
    assert "phishing title [en]" in html


def test_english_visitor_gets_english_even_when_chinese_exists(client):
    add_topic("jobs")
    add_topic("jobs", language="zh-hans", title="刷单返利")
    response = client.get("/learn/jobs/")
    assert response.context["topic"].language == "en"
    assert "刷单返利" not in response.content.decode()


@pytest.mark.parametrize("path", ["/learn/no-such-topic/", "/learn/only-chinese/"])
def test_unknown_topic_is_404(client, path):
    add_topic("only-chinese", language="zh-hans")
    assert client.get(path).status_code == 404


def test_bad_slug_and_wrong_method_are_4xx(client):
    add_topic("phishing")
    assert client.get("/learn/%3Cscript%3E/").status_code == 404
    assert client.post("/learn/phishing/").status_code == 405
    assert client.post("/learn/").status_code == 405
    assert client.post("/help/").status_code == 405


def test_topic_page_shows_the_age_note(client):
    add_topic("sextortion", min_age=15)
    html = client.get("/learn/sextortion/").content.decode()
    assert "For ages 15 and over: this topic talks about sensitive things" in html
    assert '<span class="badge text-bg-warning age-badge" aria-hidden="true">15+</span>' in html


def test_topic_page_lists_only_published_scenarios_in_its_language(client):
    en = add_topic("jobs")
    zh = add_topic("jobs", language="zh-hans", title="刷单返利")
    other = add_topic("phishing", language="zh-hans")
    add_scenario(zh, "dianzan", title="点赞赚钱", position=1)
    add_scenario(zh, "shuadan", title="刷单任务", position=2)
    add_scenario(zh, "caogao", title="草稿剧本", status="draft")
    add_scenario(zh, "guidang", title="归档剧本", status="archived")
    add_scenario(en, "likes-for-money", title="Likes for money")
    add_scenario(other, "diaoyu", title="钓鱼短信")

    response = client.get("/learn/jobs/", **ZH)

    html = response.content.decode()
    assert [s.slug for s in response.context["scenarios"]] == ["dianzan", "shuadan"]
    assert "点赞赚钱" in html and "刷单任务" in html
    for hidden in ("草稿剧本", "归档剧本", "Likes for money", "钓鱼短信"):
        assert hidden not in html

    english = client.get("/learn/jobs/")
    assert [s.slug for s in english.context["scenarios"]] == ["likes-for-money"]


def test_topic_page_without_scenarios(client):
    add_topic("phishing")
    response = client.get("/learn/phishing/")
    assert response.context["scenarios"] == []
    assert "No scenario for this topic yet." in response.content.decode()


def test_topic_page_links_scenarios_and_starts_the_first(client):
    topic = add_topic("jobs")
    first = add_scenario(topic, "likes-for-money", position=1)
    second = add_scenario(topic, "combo-order", position=2)

    html = client.get("/learn/jobs/").content.decode()

    first_url = reverse("play:scenario-detail", args=["likes-for-money"])
    second_url = reverse("play:scenario-detail", args=["combo-order"])
    assert first.get_absolute_url() == first_url and second.get_absolute_url() == second_url
    assert f'<a class="btn btn-primary" href="{first_url}"' in html
    assert html.count("Start this scenario") == 1
    assert f'<a href="{second_url}">combo-order scenario</a>' in html


@pytest.mark.parametrize("size", [1, 10])
def test_topic_page_query_count_is_constant(client, django_assert_num_queries, size):
    topic = add_topic("jobs", min_age=15)
    for n in range(size):
        add_scenario(topic, f"scenario-{n}", min_age=15 if n % 2 else None)
    # Two queries: the topic (in the visitor's language or English), its published scenarios.
    with django_assert_num_queries(2):
        response = client.get("/learn/jobs/")
    assert len(response.context["scenarios"]) == size


# --- admin ----------------------------------------------------------------------------------

ADMIN_FORM = {
    "language": "en",
    "slug": "phishing",
    "title": "Phishing",
    "summary": "Fake log-in pages.",
    "body_markdown": "## Signs\n\n<img src=x onerror=alert(1)>[x](javascript:alert(1)) **bold**",
    "red_flags": "Urgency\n\n  A link to log in  \n",
    "what_to_do": "Do not click",
    "min_age": "",
    "position": "3",
}


def test_editor_adds_a_topic_in_the_admin_and_the_body_is_rendered_safely(client):
    client.force_login(make_editor())

    response = client.post("/admin/awareness/topic/add/", ADMIN_FORM)

    assert response.status_code == 302, response.content.decode()[:2000]
    topic = Topic.objects.get(slug="phishing")
    assert "<h2>Signs</h2>" in topic.body_html and "<strong>bold</strong>" in topic.body_html
    assert "onerror" not in topic.body_html and "javascript" not in topic.body_html
    assert topic.red_flags == ["Urgency", "A link to log in"]
    assert topic.what_to_do == ["Do not click"]


def test_admin_edit_regenerates_the_html_and_shows_a_preview(client):
    client.force_login(make_editor())
    topic = add_topic("phishing", body_markdown="old body")
    change_url = f"/admin/awareness/topic/{topic.pk}/change/"

    response = client.post(change_url, {**ADMIN_FORM, "body_markdown": "*new* body"})

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.body_html == "<p><em>new</em> body</p>"
    html = client.get(change_url).content.decode()
    assert '<div class="topic-body"><p><em>new</em> body</p></div>' in html
    assert "Urgency\nA link to log in</textarea>" in html


def test_admin_refuses_a_duplicate_slug_with_a_form_error(client):
    client.force_login(make_editor())
    add_topic("phishing")
    response = client.post("/admin/awareness/topic/add/", ADMIN_FORM)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Topic.objects.count() == 1


def test_admin_topic_list_filters_and_searches(client):
    client.force_login(make_editor())
    jobs = add_topic("jobs")
    add_scenario(jobs, "likes-for-money")
    add_topic("jobs", language="zh-hans", title="刷单返利")
    add_topic("phishing")

    html = client.get("/admin/awareness/topic/?language__exact=zh-hans").content.decode()
    assert "刷单返利" in html and "phishing title [en]" not in html

    html = client.get("/admin/awareness/topic/?q=phish").content.decode()
    assert "phishing title [en]" in html and "jobs title [en]" not in html

    response = client.get("/admin/awareness/topic/")
    counts = {
        t.slug + t.language: t.published_scenario_count for t in response.context["cl"].result_list
    }
    assert counts == {"jobsen": 1, "jobszh-hans": 0, "phishingen": 0}
