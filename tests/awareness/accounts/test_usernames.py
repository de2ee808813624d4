"""The look-alike key of a username and the mixed-script check (no database)."""

import pytest

from awareness.accounts.usernames import KEY_MAX_LENGTH, username_key, username_mixes_scripts


@pytest.mark.parametrize(
    "lookalike",
    [
        "DEMO-TEACHER",  # case
        "Demo-Teacher",
        "ｄｅｍｏ-teacher",  # fullwidth letters (NFKC)
        "ＤＥＭＯ-ＴＥＡＣＨＥＲ",
        "d\u0435mo-teacher",  # Cyrillic е
        "dem\u043e-t\u0435\u0430cher",  # Cyrillic о, е, а
        "dem0-teacher",  # digit zero
        "derno-teacher",  # "rn" reads as "m"
        "demo\u2010teacher",  # a Unicode hyphen
    ],
)
def test_lookalikes_share_the_key(lookalike):
    assert username_key(lookalike) == username_key("demo-teacher")


@pytest.mark.parametrize("other", ["demo-teachers", "demo_teacher", "memo-teacher", "王小明"])
def test_different_names_have_different_keys(other):
    assert username_key(other) != username_key("demo-teacher")


def test_accents_are_matched_whether_composed_or_not():
    assert username_key("n\u00e9e") == username_key("ne\u0301e") == username_key("n\u0435\u0301e")


def test_chinese_names_keep_their_characters():
    assert username_key("王小明") == "王小明"
    assert username_key("小明abc") == "小明abc"


def test_the_key_is_its_own_key():
    for name in ("DEMO-TEACHER", "dеmo-teacher", "Ørjan", "王小明", "ϛigma"):
        key = username_key(name)
        assert username_key(key) == key


def test_keys_of_long_usernames_fit_the_column():
    assert len(username_key("m" * 150)) <= KEY_MAX_LENGTH


@pytest.mark.parametrize(
    "name",
    [
        "d\u0435mo-teacher",  # Latin with a Cyrillic е
        "\u0440aypal",  # Cyrillic р then Latin
        "alpha\u03b2",  # Latin and Greek
    ],
)
def test_latin_mixed_with_look_alike_scripts_is_refused(name):
    assert username_mixes_scripts(name)


@pytest.mark.parametrize(
    "name",
    [
        "demo-teacher",
        "王小明",
        "小明abc",  # Han and Latin are written together
        "テスト小明",
        "\u0430\u0440\u0435",  # all Cyrillic (caught by the key if it looks like a Latin name)
        "Ελένη",
        "kid_2026",
    ],
)
def test_one_script_or_an_east_asian_mix_is_fine(name):
    assert not username_mixes_scripts(name)
