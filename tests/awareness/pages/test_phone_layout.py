"""The site on a phone (390 x 844): a header of one short row whose "Menu" opens the links,
with and without JavaScript, by touch and by keyboard; a student's assigned work above the
home page's hero; and the favicon."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from awareness.models import User
from tests.factories import (
    add_student,
    assign,
    make_branching_scenario,
    make_class,
    make_student,
    make_teacher,
    tomorrow,
)

PHONE = {"width": 390, "height": 844}
MAX_HEADER = 80  # px of the 844: the rest is the page
LANGUAGES = ["en", "zh-hans"]


def phone(browser, live_server, user: User | None, language: str, *, javascript: bool = True):
    """A phone-sized page in ``language`` (the site's language cookie), signed in as ``user``."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
    )
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def menu_state(page) -> dict:
    """What a screen reader is told of the "Menu" button: Chromium's accessibility tree
    exposes a <summary> as a disclosure button with its expanded state."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    [node] = [
        n
        for n in nodes
        if n["role"]["value"] == "DisclosureTriangle" and n.get("name", {}).get("value") == "Menu"
    ]
    properties = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
    return {"expanded": properties.get("expanded"), "controls": properties.get("controls")}


def header_height(page) -> float:
    box = page.locator("header.site-header").bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", ["visitor", "student", "teacher"])
def test_the_closed_menu_keeps_the_phone_header_to_one_short_row(
    browser, live_server, assert_accessible, language, who
):
    user = {"visitor": None, "student": make_student("kid"), "teacher": make_teacher("ms-lee")}[who]
    page = phone(browser, live_server, user, language)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    summary = page.locator("header summary")
    expect(summary).to_be_visible()
    expect(page.locator("#site-menu")).to_be_hidden()
    assert header_height(page) <= MAX_HEADER
    assert_accessible(page, f"home, menu closed [{who}, {language}]")

    summary.click()  # a tap
    menu = page.locator("#site-menu")
    expect(menu).to_be_visible()
    expect(menu.locator('a[href="/scenarios/"]')).to_be_visible()
    expect(menu.locator(".lang-switch button").first).to_be_visible()
    if user is not None:
        expect(menu.locator('form[action="/accounts/logout/"] button')).to_be_visible()
    else:
        expect(menu.locator('a[href="/accounts/login/"]')).to_be_visible()
    assert header_height(page) > MAX_HEADER
    assert_accessible(page, f"home, menu open [{who}, {language}]")
    summary.click()
    expect(menu).to_be_hidden()
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_opens_from_the_keyboard_and_says_whether_it_is_open(browser, live_server):
    page = phone(browser, live_server, make_student("kid"), "en")
    page.goto("/help/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    summary = page.locator("header summary")
    expect(summary).to_be_focused()
    assert menu_state(page)["expanded"] is False
    page.keyboard.press("Enter")
    expect(page.locator("#site-menu")).to_be_visible()
    assert menu_state(page) == {"expanded": True, "controls": "site-menu"}
    # The links follow the button in the tab order.
    page.keyboard.press("Tab")
    expect(page.locator("#site-menu a").first).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(page.locator("#site-menu")).to_be_hidden()
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_works_without_javascript(browser, live_server):
    page = phone(browser, live_server, make_teacher("ms-lee"), "en", javascript=False)
    page.goto("/")
    assert header_height(page) <= MAX_HEADER
    page.locator("header summary").click()
    menu = page.locator("#site-menu")
    expect(menu).to_be_visible()
    menu.locator('a[href="/classes/"]').click()
    page.wait_for_url("**/classes/")
    expect(page.locator("#site-menu")).to_be_hidden()  # a new page starts with it closed
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_desktop_shows_the_links_without_a_menu_button(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto("/")
    expect(page.locator("header summary")).to_be_hidden()
    expect(page.get_by_role("link", name="Scenarios", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="简体中文")).to_be_visible()
    assert header_height(page) < 70  # one row, as before
    context.close()


# --- the home page ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_students_assigned_work_is_above_the_hero_on_a_phone(
    browser, live_server, assert_accessible, language
):
    classroom = make_class(name="7B")
    assign(classroom, make_branching_scenario("Likes for money", language=language), tomorrow())
    student = add_student(classroom, display_name="Ana")
    page = phone(browser, live_server, student, language)
    page.goto("/")
    work = page.locator("#assigned-title")
    work.wait_for()
    hero = page.locator(".hero")
    work_box, hero_box = work.bounding_box(), hero.bounding_box()
    assert work_box is not None and hero_box is not None
    assert work_box["y"] < hero_box["y"]
    assignment = page.locator(".assignments a", has_text="Likes for money")
    box = assignment.bounding_box()
    assert box is not None and box["y"] + box["height"] < PHONE["height"]  # on the first screen
    # One h1 (for the part that comes first); the hero's title is then an h2.
    assert page.locator("h1").count() == 1
    expect(page.locator(".hero h2")).to_have_count(1)
    assert_accessible(page, f"student home with work [{language}]")
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitors_home_page_still_leads_with_the_hero(browser, live_server, assert_accessible):
    page = phone(browser, live_server, None, "en")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spot the scam before it spots you")
    assert_accessible(page, "visitor home")
    page.context.close()


# --- the favicon ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_links_the_svg_favicon_and_favicon_ico_leads_to_it(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.' in html and 'type="image/svg+xml"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/img/favicon.")
    assert response["Location"].endswith(".svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_favicon_is_served(page):
    response = page.goto("/favicon.ico")
    assert response is not None and response.ok
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in page.content()
