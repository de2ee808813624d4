"""In the browser, on a phone, in both languages: each student sees the options in an order
of their own that a reload keeps, and the ending's recap names the better choice."""

import pytest

from tests.factories import PASSWORD, make_scenario, make_student, small_scenario_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOICES = [
    "Block them.",
    "Ask for proof.",
    "Tell a parent.",
    "Reply later.",
    "Send a selfie.",
    "Pay now.",
]


def six_choice_steps() -> list[dict]:
    """The small scenario with a first decision of six options (720 orders)."""
    steps = small_scenario_steps()
    first = next(step for step in steps if step["key"] == "d1")
    safe_next, risky_next = first["choices"][0]["next"], first["choices"][1]["next"]
    first["choices"] = [
        {
            "key": f"c{i}",
            "text": text,
            "safe": i < 3,
            "feedback": "Noted.",
            "next": safe_next if i < 3 else risky_next,
        }
        for i, text in enumerate(CHOICES)
    ]
    return steps


def phone(browser, live_server, locale: str):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def shown_order(page) -> list[str]:
    return page.locator("fieldset .form-check-label").all_inner_texts()


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_each_student_gets_an_order_of_their_own_that_a_reload_keeps(
    browser, live_server, assert_accessible, locale
):
    make_scenario(steps=six_choice_steps())
    orders = []
    for number in range(3):
        make_student(f"order-{number}")
        context, page = phone(browser, live_server, locale)
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(f"order-{number}")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.goto("/scenarios/likes-for-money/")
        page.locator("main form button[type=submit]").first.click()  # Start
        page.locator("fieldset legend").wait_for()
        order = shown_order(page)
        assert sorted(order) == sorted(CHOICES)
        page.reload()
        assert shown_order(page) == order  # fixed for this attempt
        if number == 0:
            assert_accessible(page, f"shuffled decision [{locale}]")
        orders.append(order)
        context.close()
    # Three independent draws of 720 orders are all the same about twice in a million runs.
    assert len({tuple(order) for order in orders}) > 1


def test_the_ending_names_the_better_choice(page):
    make_scenario()
    make_student("recap-kid")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("recap-kid")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/scenarios/likes-for-money/")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Sounds great, tell me more!").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("“Have a nice day!”").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("Pay the 500.").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_role("link", name="Continue").click()
    recap = page.locator("section[aria-labelledby=recap-title]")
    recap.wait_for()
    text = recap.inner_text()
    assert "Better: “Ignore and block.”" in text and "Better: “Stop and tell someone.”" in text
    assert "Top up 500 first" in text and "you missed it" in text
