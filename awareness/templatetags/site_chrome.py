"""The header links and the footer of every page, rendered once per worker and kind of visitor.

They depend only on the language, the visitor's role and which section is open, never on the
request's data, yet rendering them costs a good share of a page (about twenty translated
strings and as many lookups). Each combination is rendered once and kept in memory.
"""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from awareness.site_urls import current_site_urls

register = template.Library()


def _role(user) -> str:
    if user is None or not user.is_authenticated:
        return "visitor"
    role = "student" if user.is_student else "teacher" if user.is_teacher else "other"
    return f"{role}+staff" if user.is_staff else role


@lru_cache(maxsize=512)
def _render(template_name: str, language: str, prefix: str, role: str, here: str) -> SafeString:
    context = {
        "urls": current_site_urls(),
        "here": here,
        "role": role,
        "is_staff": role.endswith("+staff"),
    }
    return mark_safe(render_to_string(template_name, context))  # noqa: S308 (our own template)


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The main navigation links, with aria-current on the open section."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    role = _role(context.get("user"))
    return _render("includes/nav_links.html", get_language(), get_script_prefix(), role, here)


@register.simple_tag(takes_context=True)
def site_footer(context) -> SafeString:
    """The footer: where to get help, the simulation notice, and a student's own-data links."""
    return _render(
        "includes/footer.html", get_language(), get_script_prefix(), _role(context.get("user")), ""
    )
