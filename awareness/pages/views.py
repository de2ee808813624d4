"""The educational pages: home, the topic list and pages, and where to get help."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from awareness.accounts.middleware import no_user_needed
from awareness.page_cache import cache_public_page
from awareness.pages import selectors
from quizzes.home import student_home


@require_GET
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    """A student's assigned work and due check first; then the three things a young visitor
    needs first, and a few topics."""
    featured_topics = selectors.topic_featured(language=get_language())
    context: dict[str, Any] = {"featured_topics": featured_topics}
    if request.user.is_authenticated and request.user.is_student:
        home = student_home(request.user)
        context["assignments"] = home.assignments
        context["check"] = home.check
        context["booster"] = home.booster
        # What is assigned or due comes above the hero, which then gives up the page's h1.
        context["for_you"] = bool(home.assignments or home.check or home.booster.due)
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


@no_user_needed
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the
    SVG icon (its hashed URL changes with the file, so this redirect is not permanent)."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
