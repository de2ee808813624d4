"""On a phone, in both languages, every channel is drawn as itself: the e-mail's From address
and Subject, the web page's address bar, the caller ID, the verified mark, attachment cards; the
red flags of the feedback are marked in the chrome they quote; axe finds nothing on any page."""

import pytest

from tests.factories import make_scenario
from tests.factories.channels import channel_tour_steps
from tests.quizzes.play.test_browser_discernment import phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each channel's decision page must show, as (selector, text it contains).
CHROME = {
    "sms": [
        (".sim-sms .sim-head .sim-address", "+44 7700 900183"),
        (".sim-sms .sim-link", "northbank-help.example/verify"),
    ],
    "chat": [
        (".sim-chat .sim-head .sim-verified", ""),
        (".sim-chat .sim-attachment-screenshot", "Payout proof"),
    ],
    "call": [(".sim-call .sim-call-screen .sim-address", "020 7946 0831")],
    "email": [
        (".sim-email .sim-mail-head .sim-address", "it-desk@schoo1-mail.example"),
        (".sim-email .sim-mail-head .sim-subject", "Password expires today"),
    ],
    "web": [(".sim-web .sim-urlbar", "https://gov-uk-fines.example/pay")],
    "social": [
        (".sim-social .sim-verified", ""),
        (".sim-social .sim-attachment-qr-code", "Scan to pay"),
    ],
    "game": [(".sim-game .sim-head .sim-address", "joined today")],
}
# The words a screen reader hears before the caller ID, per language.
CALLER_ID = {"en-GB": "Caller ID:", "zh-CN": "来电号码："}


@pytest.mark.parametrize(("locale", "language"), [("en-GB", "en"), ("zh-CN", "zh-hans")])
def test_each_channel_shows_its_chrome_and_passes_axe(
    browser, live_server, assert_accessible, locale, language
):
    make_scenario("channel-tour", language=language, channel="chat", steps=channel_tour_steps())
    context, page = phone(browser, live_server, locale)
    page.goto("/scenarios/channel-tour/")
    page.locator("main form button[type=submit]").first.click()  # Start
    for channel, shown in CHROME.items():
        page.locator("fieldset legend").wait_for()
        section = page.locator(f"section.sim-{channel}")
        assert section.count() == 1, channel
        for selector, text in shown:
            element = page.locator(selector)
            assert element.is_visible(), (channel, selector)
            assert text in element.inner_text(), (channel, selector)
        if channel == "call":
            assert CALLER_ID[locale] in section.text_content()
        assert_accessible(page, f"{channel} [{locale}]")
        page.locator("fieldset input[value=a]").check()
        page.locator("main form button[type=submit]").click()
        # The feedback marks the red flag where it is: in the channel's chrome.
        assert page.locator(f"section.sim-{channel} mark.flag").count() == 1, channel
        if channel == "email":
            assert_accessible(page, f"feedback [{locale}]")
        page.locator("main a.btn-primary").click()  # Continue
    page.locator("section.ending").wait_for()  # the last Continue leads to the ending
    context.close()
