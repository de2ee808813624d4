from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from awareness.models import Topic
from awareness.pages.markdown import render_markdown


@transaction.atomic
def topic_save(*, topic: Topic) -> Topic:
    """Validate and save a topic, regenerating its sanitised HTML from its Markdown."""
    for field in ("red_flags", "what_to_do"):
        items = getattr(topic, field)
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValidationError({field: gettext("Give a list of short texts.")})
    topic.body_html = render_markdown(topic.body_markdown)
    topic.full_clean()
    topic.save()
    return topic
