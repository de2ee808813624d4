"""The check's cue audit: can a check item's kind (scam or genuine) be told from surface cues
instead of from what matters (who asks, for what, by which route)?

Each simple rule predicts "scam" from one surface feature (a link, an amount, urgency words…).
A student can learn a rule either way round ("links mean scam" or "links mean real"), so a
rule scores the better of its two directions. A naive Bayes classifier over word and character
n-grams of the sender and the text is trained leaving out one matched pair at a time and scores
as it predicts. Pure functions over check items in content-pack form; standard library only.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

Item = dict[str, Any]

# Above this accuracy on any form, a cue gives the answer away (issue: "above 65 % fails").
MAX_CUE_ACCURACY = 0.65

_URGENCY = {
    "en": r"\b(now|today|tonight|urgent|urgently|immediately|asap|within|expires?|expiring|"
    r"last chance|deadline|hours?|minutes?|quickly|hurry|before midnight)\b",
    "zh-hans": r"(立即|立刻|马上|今天|今日|尽快|小时内|分钟内|逾期|过期|截止|最后|赶紧|抓紧|限时)",
}
_REQUEST = {
    "en": r"\b(pay|send|install|download|log ?in|sign ?in|code|verify|confirm|click|tap|"
    r"transfer|top up|scan|reply|share|update)\b",
    "zh-hans": r"(支付|付款|缴费|转账|充值|下载|安装|登录|验证码|点击|核验|验证|确认|扫码|"
    r"回复|填写|共享)",
}
_NEVER_ASK = {
    "en": r"(never ask|will never|won't ever ask|we never)",
    "zh-hans": r"(不会索要|绝不会|不会向您|不会要求|不会让您|从不)",
}
_UNKNOWN_SENDER = {
    "en": r"(unknown|new number|no caller id|withheld|private number)",
    "zh-hans": r"(陌生|新号|未知|未知号码|私人号码)",
}
_LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|co\.uk|uk|org|net|cn|top|xyz|vip|example)\b)")
_AMOUNT = re.compile(r"([£$¥€]\s?\d|\d[\d,.]*\s?(元|块|万|pounds|dollars|usd|usdt|gbp)\b)", re.I)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2705\u274c\u26a0]")
_PHONE = re.compile(r"^\+?[\d\s()*-]{5,}$")
_ODD_TLD = re.compile(r"\.(top|xyz|vip|icu|cc|shop|club|online|site|info|live|buzz)\b", re.I)


def _text(item: Item) -> str:
    attachment = item.get("attachment") or {}
    parts = [item.get("subject", ""), item.get("text", ""), attachment.get("title", "")]
    return " ".join(p for p in parts + [attachment.get("text", "")] if p)


def _rules(language: str) -> dict[str, Callable[[Item], bool]]:
    lang = language if language in _URGENCY else "en"

    def has(pattern: str) -> Callable[[Item], bool]:
        compiled = re.compile(pattern, re.I)
        return lambda item: bool(compiled.search(_text(item)))

    def sender_unknown(item: Item) -> bool:
        shown = f"{item.get('from', '')} {item.get('address', '')}"
        return bool(
            re.search(_UNKNOWN_SENDER[lang], shown, re.I)
            or _PHONE.match(str(item.get("address") or item.get("from", "")).strip())
        )

    return {
        "a link": lambda item: bool(item.get("url")) or bool(_LINK.search(_text(item))),
        "a money amount": lambda item: bool(_AMOUNT.search(_text(item))),
        "urgency words": has(_URGENCY[lang]),
        "a request (pay, send, log in, code…)": has(_REQUEST[lang]),
        "no 'we will never ask' line": lambda item: not re.search(_NEVER_ASK[lang], _text(item)),
        "an emoji": lambda item: bool(_EMOJI.search(f"{item.get('from', '')} {_text(item)}")),
        "an exclamation mark": lambda item: "!" in _text(item) or "！" in _text(item),
        "a number or 'unknown' as sender": sender_unknown,
        "an unusual domain ending": lambda item: bool(
            _ODD_TLD.search(f"{item.get('address', '')} {item.get('url', '')} {_text(item)}")
        ),
        "verified mark": lambda item: bool(item.get("verified")),
    }


@dataclass(frozen=True)
class CueScore:
    name: str
    accuracy: float  # the better direction's share of items it classifies right


def rule_scores(items: Sequence[Item], language: str) -> list[CueScore]:
    """Each surface rule's accuracy on ``items`` (the better of its two directions), and the
    rule "longer than the median text"."""
    if not items:
        return []
    rules = dict(_rules(language))
    middle = median(len(_text(item)) for item in items)
    rules["longer than the median"] = lambda item: len(_text(item)) > middle
    scores = []
    for name, rule in rules.items():
        right = sum(rule(item) == bool(item["is_scam"]) for item in items)
        scores.append(CueScore(name, max(right, len(items) - right) / len(items)))
    return scores


# --- naive Bayes over n-grams, one matched pair left out at a time ------------------------------


def features(item: Item) -> Counter[str]:
    """Words and character 2- and 3-grams of the sender and the text (Chinese has no spaces)."""
    shown = f"{item.get('from', '')} {item.get('address', '')} {item.get('url', '')} {_text(item)}"
    shown = shown.lower()
    grams: Counter[str] = Counter(f"w:{w}" for w in re.findall(r"\w+", shown))
    squeezed = re.sub(r"\s+", " ", shown)
    for n in (2, 3):
        grams.update(f"c{n}:{squeezed[i : i + n]}" for i in range(len(squeezed) - n + 1))
    return grams


def _train(items: Iterable[Item]) -> tuple[dict[bool, Counter[str]], Counter[bool]]:
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    priors: Counter[bool] = Counter()
    for item in items:
        kind = bool(item["is_scam"])
        counts[kind].update(features(item))
        priors[kind] += 1
    return counts, priors


def _predict(model: tuple[dict[bool, Counter[str]], Counter[bool]], item: Item) -> bool:
    counts, priors = model
    vocabulary = len(set(counts[True]) | set(counts[False])) or 1
    total = sum(priors.values())
    best, best_score = True, -math.inf
    for kind in (True, False):
        size = sum(counts[kind].values())
        score = math.log((priors[kind] + 1) / (total + 2))
        for gram, n in features(item).items():
            score += n * math.log((counts[kind][gram] + 1) / (size + vocabulary))
        if score > best_score:
            best, best_score = kind, score
    return best


def classifier_predictions(items: Sequence[Item]) -> dict[str, bool]:
    """Per item key, the classifier's guess when trained on every other pair (an item without
    a pair is left out alone), so a twin never teaches the answer to its own pair."""

    def group(item: Item) -> frozenset[str]:
        return frozenset({item["key"], item.get("pair") or item["key"]})

    guesses = {}
    for item in items:
        held = group(item)
        model = _train(other for other in items if other["key"] not in held)
        guesses[item["key"]] = _predict(model, item)
    return guesses


def classifier_accuracy(items: Sequence[Item], guesses: dict[str, bool]) -> float:
    if not items:
        return 0.0
    return sum(guesses[i["key"]] == bool(i["is_scam"]) for i in items) / len(items)
