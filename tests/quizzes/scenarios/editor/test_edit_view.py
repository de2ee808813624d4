"""The one-page editor in the admin, through the Django test client: who may use it, what it
shows, saving (or not) a whole page, the "Add …" buttons without JavaScript, the checks
endpoint, and constant queries."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from quizzes.models import Scenario
from quizzes.scenarios.editor.structure import form_data
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps, scenario_to_dict
from tests.factories import (
    BRANCHING_STEPS,
    long_scenario_steps,
    make_editor,
    make_student,
    make_teacher,
    make_topic,
)

pytestmark = pytest.mark.django_db


def edit_url(scenario: Scenario) -> str:
    return f"/admin/quizzes/scenario/{scenario.pk}/edit/"


def page_data(scenario: Scenario, **changes: Any) -> dict[str, list[str]]:
    """What the page posts for the scenario unchanged, with ``changes``."""
    content = {**scenario_to_dict(scenario), "topic": str(scenario.topic_id)}
    data = form_data(
        content, language=scenario.language, estimated_minutes=scenario.estimated_minutes
    )
    return data | {
        name: value if isinstance(value, list) else [value] for name, value in changes.items()
    }


@pytest.fixture
def branching(topic) -> Scenario:
    scenario = Scenario.objects.create(
        language="en",
        slug="likes",
        title="Earn money by liking videos",
        summary="A stranger offers easy money.",
        topic=topic,
        channel="chat",
        difficulty="easy",
        start_key="m1",
    )
    scenario_replace_steps(scenario=scenario, steps=BRANCHING_STEPS)
    return scenario


# --- who may use it ----------------------------------------------------------------------------


def test_an_editor_sees_every_step_with_its_parts(editor_client, branching):
    response = editor_client.get(edit_url(branching))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("m1", "d1", "s1", "d2", "end-safe", "end-partly", "end-harm"):
        assert f'id="step-{key}"' in page
    # Five choices, and in the <template>s for the script a new decision's two and a new one.
    assert page.count('data-part="choice"') == 5 + 2 + 1
    assert "Earn 300 a day" in page
    assert '<option value="3">3. Spot the red flags: Tick everything suspicious.</option>' in page
    # No internal name is asked for; they are only shown inside "Advanced".
    assert not re.search(r'<input type="text" name="[^"]*-key"', page)
    assert "slug" not in page.lower().replace("slugify", "")


def test_the_change_page_and_the_list_link_to_it(editor_client, branching):
    url = edit_url(branching)
    assert (
        url in editor_client.get(f"/admin/quizzes/scenario/{branching.pk}/change/").content.decode()
    )
    assert url in editor_client.get("/admin/quizzes/scenario/").content.decode()


@pytest.mark.parametrize("make_user", [make_teacher, make_student])
def test_teachers_and_students_are_sent_to_the_admin_login(client: Client, branching, make_user):
    client.force_login(make_user())
    for url in (edit_url(branching), edit_url(branching) + "check/"):
        response = client.post(url, page_data(branching))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(edit_url(branching)).status_code == 302


def test_staff_without_the_permission_get_403(client: Client, branching):
    user = make_editor()
    user.groups.clear()
    client.force_login(user)
    assert client.get(edit_url(branching)).status_code == 403
    assert client.post(edit_url(branching) + "check/", {}).status_code == 403


def test_an_unknown_scenario_is_404(editor_client):
    assert editor_client.get("/admin/quizzes/scenario/999/edit/").status_code == 404


# --- saving ------------------------------------------------------------------------------------


def test_saving_the_page_unchanged_changes_nothing(editor_client, branching):
    before = scenario_to_dict(branching)
    response = editor_client.post(edit_url(branching), page_data(branching, _save="Save"))
    assert response.status_code == 302 and response["Location"] == edit_url(branching)
    branching.refresh_from_db()
    after = scenario_to_dict(branching)
    # The web address is made from the title while the scenario is unpublished.
    assert after == {**before, "slug": "earn-money-by-liking-videos"}


def test_save_and_check_goes_to_the_publish_page(editor_client, branching):
    response = editor_client.post(edit_url(branching), page_data(branching, _check="x"))
    assert response["Location"] == f"/admin/quizzes/scenario/{branching.pk}/publish/"


def test_a_published_scenario_keeps_its_web_address_and_language(editor_client, branching):
    scenario_publish(scenario=branching)
    data = page_data(branching, title="A new title")
    assert editor_client.post(edit_url(branching), data).status_code == 302
    branching.refresh_from_db()
    assert branching.slug == "likes" and branching.title == "A new title"
    assert branching.status == Scenario.Status.PUBLISHED  # saving does not publish
    assert branching.published_version.content["title"] == "Earn money by liking videos"

    zh_topic = make_topic(language="zh-hans")
    response = editor_client.post(
        edit_url(branching), page_data(branching, language="zh-hans", topic=str(zh_topic.pk))
    )
    assert response.status_code == 200
    assert response.context["edited"].errors() == {
        "language": ["A published scenario keeps its language; copy it to translate it."]
    }


def test_a_web_address_is_free_in_its_language(editor_client, branching, topic):
    Scenario.objects.create(
        language="en",
        slug="parcel-fee",
        title="x",
        summary="s",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="m1",
    )
    editor_client.post(edit_url(branching), page_data(branching, title="Parcel fee!"))
    branching.refresh_from_db()
    assert branching.slug == "parcel-fee-2"
    editor_client.post(edit_url(branching), page_data(branching, title="包裹费"))
    branching.refresh_from_db()
    assert branching.slug == "phishing"  # the topic's, for a title of no Latin letters


def test_a_case_differing_quote_is_refused_with_the_suggestion_next_to_it(editor_client, branching):
    before = scenario_to_dict(branching)
    data = page_data(branching, **{"s1-f1-quote": "earn 300 A DAY", "title": "Changed title"})
    response = editor_client.post(edit_url(branching), data)
    assert response.status_code == 200
    page = response.content.decode()
    message = "These words are not in the text exactly as written. Did you mean “Earn 300 a day”?"
    # Next to the field: in its row, before it, and the field points to it.
    row = page[page.index('data-field="s1-f1-quote"') :]
    row = row[: row.index('data-field="s1-f1-field"')]
    assert message.replace("“", "&ldquo;") in row or message in row
    assert 'aria-describedby="id_s1-f1-quote_helptext id_s1-f1-quote_error"' in row
    assert "Nothing was saved" in page
    # Everything typed is still there.
    assert 'value="Changed title"' in page and 'value="earn 300 A DAY"' in page
    branching.refresh_from_db()
    assert scenario_to_dict(branching) == before


def test_the_page_and_its_messages_never_say_key_or_slug(editor_client, branching):
    data = page_data(branching, title="", **{"s7-outcome": "", "s3-o1-tactic": ""})
    page = editor_client.post(edit_url(branching), data).content.decode()
    text = re.sub(r"<[^>]+>", " ", page)  # what a reader sees, not the HTML's names
    assert not re.search(r"\b(key|keys|slug)\b", text, re.IGNORECASE)


# --- without JavaScript ------------------------------------------------------------------------


def test_add_buttons_save_and_show_the_page_again_with_the_new_part(editor_client, branching):
    data = page_data(branching, add="ending", title="Renamed")
    response = editor_client.post(edit_url(branching), data)
    assert response.status_code == 200
    branching.refresh_from_db()
    assert branching.title == "Renamed"  # saved
    edited = response.context["edited"]
    assert [s.kind for s in edited.steps][-1] == "ending" and edited.steps[-1].fresh
    assert 'id="step-new-n1"' in response.content.decode()
    assert response.context["focus"] == "step-new-n1"

    # A choice on d1 (token 2): the page is numbered again after saving, by the steps' names.
    response = editor_client.post(edit_url(branching), page_data(branching, add="choice:2"))
    d1 = response.context["edited"].step(key="d1")
    assert len(d1.choices) == 4 and d1.choices[-1].fresh


def test_add_buttons_keep_everything_typed_when_something_is_wrong(editor_client, branching):
    data = page_data(branching, add="flag:1", title="Renamed", **{"s7-outcome": ""})
    response = editor_client.post(edit_url(branching), data)
    assert response.status_code == 200
    branching.refresh_from_db()
    assert branching.title == "Earn money by liking videos"  # nothing saved
    edited = response.context["edited"]
    assert len(edited.step(token="1").flags) == 2
    assert edited.errors() == {"s7-outcome": ["Choose how this ending turns out."]}
    assert 'value="Renamed"' in response.content.decode()


def blank_scenario(topic, slug: str = "untitled") -> Scenario:
    return Scenario.objects.create(
        language="en",
        slug=slug,
        title="Untitled",
        summary="",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="",
    )


class FormReader(HTMLParser):
    """What a browser without JavaScript posts for the page's form: its fields' values, not
    those inside <template>s (the script's) nor the buttons (the one clicked is added)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_template = 0
        self.textarea: str | None = None
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.option: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "template":
            self.in_template += 1
        if self.in_template or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(a["name"], []).append(a.get("value") or "on")
            else:
                self.data.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.data.setdefault(a["name"], []).append("")
        elif tag == "select":
            self.select = (a["name"], [])
        elif tag == "option" and self.select is not None:
            self.select[1].append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, options = self.select
            chosen = [value for value, selected in options if selected] or [options[0][0]]
            self.data[name] = chosen[:1]
            self.select = None

    def handle_data(self, text: str) -> None:
        if self.textarea and not self.in_template:
            # The parser drops the newline a browser drops right after <textarea>.
            self.data[self.textarea][-1] += (
                text.removeprefix("\n") if not self.data[self.textarea][-1] else text
            )


def read_form(response) -> dict[str, list[str]]:
    reader = FormReader()
    page = response.content.decode()
    start = page.index('<form method="post" id="scenario-editor"')
    reader.feed(page[start : page.index("</form>", start)])
    return reader.data


def fill(data: dict[str, list[str]], **fields: str | list[str]) -> dict[str, list[str]]:
    for name, value in fields.items():
        data[name.replace("__", "-")] = value if isinstance(value, list) else [value]
    return data


def test_the_form_without_javascript_saves_the_same_scenario_as_the_script(editor_client, topic):
    """Without JavaScript, each "Add …" saves the page and shows it again with the new blank
    part: one page load per part. With it, parts are added in the page and saved at once."""
    plain = blank_scenario(topic)
    url = edit_url(plain)
    loads = 1
    response = editor_client.get(url)

    def click(data: dict[str, list[str]], button: str, value: str):
        nonlocal loads
        loads += 1
        return editor_client.post(url, {**data, button: [value]})

    def token(response, key: str) -> str:
        return response.context["edited"].step(key=key).token

    response = click(read_form(response), "add", "message")
    new = response.context["edited"].steps[-1].token
    data = fill(
        read_form(response),
        **{
            "title": "Parcel fee",
            "summary": "A text says a parcel is held.",
            f"s{new}-sender": "Royal Post",
            f"s{new}-address": "+44 7700 900123",
            f"s{new}-text": "Your parcel is held. Pay 1.99 within 24 hours: post-parcel.example",
        },
    )
    response = click(data, "add", "decision")
    decision = response.context["edited"].steps[-1]
    d, (c1, c2) = decision.token, [choice.token for choice in decision.choices]
    data = fill(
        read_form(response),
        **{
            f"s{d}-prompt": "What do you do?",
            f"s{d}-tactics": ["urgency", "lookalike"],
            f"s{d}-c{c1}-text": "Check the courier's own app.",
            f"s{d}-c{c1}-safe": "on",
            f"s{d}-c{c1}-feedback": "Right.",
            f"s{d}-c{c2}-text": "Tap the link and pay.",
            f"s{d}-c{c2}-feedback": "Risky.",
        },
    )
    response = click(data, "add", "ending")
    e = response.context["edited"].steps[-1].token
    data = fill(read_form(response), **{f"s{e}-outcome": "safe", f"s{e}-text": "Kept."})
    response = click(data, "add", "ending")
    e = response.context["edited"].steps[-1].token
    data = fill(read_form(response), **{f"s{e}-outcome": "harmed", f"s{e}-text": "Stolen."})
    response = click(data, "add", f"flag:{token(response, 'message-1')}")
    m, d = token(response, "message-1"), token(response, "decision-2")
    c1, c2 = [choice.token for choice in response.context["edited"].step(token=d).choices]
    flag = response.context["edited"].step(token=m).flags[-1].token
    data = fill(
        read_form(response),
        **{
            f"s{m}-next": d,
            f"s{d}-c{c1}-next": token(response, "ending-3"),
            f"s{d}-c{c2}-next": token(response, "ending-4"),
            f"s{m}-f{flag}-quote": "post-parcel.example",
            f"s{m}-f{flag}-why": "Not the courier's site.",
            f"s{m}-f{flag}-tactic": "lookalike",
        },
    )
    response = click(data, "_save", "Save")
    assert response.status_code == 302
    assert loads == 1 + 6  # the first load, then one per part added, and the save

    # With the script: the same parts added in the page (fresh tokens), one save.
    scripted = blank_scenario(topic, slug="untitled-2")
    data = read_form(editor_client.get(edit_url(scripted)))
    fill(
        data,
        **{
            "steps": ["n1", "n2", "n3", "n4"],
            "sn1__kind": "message",
            "sn2__kind": "decision",
            "sn2__choices": ["1", "2"],
            "sn3__kind": "ending",
            "sn4__kind": "ending",
            "sn1__flags": ["n5"],
            "title": "Parcel fee",
            "summary": "A text says a parcel is held.",
            "sn1__sender": "Royal Post",
            "sn1__address": "+44 7700 900123",
            "sn1__text": "Your parcel is held. Pay 1.99 within 24 hours: post-parcel.example",
            "sn1__next": "n2",
            "sn1__fn5__quote": "post-parcel.example",
            "sn1__fn5__why": "Not the courier's site.",
            "sn1__fn5__tactic": "lookalike",
            "sn2__prompt": "What do you do?",
            "sn2__tactics": ["urgency", "lookalike"],
            "sn2__c1__text": "Check the courier's own app.",
            "sn2__c1__safe": "on",
            "sn2__c1__feedback": "Right.",
            "sn2__c1__next": "n3",
            "sn2__c2__text": "Tap the link and pay.",
            "sn2__c2__feedback": "Risky.",
            "sn2__c2__next": "n4",
            "sn3__outcome": "safe",
            "sn3__text": "Kept.",
            "sn4__outcome": "harmed",
            "sn4__text": "Stolen.",
            "_save": "Save",
        },
    )
    assert editor_client.post(edit_url(scripted), data).status_code == 302

    plain.refresh_from_db()
    scripted.refresh_from_db()
    saved, saved_by_script = scenario_to_dict(plain), scenario_to_dict(scripted)
    assert saved["slug"] == "parcel-fee" and saved_by_script["slug"] == "parcel-fee-2"
    assert {**saved, "slug": ""} == {**saved_by_script, "slug": ""}
    assert saved["start"] == "message-1"
    assert [s["key"] for s in saved["steps"]] == ["message-1", "decision-2", "ending-3", "ending-4"]
    assert saved["steps"][0]["red_flags"][0]["quote"] == "post-parcel.example"
    assert [(c["key"], c["next"]) for c in saved["steps"][1]["choices"]] == [
        ("a", "ending-3"),
        ("b", "ending-4"),
    ]


def test_saving_the_page_as_a_browser_reads_it_changes_nothing(editor_client, branching):
    """The page shows every value as it is saved: posting it back unchanged is a no-op."""
    response = editor_client.get(edit_url(branching))
    before = scenario_to_dict(branching)
    branching.slug = "earn-money-by-liking-videos"
    branching.save()
    assert editor_client.post(edit_url(branching), read_form(response)).status_code == 302
    branching.refresh_from_db()
    assert scenario_to_dict(branching) == {**before, "slug": branching.slug}


# --- the checks as the editor types ------------------------------------------------------------


def test_the_checks_endpoint_answers_with_problems_and_field_errors(editor_client, branching):
    data = page_data(branching, **{"s1-f1-quote": "earn 300 a day"})
    response = editor_client.post(edit_url(branching) + "check/", data)
    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == {
        "s1-f1-quote": [
            "These words are not in the text exactly as written. Did you mean “Earn 300 a day”?"
        ]
    }
    assert isinstance(body["problems"], list)
    assert editor_client.get(edit_url(branching) + "check/").status_code == 405
    branching.refresh_from_db()
    assert scenario_to_dict(branching)["steps"] == BRANCHING_STEPS  # nothing saved


def test_structural_problems_link_to_their_steps(editor_client, branching, monkeypatch):
    from quizzes.scenarios.editor import checks

    def problems(content):
        return [checks.Problem("No safe way out.", step_key="d2"), checks.Problem("Whole.")]

    monkeypatch.setattr(checks, "problems", problems)
    page = editor_client.get(edit_url(branching)).content.decode()
    assert '<a href="#step-d2">4. Decision: She asks for a 500 deposit. What now?</a>:' in page
    assert "Whole." in page
    body = editor_client.post(edit_url(branching) + "check/", page_data(branching)).json()
    assert body["problems"][0] == {
        "message": "No safe way out.",
        "severity": "error",
        "anchor": "step-d2",
        "label": "4. Decision: She asks for a 500 deposit. What now?",
    }


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("decisions", [1, 10])  # 3 and 12 steps
def test_the_page_asks_the_same_number_of_queries_whatever_its_size(
    editor_client, topic, decisions, django_assert_num_queries
):
    steps = long_scenario_steps(decisions)
    scenario = Scenario.objects.create(
        language="en",
        slug="long",
        title="Long",
        summary="s",
        topic=topic,
        channel="sms",
        difficulty="easy",
        start_key="d0",
    )
    scenario_replace_steps(scenario=scenario, steps=steps)
    assert len(steps) == decisions + 2
    # The user, their permissions (user's, groups'), the scenario with its topic, the steps,
    # their choices, options and red flags, and the topics for the select.
    with django_assert_num_queries(9):
        response = editor_client.get(edit_url(scenario))
    assert response.status_code == 200
