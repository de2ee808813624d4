import pytest
from django.core.exceptions import ValidationError

from awareness.models import Topic
from awareness.pages.markdown import render_markdown
from awareness.pages.services import topic_save


def test_normal_markdown_survives():
    html = render_markdown(
        "## How it works\n\n"
        "A **stranger** offers *easy* money.\n\n"
        "- first flag\n- second flag\n\n"
        "1. stop\n2. tell someone\n\n"
        "Read [the police advice](https://example.org/advice)."
    )
    assert "<h2>How it works</h2>" in html
    assert "<strong>stranger</strong>" in html and "<em>easy</em>" in html
    assert "<ul>\n<li>first flag</li>\n<li>second flag</li>\n</ul>" in html
    assert "<ol>\n<li>stop</li>\n<li>tell someone</li>\n</ol>" in html
    assert '<a href="https://example.org/advice" rel="noopener noreferrer nofollow">' in html
    assert "the police advice</a>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hello <script src='https://evil.example/x.js'></script> there",
        "<SCRIPT>alert(1)</SCRIPT>",
        "Text\n\n<script>alert(1)</script>\n\nMore text",
    ],
)
def test_script_tags_are_removed(source):
    html = render_markdown(source)
    # The tag and its content both go: no script runs and no code is left as text.
    assert "<script" not in html.lower()
    assert "alert(1)" not in html
    assert "evil.example" not in html


@pytest.mark.parametrize(
    "source",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="steal()">link</a>',
        '<p onmouseover="steal()">hover</p>',
    ],
)
def test_event_handler_attributes_are_removed(source):
    html = render_markdown(source)
    assert "onerror" not in html and "onclick" not in html and "onmouseover" not in html
    assert "alert(1)" not in html and "steal()" not in html


@pytest.mark.parametrize(
    "source",
    [
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">click me</a>',
        '<a href="JaVaScRiPt:alert(1)">click me</a>',
    ],
)
def test_javascript_links_are_removed(source):
    html = render_markdown(source)
    assert "javascript:" not in html.lower()
    assert "click me" in html


def test_text_around_removed_script_is_kept():
    html = render_markdown("Before\n\n<script>alert(1)</script>\n\nAfter")
    assert "<p>Before</p>" in html and "<p>After</p>" in html


def test_inline_styles_are_removed():
    html = render_markdown(
        '<p style="position:fixed;top:0">cover</p>\n\n<span style="color:red">red</span>'
    )
    assert "style" not in html
    assert "cover" in html and "red" in html


@pytest.mark.django_db
def test_topic_save_renders_and_sanitises_the_body():
    topic = topic_save(
        topic=Topic(
            language="en",
            slug="phishing",
            title="Phishing",
            summary="Fake log-in pages.",
            body_markdown="## Signs\n\n<script>alert(1)</script>Look at the **sender**.",
        )
    )
    topic.refresh_from_db()
    assert "<h2>Signs</h2>" in topic.body_html
    assert "<strong>sender</strong>" in topic.body_html
    assert "script" not in topic.body_html

    topic.body_markdown = "Only *this* now."
    topic_save(topic=topic)
    topic.refresh_from_db()
    assert topic.body_html == "<p>Only <em>this</em> now.</p>"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"a": 1}, "one string", [1, 2], [["nested"]]])
def test_topic_save_refuses_lists_that_are_not_short_texts(bad):

    topic = Topic(language="en", slug="x", title="X", summary="X", body_markdown="x")
    topic.red_flags = bad
    with pytest.raises(ValidationError) as excinfo:
        topic_save(topic=topic)
    assert "red_flags" in excinfo.value.message_dict
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_topic_save_refuses_a_duplicate_slug_in_the_same_language():

    topic_save(topic=Topic(language="en", slug="x", title="X", summary="X", body_markdown="x"))
    topic_save(topic=Topic(language="zh-hans", slug="x", title="X", summary="X", body_markdown="x"))
    with pytest.raises(ValidationError):
        topic_save(topic=Topic(language="en", slug="x", title="Y", summary="Y", body_markdown="y"))
    assert Topic.objects.count() == 2
