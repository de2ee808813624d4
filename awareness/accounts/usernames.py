"""Usernames that look alike: the key that makes them collide, and the mixed-script check.

Someone who signs up as ``DEMO-TEACHER`` beside ``demo-teacher``, or as ``dеmo-teacher`` with a
Cyrillic ``е``, could pass for that person in a class list. Every username therefore has a key,
its "skeleton": compatibility-normalised (NFKC: fullwidth ``ｄ`` is ``d``), case-folded, then each
character replaced by the prototype of its set of confusable characters (Unicode TR39's
confusables data, as shipped by ``confusable_homoglyphs``). Two usernames with the same key
cannot coexist: ``User.username_key`` is unique in the database.

Pure functions, no database: the checks that ask whether a key is taken are in
``awareness.accounts.services`` (``username_validate``).
"""

import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING, cast

from confusable_homoglyphs import categories, confusables
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# A key has at most this many characters. A username has at most 150 and its key is seldom
# longer (``m`` is ``rn``), but Hangul syllables come apart into several letters: a username
# whose key would not fit is refused as too long.
KEY_MAX_LENGTH = 300

# Mixing these scripts is ordinary writing (TR39's "highly restrictive" level), not a disguise:
# 小明abc, テスト小明, 한국어abc. Any other mix of scripts that contains a character confusable with
# another script's is refused.
EAST_ASIAN_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
NO_SCRIPT = frozenset({"COMMON", "INHERITED"})  # digits, punctuation, combining marks


def _prototypes() -> dict[str, str]:
    """Each confusable character mapped to its prototype, from the library's data.

    The library stores confusables.txt's ``source → prototype`` lines both ways, so the
    direction is recovered from the shape: a source has exactly one prototype, a prototype
    usually several sources, and multi-character prototypes (``rn``) are never sources. A pair
    that only has each other is one set either way; its smaller character stands for both.
    Right-to-left characters come wrapped in direction marks for display: those are removed.
    """
    marks = dict.fromkeys(map(ord, "\u200e\u200f"))
    neighbours: dict[str, set[str]] = defaultdict(set)
    for glyph, homoglyphs in confusables.confusables_data.items():
        for homoglyph in homoglyphs:
            neighbours[glyph.translate(marks)].add(homoglyph["c"].translate(marks))
    table = {}
    for char, linked in neighbours.items():
        if len(char) != 1 or len(linked) != 1:
            continue  # a prototype: it stands for itself
        (other,) = linked
        if len(other) != 1 or len(neighbours[other]) > 1:
            table[char] = other
        else:
            table[char] = min(char, other)
    return table


# Unicode data from an installed package: the same for the life of the process.
PROTOTYPES = _prototypes()


def _map_confusables(text: str) -> str:
    return unicodedata.normalize(
        "NFKD", "".join(PROTOTYPES.get(char, char) for char in text)
    ).casefold()


def username_key(username: str) -> str:
    """The username's skeleton: equal for usernames a reader could take for one another."""
    # NFKD (NFKC without recomposing) so that accents are matched apart from their letters, as
    # TR39 does; the result is recomposed at the end. A prototype may itself be upper case
    # ("0" → "O") or the source of another set after folding, so map until nothing changes
    # (twice at most with the current data).
    text = unicodedata.normalize("NFKD", username).casefold()
    for _ in range(4):
        mapped = _map_confusables(text)
        if mapped == text:
            break
        text = mapped
    return unicodedata.normalize("NFKC", text)


def username_mixes_scripts(username: str) -> bool:
    """Whether the username mixes scripts with look-alike letters (Latin with Cyrillic, say)."""
    username = unicodedata.normalize("NFKC", username)
    scripts = categories.unique_aliases(username) - NO_SCRIPT
    if len(scripts) < 2 or any(scripts <= allowed for allowed in EAST_ASIAN_MIXES):
        return False
    return bool(confusables.is_dangerous(username))


class UsernameKeyField(models.CharField):
    """Holds ``username_key(username)``, recomputed whenever the row is written, by ``save()``
    and ``bulk_create()`` alike, so that no way of creating a user can forget it."""

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        user = cast("AbstractBaseUser", model_instance)  # the field is only on the user model
        value = username_key(user.get_username())
        setattr(model_instance, self.attname, value)
        return value
