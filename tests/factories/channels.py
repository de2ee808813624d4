"""A scenario that walks through every channel, one message and one decision each, so that each
decision page shows one channel's chrome (tests of the drawing and of its accessibility)."""

from typing import Any

# (channel, message fields) in the order the tour visits them; the red flag of each quotes the
# chrome where the channel keeps its clue.
TOUR: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    (
        "sms",
        {
            "from": "NorthBank",
            "address": "+44 7700 900183",
            "url": "northbank-help.example/verify",
            "text": "Your card is on hold. Verify now.",
        },
        {"quote": "northbank-help.example", "field": "url"},
    ),
    (
        "chat",
        {
            "from": "Mia Chen",
            "address": "@mia.trades",
            "verified": True,
            "text": "Hey! I can get you 500 in a day.",
            "attachment": {"kind": "screenshot", "title": "Payout proof", "text": "Received 500"},
        },
        {"quote": "Payout proof", "field": "attachment"},
    ),
    (
        "call",
        {
            "from": "Detective Shaw",
            "address": "020 7946 0831",
            "text": "Your savings must move to a safe account today.",
        },
        {"quote": "020 7946 0831", "field": "address"},
    ),
    (
        "email",
        {
            "from": "School IT",
            "address": "it-desk@schoo1-mail.example",
            "subject": "Password expires today",
            "text": "Sign in again with the link below.",
        },
        {"quote": "schoo1-mail.example", "field": "address"},
    ),
    (
        "web",
        {
            "from": "GovPay Fines",
            "url": "https://gov-uk-fines.example/pay",
            "text": "Pay your unpaid toll of £4.99 today.",
        },
        {"quote": "gov-uk-fines.example", "field": "url"},
    ),
    (
        "social",
        {
            "from": "Star Deals",
            "address": "@star.deals.official",
            "verified": True,
            "text": "Tickets for tonight, half price. DM me.",
            "attachment": {"kind": "qr-code", "title": "Scan to pay"},
        },
        {"quote": "Scan to pay", "field": "attachment"},
    ),
    (
        "game",
        {
            "from": "xX_Trader_Xx",
            "address": "Lv 3 · joined today",
            "text": "Free skin if you log in on my site.",
        },
        {"quote": "joined today", "field": "address"},
    ),
]


def channel_tour_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for number, (channel, fields, flag) in enumerate(TOUR, start=1):
        after = f"m{number + 1}" if number < len(TOUR) else "end-safe"
        risky_after = after if number < len(TOUR) else "end-harm"
        steps.append(
            {
                "key": f"m{number}",
                "kind": "message",
                "channel": channel,
                **fields,
                "red_flags": [{**flag, "why": "Look where it comes from.", "tactic": "lookalike"}],
                "next": f"d{number}",
            }
        )
        steps.append(
            {
                "key": f"d{number}",
                "kind": "decision",
                "prompt": f"What now ({channel})?",
                "choices": [
                    {
                        "key": "a",
                        "text": "Check it myself.",
                        "safe": True,
                        "feedback": "Good.",
                        "next": after,
                    },
                    {
                        "key": "b",
                        "text": "Do what it says.",
                        "safe": False,
                        "feedback": "Risky.",
                        "next": risky_after,
                    },
                ],
            }
        )
    steps += [
        {"key": "end-safe", "kind": "ending", "outcome": "safe", "text": "Safe."},
        {"key": "end-harm", "kind": "ending", "outcome": "harmed", "text": "Lost."},
    ]
    return steps
