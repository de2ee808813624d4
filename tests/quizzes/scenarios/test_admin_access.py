"""The editors' admin beyond building scenarios: check items, read-only versions, deleting and
the changelist's queries; and who may reach what."""

import pytest

from quizzes.models import CheckItem, Scenario
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps
from tests.factories import make_student, make_teacher
from tests.quizzes.scenarios.test_admin import CHANGELIST, IMPORT_PAGE, run_action

pytestmark = pytest.mark.django_db


# --- other models -------------------------------------------------------------------------------


def test_check_item_tactics_are_checkboxes_and_a_scam_needs_one(editor_client):
    form = {
        "language": "en",
        "key": "parcel-fee",
        "channel": "sms",
        "sender": "+44 7700 900123",
        "text": "Your parcel is held. Pay 1.99 within 24 hours.",
        "is_scam": "on",
        "explanation": "Couriers do not ask for fees by text.",
    }
    page = editor_client.get("/admin/quizzes/checkitem/add/").content.decode()
    assert 'type="checkbox" name="tactics" value="urgency"' in page

    response = editor_client.post("/admin/quizzes/checkitem/add/", form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tactics"] == [
        "A scam item must name at least one tactic."
    ]

    response = editor_client.post(
        "/admin/quizzes/checkitem/add/", form | {"tactics": ["urgency", "pay-to-unlock"]}
    )
    assert response.status_code == 302
    assert CheckItem.objects.get().tactics == ["pay-to-unlock", "urgency"]


def test_versions_are_read_only_for_editors(editor_client, draft):
    version = scenario_publish(scenario=draft)
    url = f"/admin/quizzes/scenarioversion/{version.pk}/change/"

    assert editor_client.get("/admin/quizzes/scenarioversion/").status_code == 200
    page = editor_client.get(url)
    assert page.status_code == 200 and "&quot;start&quot;: &quot;n1&quot;" in page.content.decode()
    assert editor_client.post(url, {"number": "7"}).status_code == 403
    assert editor_client.get("/admin/quizzes/scenarioversion/add/").status_code == 403
    assert editor_client.post(url.replace("change", "delete"), {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.number == 1


def test_a_published_scenario_cannot_be_deleted_but_a_never_published_draft_can(
    editor_client, topic, draft
):
    scenario_publish(scenario=draft)
    response = editor_client.post(f"/admin/quizzes/scenario/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Scenario.objects.filter(pk=draft.pk).exists()

    fresh = Scenario.objects.create(
        language="en",
        slug="new",
        title="New",
        summary="s",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="x",
    )
    response = editor_client.post(f"/admin/quizzes/scenario/{fresh.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Scenario.objects.filter(pk=fresh.pk).exists()


def test_scenario_changelist_queries_do_not_grow_with_scenarios(
    editor_client, topic, django_assert_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            scenario = Scenario.objects.create(
                language="en",
                slug=f"s{Scenario.objects.count()}-{i}",
                title=f"S {i}",
                summary="s",
                topic=topic,
                channel="sms",
                difficulty="easy",
                start_key="n1",
            )
            scenario_replace_steps(
                scenario=scenario,
                steps=[{"key": "end", "kind": "ending", "outcome": "safe", "text": "x"}],
            )

    add(2)
    editor_client.get(CHANGELIST)  # warm caches (content types, permissions)
    # 7 queries: user (the session is cached), user's and groups' permissions, the topic
    # filter's choices, count (filtered and total), and the page of scenarios with topic,
    # version and step count.
    with django_assert_num_queries(7):
        assert editor_client.get(CHANGELIST).status_code == 200
    add(8)
    with django_assert_num_queries(7):
        assert editor_client.get(CHANGELIST).status_code == 200


# --- who may reach what -------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [make_student, make_teacher])
@pytest.mark.parametrize(
    "url", [CHANGELIST, IMPORT_PAGE, "/admin/quizzes/checkitem/", "/admin/quizzes/step/"]
)
def test_students_and_teachers_get_no_admin(client, make_user, url):
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_student_cannot_run_actions_or_publish(client, draft):
    client.force_login(make_student())
    run_action(client, "publish_selected", draft)
    client.post(f"/admin/quizzes/scenario/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == Scenario.Status.DRAFT


@pytest.mark.parametrize(
    "url",
    [
        "/admin/awareness/user/",
        "/admin/auth/group/",
        "/admin/quizzes/attempt/",
        "/admin/quizzes/answer/",
        "/admin/quizzes/classroom/",
        "/admin/quizzes/membership/",
        "/admin/quizzes/assignment/",
    ],
)
def test_editor_cannot_reach_users_groups_or_student_data(editor_client, url):
    assert editor_client.get(url).status_code in (403, 404)


def test_editor_index_lists_content_but_not_student_data(editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert "/admin/quizzes/scenario/" in page and "/admin/quizzes/checkitem/" in page
    assert "/admin/quizzes/attempt/" not in page and "/admin/awareness/user/" not in page


def test_staff_without_the_editor_role_cannot_import_or_publish(client, draft):
    from awareness.models import User

    staff = User.objects.create_user(username="plainstaff", password="x-long-pass-1", is_staff=True)
    client.force_login(staff)
    assert client.get(IMPORT_PAGE).status_code == 403
    assert client.get(f"/admin/quizzes/scenario/{draft.pk}/publish/").status_code == 403
    assert client.post(f"/admin/quizzes/scenario/{draft.pk}/publish/").status_code == 403
    assert not draft.versions.exists()
