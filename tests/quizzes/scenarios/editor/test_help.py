"""Every field an editor sees has help in plain words: never "slug", and "key" only on the
advanced internal keys, which say that they are filled in automatically."""

import re

import pytest
from django.db import models

from awareness.models import Topic
from quizzes.models import CheckItem, Choice, RedFlag, Scenario, SpotOption, Step

EDITED_MODELS = [Scenario, Step, Choice, SpotOption, RedFlag, CheckItem, Topic]
# The internal keys, shown only under "advanced": their help may name what they are.
ADVANCED_KEYS = {
    (Step, "key"),
    (Choice, "key"),
    (SpotOption, "key"),
    (CheckItem, "key"),
    (Scenario, "translation_key"),
}
JARGON = re.compile(r"\b(slugs?|keys?)\b", re.IGNORECASE)


def editor_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every column of the editors' models but the primary key."""
    return [
        (model, field)
        for model in EDITED_MODELS
        for field in model._meta.concrete_fields
        if not field.primary_key
    ]


@pytest.mark.parametrize(
    ("model", "field"),
    editor_fields(),
    ids=[f"{model.__name__}.{field.name}" for model, field in editor_fields()],
)
def test_the_field_has_help_in_plain_words(model, field):
    help_text = str(field.help_text)
    assert help_text.strip(), f"{model.__name__}.{field.name} has no help text"
    if (model, field.name) in ADVANCED_KEYS:
        assert help_text.startswith("Advanced:") and "automatically" in help_text
    else:
        assert not JARGON.search(help_text), help_text
        assert not JARGON.search(str(field.verbose_name)), field.verbose_name


def test_the_web_address_fields_are_called_that():
    assert Scenario._meta.get_field("slug").verbose_name == "web address"
    assert Topic._meta.get_field("slug").verbose_name == "web address"
