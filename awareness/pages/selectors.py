"""Reads for the educational pages: topics in the visitor's language, falling back to English.

Translations of a topic share its slug, so "the Chinese version of this topic" is the row with
the same slug and language "zh-hans".
"""

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from awareness.models import Language, Topic
from quizzes.models import Scenario

FALLBACK_LANGUAGE: str = Language.EN
# Everything a topic card needs; the long Markdown and HTML bodies stay in the database.
CARD_FIELDS = ("language", "slug", "title", "summary", "min_age", "position")


def content_language(language: str | None) -> str:
    """The content language for an active UI language, English when the site has no content."""
    return language if language in Language.values else FALLBACK_LANGUAGE


def topic_list(*, language: str) -> QuerySet[Topic]:
    """Every topic for the topic list: the visitor's language, English where no translation
    exists, each annotated with ``published_scenario_count`` (one query)."""
    language = content_language(language)
    topics = Topic.objects.only(*CARD_FIELDS)
    if language == FALLBACK_LANGUAGE:
        topics = topics.filter(language=language)
    else:
        translated = Topic.objects.filter(language=language, slug=OuterRef("slug"))
        topics = topics.alias(translated_exists=Exists(translated)).filter(
            Q(language=language) | Q(language=FALLBACK_LANGUAGE, translated_exists=False)
        )
    # Counted by the topic they were published under, not the one a draft may have moved to.
    return topics.annotate(
        published_scenario_count=Count(
            "published_scenarios",
            filter=Q(
                published_scenarios__status=Scenario.Status.PUBLISHED,
                published_scenarios__published_version__isnull=False,
                # Only scenarios a reader of this topic can play in the topic's language.
                published_scenarios__language=F("language"),
            ),
        )
    ).order_by("position", "title", "pk")


def topic_featured(*, language: str, limit: int = 4) -> list[Topic]:
    """The first few topics (by editor position) for the home page."""
    return list(topic_list(language=language)[:limit])


def topic_for_page(*, slug: str, language: str) -> Topic | None:
    """The topic with this slug in the visitor's language, else in English, else None."""
    language = content_language(language)
    return (
        Topic.objects.filter(slug=slug, language__in={language, FALLBACK_LANGUAGE})
        .order_by(Case(When(language=language, then=Value(0)), default=Value(1)))
        .first()
    )


def topic_scenarios(*, topic: Topic) -> list[Scenario]:
    """The scenarios published under a topic, in the topic's language, in editor order."""
    return list(
        Scenario.objects.published()
        .filter(published_topic=topic, language=topic.language)
        .only(
            "language",
            "slug",
            "published_title",
            "published_summary",
            "published_difficulty",
            "estimated_minutes",
            "published_min_age",
        )
        .order_by("position", "published_title", "pk")
    )
