"""The site-wide links every page's header and footer shows, reversed once per worker.

They take no arguments, so reversing them again on every request (about 15 per page) is
wasted work on the hottest path.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

SITE_URL_NAMES = {
    "home": "awareness:home",
    "topic_list": "awareness:topic-list",
    "help": "awareness:help",
    "scenario_list": "quizzes:scenario-list",
    "check": "quizzes:check",
    "progress": "quizzes:progress",
    "join": "quizzes:join",
    "class_list": "quizzes:class-list",
    "my_data": "quizzes:my-data",
    "account_delete": "quizzes:account-delete",
    "admin": "admin:index",
    "language_switch": "language-switch",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "signup": "accounts:signup",
    "password_change": "accounts:password_change",
}


@lru_cache(maxsize=8)
def site_urls(script_prefix: str) -> dict[str, str]:
    """Each site-wide link by short name (keyed by script prefix, for sites under a sub-path)."""
    return {short: reverse(name) for short, name in SITE_URL_NAMES.items()}


def current_site_urls() -> dict[str, str]:
    return site_urls(get_script_prefix())
