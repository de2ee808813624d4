"""The check-item half of the content audit (``manage.py audit_content``): does a pack's bank
make three balanced forms of matched pairs, and can any form be passed by surface cues?"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quizzes.check.bank import FORMS, Pair, balance_problems, build_forms, form_items
from quizzes.check.cues import (
    MAX_CUE_ACCURACY,
    CueScore,
    classifier_accuracy,
    classifier_predictions,
    rule_scores,
)

MIN_PAIRS = 32  # matched pairs per language (a scam and its genuine twin)


@dataclass
class BankAudit:
    pairs: int = 0
    unpaired: int = 0
    forms: dict[str, list[Pair]] = field(default_factory=dict)
    rules: dict[str, list[CueScore]] = field(default_factory=dict)  # per form
    classifier: dict[str, float] = field(default_factory=dict)  # per form
    balance: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        problems = []
        if self.pairs < MIN_PAIRS:
            problems.append(
                f"the check has {self.pairs} matched pairs (at least {MIN_PAIRS}); "
                f"{self.unpaired} item(s) have no twin"
            )
        for form in FORMS:
            for cue in self.rules.get(form, []):
                if cue.accuracy > MAX_CUE_ACCURACY:
                    problems.append(
                        f"form {form.upper()}: the rule '{cue.name}' tells scams from real "
                        f"messages in {cue.accuracy:.0%} of items (at most {MAX_CUE_ACCURACY:.0%})"
                    )
            accuracy = self.classifier.get(form, 0.0)
            if accuracy > MAX_CUE_ACCURACY:
                problems.append(
                    f"form {form.upper()}: a word and character classifier is right on "
                    f"{accuracy:.0%} of items (at most {MAX_CUE_ACCURACY:.0%})"
                )
        problems += [f"forms not balanced: {problem}" for problem in self.balance]
        return problems


def audit_bank(items: Sequence[dict[str, Any]], language: str) -> BankAudit:
    forms = build_forms(items)
    paired = {i["key"] for form in forms.values() for pair in form for i in pair.items}
    guesses = classifier_predictions(items)
    audit = BankAudit(
        pairs=sum(len(form) for form in forms.values()),
        unpaired=sum(1 for i in items if i["key"] not in paired),
        forms=forms,
        balance=balance_problems(forms),
    )
    for form in FORMS:
        shown = form_items(forms, form)
        audit.rules[form] = rule_scores(shown, language)
        audit.classifier[form] = classifier_accuracy(shown, guesses)
    return audit
