"""A scenario's published channel and difficulty as pages name them: the same words as
``get_FOO_display()``, in each language, without translating every choice on each call."""

import pytest
from django.utils import translation

from quizzes.models import Channel, Difficulty, Scenario
from quizzes.models.scenarios import choice_label


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("difficulty", Difficulty.values)
def test_the_labels_are_the_display_values(language, channel, difficulty):
    scenario = Scenario(published_channel=channel, published_difficulty=difficulty)
    with translation.override(language):
        assert scenario.published_channel_label == scenario.get_published_channel_display()
        assert scenario.published_difficulty_label == scenario.get_published_difficulty_display()


def test_the_labels_are_translated():
    scenario = Scenario(published_channel="chat", published_difficulty="hard")
    with translation.override("zh-hans"):
        assert (scenario.published_channel_label, scenario.published_difficulty_label) == (
            "聊天",
            "困难",
        )


def test_a_value_that_is_no_choice_is_shown_as_it_is():
    assert choice_label(Channel, "") == ""
    assert choice_label(Difficulty, "legendary") == "legendary"
    assert Scenario(published_channel="pager").published_channel_label == "pager"
