"""The conversation drawn as its channel (quizzes/play/simulation.py): red flags marked in the
field they quote, messages grouped by channel with a sender's header once, everything escaped."""

from quizzes.play.simulation import Mark, draw_message, grouped, render_groups, shown_messages
from tests.factories.channels import channel_tour_steps

CONTENT = {"channel": "chat", "start": "m1", "steps": channel_tour_steps()}


def text_of(segments) -> list[tuple[str, str | None]]:
    return [(text, mark.css if mark else None) for text, mark in segments]


def test_a_mark_lands_in_the_field_it_quotes():
    step = {
        "key": "m1",
        "kind": "message",
        "from": "NorthBank",
        "address": "alerts@n0rthbank.example",
        "subject": "Card on hold",
        "url": "n0rthbank.example/verify",
        "text": "Verify now.",
        "attachment": {"kind": "document", "title": "Letter", "text": "Ref 42"},
    }
    marks = [
        ("n0rthbank.example", "address", Mark("flag", 1)),
        ("on hold", "subject", Mark("flag", 2)),
        ("Ref 42", "attachment", Mark("flag", 3)),
        ("Verify now", "", Mark("flag", 4)),
    ]
    drawn = draw_message(step, channel="email", marks=marks)
    assert text_of(drawn.address) == [("alerts@", None), ("n0rthbank.example", "flag")]
    assert text_of(drawn.subject) == [("Card ", None), ("on hold", "flag")]
    assert text_of(drawn.attachment_title) == [("Letter", None)]
    assert text_of(drawn.attachment_text) == [("Ref 42", "flag")]
    assert text_of(drawn.text) == [("Verify now", "flag"), (".", None)]
    assert text_of(drawn.url) == [("n0rthbank.example/verify", None)]


def test_a_step_channel_overrides_the_scenarios_and_groups_follow_it():
    messages = shown_messages(CONTENT, ["m1", "d1", "m2", "m3"], with_flags=False)
    assert [m.channel for m in messages] == ["sms", "chat", "call"]
    assert [g.channel.value for g in grouped(messages)] == ["sms", "chat", "call"]


def test_a_senders_header_is_drawn_once_per_run_of_their_messages():
    one = {"key": "a", "kind": "message", "from": "Mia", "text": "Hi"}
    two = {**one, "key": "b", "text": "Still there?"}
    other = {**one, "key": "c", "from": "Sam"}
    narration = {"key": "n", "kind": "narration", "text": "An hour later."}
    drawn = [draw_message(s, channel="chat") for s in (one, two, narration, other, one)]
    (group,) = grouped(drawn)
    threads = [m.new_thread for m in group.messages if m.step["kind"] != "narration"]
    assert threads == [True, False, True, True]


def test_initials_for_the_avatar():
    assert draw_message({"from": "Mia Chen", "text": ""}, channel="chat").initials == "MC"
    assert draw_message({"from": "快递员小王", "text": ""}, channel="chat").initials == "快"
    assert draw_message({"from": "🌸", "text": ""}, channel="chat").initials == "?"


def test_each_channel_draws_its_chrome_with_labels_for_screen_readers():
    keys = [step["key"] for step in CONTENT["steps"] if step["kind"] == "message"]
    html = render_groups(grouped(shown_messages(CONTENT, keys, with_flags=True)))
    assert '<section class="sim sim-email"' in html
    assert "<dt>From:</dt>" in html and "<dt>Subject:</dt>" in html
    assert 'class="sim-subject">Password expires today</dd>' in html
    assert 'class="sim-urlbar"><span class="visually-hidden">Web address: </span>https://' in html
    assert "Incoming call" in html and "Caller ID:" in html
    assert html.count('class="sim-verified"') == 2  # the chat and the social account
    assert 'class="sim-attachment sim-attachment-qr-code"' in html
    assert '<p class="sim-attachment-kind">QR code</p>' in html
    # Flags quoted from the chrome are marked there, numbered like those in the text.
    assert '<mark class="flag">020 7946 0831<sup class="flag-num">1</sup></mark>' in html
    assert '&lt;it-desk@<mark class="flag">schoo1-mail.example<sup' in html


def test_everything_drawn_is_escaped():
    step = {
        "key": "m1",
        "kind": "message",
        "from": "<b>Bank</b>",
        "address": "<script>alert(1)</script>",
        "url": "javascript:alert(1)",
        "text": "<img src=x onerror=alert(1)>",
        "attachment": {"kind": "image", "title": "<i>x</i>"},
    }
    html = render_groups(grouped([draw_message(step, channel="sms")]))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "<i>" not in html and "href" not in html
