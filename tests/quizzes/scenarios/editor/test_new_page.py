"""The "new scenario" page (a title, a language, a topic and a template) and the editor's guide,
inside the admin, and who may reach them."""

import pytest
from django.urls import reverse

from quizzes.models import Scenario
from quizzes.scenarios.editor.new_views import scenario_edit_url
from tests.factories import make_editor, make_student, make_teacher, make_topic

pytestmark = pytest.mark.django_db

NEW = "/admin/quizzes/scenario/new/"
GUIDE = "/admin/quizzes/scenario/guide/"
CHANGELIST = "/admin/quizzes/scenario/"


def form(topic, **changes) -> dict:
    data = {"title": "Likes for cash", "language": "en", "topic": topic.pk, "starter": "chat"}
    return data | changes


def test_the_urls_are_the_shared_contract():
    assert reverse("admin:quizzes_scenario_new") == NEW
    assert reverse("admin:quizzes_scenario_guide") == GUIDE


def test_the_page_offers_each_template_with_a_description(editor_client, django_assert_num_queries):
    make_topic()
    # The editor (1), their own and their groups' permissions (2), the topics for the select (1).
    with django_assert_num_queries(4):
        response = editor_client.get(NEW)
    assert response.status_code == 200
    page = response.content.decode()
    for label in (
        "Blank",
        "Scam chat with three decisions",
        "Genuine message to verify",
        "Phone call",
        "E-mail with a spot step",
    ):
        assert label in page
    assert 'aria-describedby="id_starter_2_description"' in page
    assert 'id="id_starter_2_description"' in page
    assert reverse("admin:quizzes_scenario_guide") in page


def test_the_language_starts_as_the_editors_own(client):
    client.force_login(make_editor())
    response = client.get(NEW, headers={"accept-language": "zh-hans"})
    assert response.context["form"]["language"].value() == "zh-hans"


def test_creating_makes_a_draft_with_a_web_address_from_the_title(editor_client):
    topic = make_topic()
    response = editor_client.post(NEW, form(topic))
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == scenario_edit_url(scenario)
    assert response["Location"] == reverse("admin:quizzes_scenario_edit", args=[scenario.pk])
    assert (scenario.slug, scenario.title, scenario.status) == (
        "likes-for-cash",
        "Likes for cash",
        Scenario.Status.DRAFT,
    )
    assert scenario.steps.count() == 14 and scenario.published_version is None

    again = editor_client.post(NEW, form(topic, starter="blank"))
    assert again.status_code == 302
    assert sorted(Scenario.objects.values_list("slug", flat=True)) == [
        "likes-for-cash",
        "likes-for-cash-2",
    ]
    assert Scenario.objects.get(slug="likes-for-cash-2").steps.count() == 2


def test_a_topic_in_another_language_is_refused_in_plain_words(editor_client):
    response = editor_client.post(NEW, form(make_topic(language="zh-hans")))
    assert response.status_code == 200
    assert response.context["form"].errors["topic"] == [
        "This topic is in another language. Choose a topic in the scenario's language, "
        "or change the language."
    ]
    assert not Scenario.objects.exists()


def test_a_title_is_required(editor_client):
    response = editor_client.post(NEW, form(make_topic(), title="  "))
    assert "title" in response.context["form"].errors
    assert not Scenario.objects.exists()


def test_the_changelist_add_button_opens_the_new_page(editor_client):
    page = editor_client.get(CHANGELIST).content.decode()
    tools = page.split('<ul class="object-tools">')[1].split("</ul>")[0]
    assert f'href="{NEW}" class="addlink"' in tools and "Add scenario" in tools
    assert "/admin/quizzes/scenario/add/" not in tools
    assert f'href="{GUIDE}"' in tools


# --- who may reach what -------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [make_student, make_teacher])
@pytest.mark.parametrize("url", [NEW, GUIDE])
def test_teachers_and_students_are_sent_to_the_admin_login(client, make_user, url):
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    topic = make_topic()
    client.post(NEW, form(topic))
    assert not Scenario.objects.exists()


def test_staff_without_the_editor_role_cannot_create(client):
    from awareness.models import User

    staff = User.objects.create_user(username="plainstaff", password="x-long-pass-1", is_staff=True)
    client.force_login(staff)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form(make_topic())).status_code == 403
    assert client.get(GUIDE).status_code == 403
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("url", ["/admin/awareness/user/", "/admin/auth/group/"])
def test_an_editor_still_cannot_reach_users_or_groups(editor_client, url):
    response = editor_client.get(url)
    assert response.status_code in (403, 404) or (
        response.status_code == 302 and "/admin/login/" in response["Location"]
    )


# --- the guide ----------------------------------------------------------------------------------


def test_the_guide_renders_the_markdown_for_editors(editor_client):
    response = editor_client.get(GUIDE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Editor&#x27;s guide</h1>" in page or "<h1>Editor's guide</h1>" in page
    assert "<h2>From blank to published: a worked example</h2>" in page
    assert "<h2>Writing choices that cannot be guessed</h2>" in page
    assert "<table>" in page and '<article class="editor-guide" lang="en">' in page
    # The file's own top heading is replaced by the page's translatable title.
    assert "the editor&#x27;s guide</" not in page and "# Writing scenarios" not in page


def test_the_guide_says_it_is_in_english_to_chinese_editors(client):
    client.force_login(make_editor())
    response = client.get(GUIDE, headers={"accept-language": "zh-hans"})
    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "zh-hans"
    assert '<article class="editor-guide" lang="en">' in response.content.decode()
