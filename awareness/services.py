from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from awareness.markdown import render_markdown
from awareness.models import Topic, User
from awareness.roles import TEACHERS


@transaction.atomic
def account_create(*, username: str, password: str, role: str = User.Role.STUDENT) -> User:
    """Create a student or teacher account (no e-mail, no real name) and put it in its group."""
    user = User.objects.create_user(username=username, password=password, role=role)
    if role == User.Role.TEACHER:
        group, _ = Group.objects.get_or_create(name=TEACHERS)
        user.groups.add(group)
    return user


@transaction.atomic
def account_set_password(*, user: User, password: str) -> User:
    """Set a user's own password and clear any "change it at first login" flag."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


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
