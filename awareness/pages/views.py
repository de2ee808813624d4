"""The educational pages: home, the topic list and pages, and where to get help."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from awareness.page_cache import cache_public_page
from awareness.pages import selectors
from quizzes.home import student_home


@require_GET
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    """The three things a young visitor needs first, then a few topics."""
    featured_topics = selectors.topic_featured(language=get_language())
    context: dict[str, Any] = {"featured_topics": featured_topics}
    if request.user.is_authenticated and request.user.is_student:
        home = student_home(request.user)
        context["assignments"] = home.assignments
        context["check"] = home.check
    return render(request, "awareness/home.html", context)


@require_GET
@cache_public_page
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = list(selectors.topic_list(language=get_language()))
    # The age marks in use, explained once above the cards.
    age_marks = sorted({topic.min_age for topic in topics if topic.min_age})
    return render(request, "awareness/topic_list.html", {"topics": topics, "age_marks": age_marks})


@require_GET
@cache_public_page
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = selectors.topic_for_page(slug=slug, language=get_language())
    if topic is None:
        raise Http404("No such topic.")
    scenarios = selectors.topic_scenarios(topic=topic)
    return render(request, "awareness/topic_detail.html", {"topic": topic, "scenarios": scenarios})


@require_GET
@cache_public_page
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "awareness/help.html")
